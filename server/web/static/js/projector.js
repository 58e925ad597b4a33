// The hall's projector: follows the public feed by websocket and reconnects by itself.
// Any message means "something changed": it re-reads the public state over HTTP and draws
// it, so this page needs no copy of the reducer and can never drift from the server.
import { barChart } from './chart.js';

const root = document.getElementById('projector');
const sittingId = root.dataset.sitting;
const en = root.dataset.lang === 'en';
const $ = (id) => document.getElementById(id);
const L = en
  ? { live: 'Live', down: 'Reconnecting…', turnout: 'Voted', present: 'present', quorum: 'Quorum',
      met: 'met', notMet: 'not met', passed: 'ADOPTED', failed: 'NOT ADOPTED', needed: 'needed',
      of: 'of', members: 'members', none: 'No vote in progress',
      counting: 'Counting: waiting for the vote-counting committee', waiting: 'waiting for' }
  : { live: 'Trực tiếp', down: 'Đang kết nối lại…', turnout: 'Đã biểu quyết', present: 'có mặt',
      quorum: 'Số đại biểu có mặt', met: 'đủ điều kiện', notMet: 'chưa đủ', passed: 'THÔNG QUA',
      failed: 'KHÔNG THÔNG QUA', needed: 'cần', of: '/', members: 'đại biểu', none: 'Chưa có biểu quyết',
      counting: 'Đang kiểm phiếu: chờ Ban kiểm phiếu giải mã', waiting: 'còn chờ' };

let state = null;
let clockOffset = 0; // server_time - local time, from welcome and pong
let delay = 1000;

function nameOf(personId) {
  const roster = state?.roster;
  const person = roster && [...roster.members, ...roster.officials].find((p) => p.person_id === personId);
  return person ? person.full_name : `#${personId}`;
}

function optionLabel(vote, key) {
  const option = (vote.options || []).find((o) => o.key === key);
  if (!option) return key;
  return en ? option.label_en : option.label_vi;
}

function draw() {
  if (!state) return;
  const agenda = state.roster?.agenda || [];
  const item = agenda.find((i) => i.item_id === state.current_item_id);
  if (item) $('pj-item').textContent = `${item.number}. ${item.title}`;
  $('pj-speaker').textContent = state.turn ? nameOf(state.turn.person_id) : '—';
  const present = (state.present || []).length;
  $('pj-quorum').replaceChildren();
  const quorum = document.createElement('span');
  quorum.textContent = `${L.quorum}: ${present}/${state.members_total} (${L.needed} ${state.quorum_needed}) — `;
  const verdict = document.createElement('span');
  verdict.className = state.quorum_met ? 'ok' : 'bad';
  verdict.textContent = state.quorum_met ? L.met : L.notMet;
  $('pj-quorum').append(quorum, verdict);

  const votes = Object.entries(state.votes || {});
  // a verifiable ballot being decrypted (status "counting") stays on screen until its result
  const open = votes.find(([, v]) => v.status === 'open')
    || votes.find(([, v]) => v.status === 'counting');
  const last = open || votes.sort((a, b) => (a[1].closed_at || '').localeCompare(b[1].closed_at || '')).at(-1);
  $('pj-chart').replaceChildren();
  $('pj-result').textContent = '';
  $('pj-result').className = 'pj-result';
  if (!last) {
    $('pj-question').textContent = L.none; $('pj-turnout').textContent = ''; $('pj-rule').textContent = '';
    return;
  }
  const [, vote] = last;
  $('pj-question').textContent = vote.question;
  // the rule applied, with its numbers and legal source (docs/rules.md)
  $('pj-rule').textContent = (en ? vote.result?.rule_en || vote.rule_en : vote.result?.rule_vi || vote.rule_vi) || '';
  if (vote.status === 'open') {
    $('pj-turnout').textContent = `${L.turnout}: ${vote.turnout} / ${vote.present_at_open}`;
    $('pj-turnout').dataset.turnout = String(vote.turnout);
    return;
  }
  if (vote.status === 'counting') {
    const waiting = (vote.waiting_for || []).map(nameOf).join(', ');
    $('pj-turnout').textContent = `${L.turnout}: ${vote.turnout} / ${vote.present_at_open}`;
    $('pj-result').textContent = waiting ? `${L.counting} (${L.waiting}: ${waiting})` : L.counting;
    $('pj-result').classList.add('counting');
    return;
  }
  $('pj-turnout').textContent = '';
  const result = vote.result;
  if (!result) return;
  const keys = Object.keys(result.counts || {});
  if (keys.length) {
    $('pj-chart').append(barChart({
      labels: keys.map((k) => optionLabel(vote, k)), values: keys.map((k) => result.counts[k]),
      threshold: result.needed, thresholdLabel: `${L.needed} ${result.needed}`, dark: true,
      colors: keys.map((k) => (k === 'yes' ? '#3fae5a' : k === 'no' ? '#d9534f' : '#8a9bb0')),
    }));
  }
  $('pj-result').textContent = result.passed ? L.passed : L.failed;
  $('pj-result').classList.add(result.passed ? 'passed' : 'failed');
}

function tick() {
  const turn = state?.turn;
  const box = $('pj-countdown');
  if (!turn) { box.textContent = ''; return; }
  const now = Date.now() + clockOffset;
  const end = Date.parse(turn.started_at) + (turn.limit_s + (turn.extended_s || 0)) * 1000;
  const left = Math.round((end - now) / 1000);
  const abs = Math.abs(left);
  box.textContent = `${left < 0 ? '-' : ''}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
  box.className = `pj-countdown${left < 0 ? ' over' : left <= 60 ? ' warn' : ''}`;
}

let pending = null;
function refetch() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try {
      const response = await fetch(`/api/sittings/${sittingId}/public`);
      if (response.ok) { state = await response.json(); draw(); tick(); }
    } catch (e) { /* the socket's reconnect will bring us back */ }
  }, 120);
}

function setLink(up) {
  $('pj-link').textContent = up ? `● ${L.live}` : L.down;
  $('pj-link').classList.toggle('down', !up);
}

function connect() {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${window.location.host}/ws/sittings/${sittingId}/public`);
  let pinger = null;
  socket.addEventListener('open', () => {
    socket.send(JSON.stringify({ type: 'hello', protocol_version: 1, last_seq: 0 }));
  });
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'welcome' || data.type === 'pong') {
      if (data.server_time) clockOffset = Date.parse(data.server_time) - Date.now();
    }
    if (data.type === 'welcome') {
      delay = 1000; // back-off resets after a good handshake
      setLink(true);
      pinger = setInterval(() => socket.send(JSON.stringify({ type: 'ping' })), 15000);
    }
    if (data.type === 'resync') { socket.close(); return; }
    refetch();
  });
  socket.addEventListener('close', () => {
    clearInterval(pinger);
    setLink(false);
    const wait = delay * (0.5 + Math.random());
    delay = Math.min(delay * 2, 30000);
    setTimeout(connect, wait);
  });
}

setInterval(tick, 250);
refetch();
connect();
