// The readiness table (delegate × pack version × downloaded at), refreshed every 5 s.
import { lang } from './http.js';
import { barChart } from './chart.js';

const root = document.getElementById('readiness');
const en = lang() === 'en';
// dd/mm/yyyy HH:MM in the hall's time zone, the same as the server-rendered pages
const PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit',
  year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
function fmt(iso) {
  if (!iso) return '—';
  const p = Object.fromEntries(PARTS.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

async function refresh() {
  const response = await fetch(`/console/api/sessions/${root.dataset.session}/readiness`, { credentials: 'same-origin' });
  if (!response.ok) return;
  const data = await response.json();
  const latest = data.latest_version;
  document.getElementById('ready-summary').textContent = latest == null
    ? (en ? 'No pack published yet.' : 'Chưa công bố gói tài liệu nào.')
    : (en ? `Pack version ${latest}: ${data.people_ready} of ${data.people} people ready.`
      : `Gói phiên bản ${latest}: ${data.people_ready}/${data.people} người đã sẵn sàng.`);
  const tbody = document.getElementById('ready-rows');
  tbody.replaceChildren(...data.rows.map((row) => {
    const tr = document.createElement('tr');
    tr.append(cell(row.full_name), cell(row.device_label || '—'), cell(row.pack_version ?? '—'),
      cell(fmt(row.downloaded_at)), cell(fmt(row.last_seen_at)),
      cell(row.ready ? (en ? 'Ready' : 'Sẵn sàng') : (en ? 'Not yet' : 'Chưa'), row.ready ? 'ok' : 'bad'));
    return tr;
  }));
  const counts = {};
  for (const row of data.rows) {
    const key = row.pack_version == null ? (en ? 'none' : 'chưa có') : `v${row.pack_version}`;
    counts[key] = (counts[key] || 0) + 1;
  }
  const labels = Object.keys(counts);
  document.getElementById('ready-chart').replaceChildren(barChart({
    labels, values: labels.map((k) => counts[k]),
    title: en ? 'Devices by pack version held' : 'Thiết bị theo phiên bản gói đang giữ',
  }));
}

refresh();
setInterval(refresh, 5000);
