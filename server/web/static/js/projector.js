// The hall's projector: follows the public feed by websocket and reconnects by itself.
// Any message means "something changed": it re-reads the public state over HTTP and draws
// it, so this page needs no copy of the reducer and can never drift from the server. While
// the socket is down it also re-reads every few seconds, so a restarted server shows up
// even before the socket is back.
import { barChart } from './chart.js';
import { currentVote, describeVote } from './vote_view.js';

const root = document.getElementById('projector');
const sittingId = root.dataset.sitting;
const code = root.dataset.code;
const en = root.dataset.lang === 'en';
const $ = (id) => document.getElementById(id);
const L = en
  ? { live: 'Live', down: 'Reconnecting…', present: 'present', quorum: 'Delegates present',
      met: 'quorum met', notMet: 'no quorum', needed: 'needed', none: 'No vote yet',
      scheduled: 'Not opened yet', open: 'In session', paused: 'Paused', closed: 'Closed',
      noItem: '—', pausedNote: 'The sitting is paused', closedNote: 'The sitting is closed',
      scheduledNote: 'The sitting has not been opened yet',
      phase: { question: 'Question', answer: 'Answer', follow_up: 'Follow-up question' }, to: 'to' }
  : { live: 'Trực tiếp', down: 'Đang kết nối lại…', present: 'có mặt', quorum: 'Số đại biểu có mặt',
      met: 'đủ điều kiện', notMet: 'chưa đủ', needed: 'cần', none: 'Chưa có biểu quyết',
      scheduled: 'Chưa khai mạc', open: 'Đang họp', paused: 'Tạm dừng', closed: 'Đã bế mạc',
      noItem: '—', pausedNote: 'Phiên họp tạm dừng', closedNote: 'Phiên họp đã bế mạc',
      scheduledNote: 'Phiên họp chưa khai mạc',
      phase: { question: 'Chất vấn', answer: 'Trả lời chất vấn', follow_up: 'Chất vấn bổ sung' }, to: 'hỏi' };

let state = null;
let words = {};
let connected = false;
let clockOffset = 0; // server_time - local time, from welcome and pong
let delay = 1000;

function nameOf(personId) {
  const roster = state?.roster;
  const person = roster && [...roster.members, ...roster.officials].find((p) => p.person_id === personId);
  return person ? person.full_name : `#${personId}`;
}

function drawLink() {
  const status = state?.status;
  // "live" only while it is true: connected to a sitting that is not over
  $('pj-link').textContent = !connected ? L.down : status === 'closed' ? '' : `● ${L.live}`;
  $('pj-link').classList.toggle('down', !connected);
}

function drawAgenda() {
  const agenda = state.roster?.agenda || [];
  $('pj-agenda').replaceChildren(...agenda.filter((i) => !i.parent_id || i.item_id === state.current_item_id).map((i) => {
    const row = document.createElement('li');
    row.textContent = `${i.number}. ${i.title}`;
    row.dataset.item = String(i.item_id);
    if (i.item_id === state.current_item_id) {
      row.className = 'current';
      row.setAttribute('aria-current', 'step');
      requestAnimationFrame(() => row.scrollIntoView({ block: 'nearest' })); // the long agenda scrolls to it
    }
    else if ((state.items_done || []).includes(i.item_id)) row.className = 'done';
    return row;
  }));
}

function draw() {
  if (!state) return;
  const status = state.status;
  root.dataset.status = status;
  root.dataset.seq = String(state.seq);
  $('pj-state').textContent = L[status] || status;
  $('pj-state').className = `pj-state ${status}`;
  drawLink();
  drawAgenda();
  const agenda = state.roster?.agenda || [];
  const item = agenda.find((i) => i.item_id === state.current_item_id);
  $('pj-item').textContent = item ? `${item.number}. ${item.title}`
    : status === 'scheduled' ? L.scheduledNote : status === 'paused' ? L.pausedNote
      : status === 'closed' ? L.closedNote : L.noItem;
  $('pj-speaker').textContent = state.turn ? nameOf(state.turn.person_id) : '—';
  drawQuestionTurn();
  $('pj-quorum').replaceChildren();
  if (status === 'open' || status === 'paused') {
    const present = (state.present || []).length;
    const quorum = document.createElement('span');
    quorum.textContent = `${L.quorum}: ${present}/${state.members_total} (${L.needed} ${state.quorum_needed}) — `;
    const verdict = document.createElement('span');
    verdict.className = state.quorum_met ? 'ok' : 'bad';
    verdict.textContent = state.quorum_met ? L.met : L.notMet;
    $('pj-quorum').append(quorum, verdict);
  }

  const shown = currentVote(state.votes);
  $('pj-chart').replaceChildren();
  $('pj-result').textContent = '';
  $('pj-result').className = 'pj-result';
  $('pj-rule').textContent = '';
  $('pj-turnout').textContent = '';
  if (!shown) { $('pj-question').textContent = L.none; return; }
  const [voteId, vote] = shown;
  const d = describeVote(vote, words[voteId], en, nameOf);
  $('pj-question').textContent = vote.question;
  $('pj-rule').textContent = `${d.mode} · ${d.rule}`;
  $('pj-turnout').textContent = d.turnout;
  if (vote.status === 'open') $('pj-turnout').dataset.turnout = String(vote.turnout);
  if (d.counts.length) {
    $('pj-chart').append(barChart({
      labels: d.counts.map(([label]) => label), values: d.counts.map(([, n]) => n),
      threshold: vote.result.needed, thresholdLabel: `${L.needed} ${vote.result.needed}`, dark: true,
      colors: d.counts.map(([, , k]) => (k === 'yes' ? '#3fae5a' : k === 'no' ? '#d9534f' : '#8a9bb0')),
    }));
  }
  $('pj-result').textContent = d.verdict;
  if (d.verdictClass) $('pj-result').classList.add(d.verdictClass);
}

// A question turn shows its phase and the question (who asks whom, and what), so the hall
// sees which registered question is on and whose time the countdown is.
function drawQuestionTurn() {
  const turn = state.turn;
  const question = turn && turn.question_id ? (state.questions || {})[turn.question_id] : null;
  $('pj-phase').textContent = question ? (L.phase[turn.kind] || turn.kind) : '';
  $('pj-asked').textContent = question
    ? `${nameOf(question.person_id)} ${L.to} ${nameOf(question.addressee_id)}: ${question.text}` : '';
  root.dataset.phase = question ? turn.kind : '';
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
      const response = await fetch(`/projector/${sittingId}/trang-thai?code=${encodeURIComponent(code)}`);
      if (response.ok) {
        const answer = await response.json();
        state = answer.state;
        words = answer.words;
        draw();
        tick();
      }
    } catch (e) { /* the socket's reconnect will bring us back */ }
  }, 120);
}

function setLink(up) {
  connected = up;
  drawLink();
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
setInterval(refetch, 10000); // a safety net; the socket normally says when to redraw
refetch();
connect();
