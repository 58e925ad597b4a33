// The operator console. It keeps no copy of the sitting's rules: every button sends one
// command to /console/api/sittings/{id}/commands (the hub decides, as for the app), and the
// page redraws from /console/api/sittings/{id}/live whenever the public websocket says
// something changed. A lost server is retried with the same idempotency key, so a command
// sent during a restart counts once.
import { csrf, problemText } from './http.js';
import { currentVote, describeVote } from './vote_view.js';

const root = document.getElementById('operator');
const sittingId = root.dataset.sitting;
const en = root.dataset.lang === 'en';
const S = JSON.parse(document.getElementById('op-strings').textContent);
const canCommand = root.dataset.canCommand === 'yes';
const $ = (id) => document.getElementById(id);

let view = null; // the last answer of /live
let clockOffset = 0;
let delay = 1000;
let lastRefusal = ''; // the code of the last refused command

const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));

// --- talking to the server -------------------------------------------------------------

function newKey() {
  // not crypto.randomUUID: a hall LAN over plain http is not a secure context
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function showError(text) {
  const box = $('op-error');
  box.textContent = text;
  box.hidden = !text;
  if (text) box.focus();
}

function showMessage(text) { $('op-message').textContent = text; }

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function send(type, fields = {}) {
  if (!canCommand) return false;
  const body = { type, key: newKey(), ...fields };
  lastRefusal = '';
  showError('');
  for (let attempt = 0; attempt < 30; attempt += 1) {
    let response;
    try {
      response = await fetch(`/console/api/sittings/${sittingId}/commands`, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
        body: JSON.stringify(body),
      });
    } catch (e) {
      setLink(false);
      await sleep(Math.min(1000 * (attempt + 1), 5000)); // same key: the server counts it once
      continue;
    }
    if (response.status === 502 || response.status === 503) { await sleep(1000); continue; }
    let answer = null;
    try { answer = await response.json(); } catch (e) { answer = null; }
    document.dispatchEvent(new Event('hdnd:activity'));
    if (!response.ok) {
      lastRefusal = answer?.code || '';
      showError(problemText(answer, response.status));
      return false;
    }
    showMessage(S.done_action);
    refetch();
    return true;
  }
  showError(S.offline);
  return false;
}

let pending = null;
function refetch() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try {
      const response = await fetch(`/console/api/sittings/${sittingId}/live`, { credentials: 'same-origin' });
      if (response.status === 401) { window.location.reload(); return; } // signed out: the sign-in page
      if (response.ok) { view = await response.json(); draw(); tick(); }
    } catch (e) { /* the socket's reconnect brings us back */ }
  }, 80);
}

function setLink(up) {
  $('op-link').textContent = up ? `● ${S.online}` : S.offline;
  $('op-link').classList.toggle('down', !up);
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
    if (data.server_time) clockOffset = Date.parse(data.server_time) - Date.now();
    if (data.type === 'welcome') {
      delay = 1000;
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

// --- drawing -------------------------------------------------------------------------

function nameOf(personId) {
  const roster = view?.state?.roster;
  const person = roster && [...roster.members, ...roster.officials].find((p) => p.person_id === personId);
  return person ? person.full_name : `#${personId}`;
}

function button(text, onClick, cls = 'small') {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  b.disabled = !canCommand;
  b.addEventListener('click', onClick);
  return b;
}

function li(...children) {
  const item = document.createElement('li');
  item.append(...children);
  return item;
}

function span(text, cls = '') {
  const s = document.createElement('span');
  s.textContent = text;
  if (cls) s.className = cls;
  return s;
}

function drawLife(st) {
  const status = st.status;
  $('op-state').textContent = S[`state.${status}`];
  $('op-state').dataset.status = status;
  for (const id of ['op-open', 'op-pause', 'op-resume', 'op-close']) $(id).disabled = !canCommand;
  $('op-open').hidden = !(status === 'scheduled');
  $('op-pause').hidden = status !== 'open';
  $('op-resume').hidden = status !== 'paused';
  $('op-close').hidden = !(status === 'open' || status === 'paused');
  if (status === 'closed' || status === 'scheduled') $('op-close-confirm').hidden = true;
  const live = status === 'open' || status === 'paused';
  for (const b of root.querySelectorAll('.op-grid button, .op-grid select, .op-grid input, .op-grid textarea')) {
    b.disabled = !canCommand || !live;
  }
}

function drawAttendance(st) {
  const present = new Set(st.present);
  $('op-quorum').replaceChildren(
    span(fmt(S.quorum, { present: present.size, total: st.members_total, needed: st.quorum_needed }) + ' — '),
    span(st.quorum_met ? S.quorum_met : S.quorum_not_met, st.quorum_met ? 'ok' : 'bad'),
  );
  for (const row of $('op-members').children) {
    const id = Number(row.dataset.person);
    const here = present.has(id);
    row.classList.toggle('present', here);
    row.querySelector('.op-presence').textContent = here ? S.present : S.absent;
    const toggle = row.querySelector('.op-toggle');
    toggle.textContent = here ? S.mark_absent : S.mark_present;
    toggle.setAttribute('aria-label', `${toggle.textContent}: ${row.querySelector('.op-name').textContent}`);
  }
}

function drawAgenda(st) {
  for (const row of $('op-agenda').children) {
    const id = Number(row.dataset.item);
    const current = st.current_item_id === id;
    row.classList.toggle('current', current);
    row.classList.toggle('done', st.items_done.includes(id) && !current);
    row.querySelector('.op-item-state').textContent = current ? S.current : st.items_done.includes(id) ? S.done : '';
    if (current) row.querySelector('.op-open-item').disabled = true;
  }
  if (st.current_item_id == null) $('op-close-item').disabled = true;
}

function drawSpeakers(st) {
  const turn = st.turn;
  $('op-turn-name').textContent = turn ? `${nameOf(turn.person_id)} (${S[`kind.${turn.kind}`] || turn.kind})` : S.nobody;
  $('op-extend').disabled = $('op-extend').disabled || !turn;
  $('op-end-turn').disabled = $('op-end-turn').disabled || !turn;
  const rows = st.queue.map((r) => {
    const grant = button(S.grant, () => send('grant_floor', { request_id: r.request_id, limit_s: limitSeconds() }), 'small primary');
    grant.disabled = grant.disabled || !!turn || st.status !== 'open';
    const skip = button(S.skip, () => send('skip_request', { request_id: r.request_id }));
    const row = li(span(`${nameOf(r.person_id)} — ${S[`kind.${r.kind}`] || r.kind}`), grant, skip);
    row.dataset.request = r.request_id;
    return row;
  });
  $('op-queue').replaceChildren(...(rows.length ? rows : [li(span(S.queue_empty, 'muted'))]));
}

function drawQuestions(st) {
  const order = [...st.question_order, ...Object.keys(st.questions).filter((q) => !st.question_order.includes(q))];
  const rows = order.map((qid) => {
    const q = st.questions[qid];
    const row = li(span(`${nameOf(q.person_id)} ${S.q_to} ${nameOf(q.addressee_id)}: «${q.text}» `),
      span(`(${S[`q_status.${q.status}`] || q.status})`, 'muted'));
    row.dataset.question = qid;
    if (!['answered', 'in_writing'].includes(q.status)) {
      const phases = q.phases || [];
      const next = !phases.includes('question') ? 'question' : !phases.includes('answer') ? 'answer'
        : !phases.includes('follow_up') ? 'follow_up' : null;
      if (next) {
        const b = button(S[`phase.${next}`], () => send('start_question_turn', { question_id: qid, phase: next }), 'small primary');
        b.disabled = b.disabled || !!st.turn || st.status !== 'open';
        row.append(b);
      }
      if (phases.includes('answer')) row.append(button(S.q_answered, () => send('close_question', { question_id: qid, outcome: 'answered' })));
      row.append(button(S.q_in_writing, () => send('close_question', { question_id: qid, outcome: 'in_writing' })));
    }
    if ((q.phases || []).includes('answer') || q.status === 'in_writing') {
      // the chair's conclusion on this question, typed by the operator as it is read out
      row.append(button(q.conclusion ? S.q_conclude_again : S.q_conclude, () => {
        const text = window.prompt(S.q_conclusion_prompt, q.conclusion || '');
        if (text && text.trim()) send('conclude_question', { question_id: qid, text: text.trim() });
      }));
    }
    if (q.conclusion) row.append(document.createElement('br'), span(`${S.q_conclusion}: ${q.conclusion}`, 'op-conclusion'));
    return row;
  });
  $('op-questions').replaceChildren(...(rows.length ? rows : [li(span(S.q_none, 'muted'))]));
}

async function callProgramme() {
  // the registered questions, in the Standing Committee's order, enter the list
  showError('');
  const response = await fetch(`/console/api/sittings/${sittingId}/questions/call`, {
    method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf() },
  });
  let answer = null;
  try { answer = await response.json(); } catch (e) { answer = null; }
  if (!response.ok) { showError(problemText(answer, response.status)); return; }
  showMessage(fmt(S.q_called, { n: answer.sent }));
  refetch();
}
if ($('op-q-call')) $('op-q-call').addEventListener('click', callProgramme);

function voteNode(voteId, vote, tag = 'div') {
  const words = view.words[voteId];
  const d = describeVote(vote, words, en, nameOf);
  const box = document.createElement(tag);
  box.className = `op-vote-box status-${vote.status}`;
  box.dataset.vote = voteId;
  const title = document.createElement('strong');
  title.textContent = vote.question;
  const meta = span(`${d.mode} · `, 'muted');
  const rule = span(d.rule, 'rule-line');
  box.append(title, document.createElement('br'), meta, rule);
  if (d.turnout) box.append(document.createElement('br'), span(d.turnout, 'op-turnout'));
  if (d.counts.length) {
    box.append(document.createElement('br'), span(d.counts.map(([label, n]) => `${label}: ${n}`).join(' · '), 'op-counts'));
  }
  if (d.verdict) box.append(document.createElement('br'), span(d.verdict, `op-verdict ${d.verdictClass}`));
  return box;
}

function drawVotes(st) {
  const open = Object.entries(st.votes).find(([, v]) => v.status === 'open');
  const shown = open || currentVote(st.votes);
  $('op-vote').replaceChildren(...(shown && shown[1].status !== 'closed' ? [voteNode(shown[0], shown[1])] : []));
  $('op-v-close').hidden = !open;
  $('op-v-close').disabled = !canCommand;
  $('op-v-open').disabled = $('op-v-open').disabled || !!open;
  const closed = Object.entries(st.votes).filter(([, v]) => v.status !== 'open')
    .sort((a, b) => (b[1].closed_at || '').localeCompare(a[1].closed_at || ''));
  $('op-results').replaceChildren(...(closed.length ? closed.map(([id, v]) => voteNode(id, v, 'li'))
    : [li(span(S.v_none, 'muted'))]));
}

function draw() {
  if (!view) return;
  const st = view.state;
  root.dataset.seq = String(view.seq); // what this page shows, for anyone comparing screens
  drawLife(st);
  drawAttendance(st);
  drawAgenda(st);
  drawSpeakers(st);
  drawQuestions(st);
  drawVotes(st);
}

function tick() {
  const turn = view?.state?.turn;
  const box = $('op-timer');
  if (!turn) { box.textContent = ''; box.className = 'op-timer'; return; }
  const end = Date.parse(turn.started_at) + (turn.limit_s + (turn.extended_s || 0)) * 1000;
  const left = Math.round((end - Date.now() - clockOffset) / 1000);
  const abs = Math.abs(left);
  box.textContent = `${left < 0 ? '-' : ''}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
  box.className = `op-timer${left < 0 ? ' over' : left <= 60 ? ' warn' : ''}`;
}

// --- actions -------------------------------------------------------------------------

function limitSeconds() {
  const minutes = Number($('op-limit').value);
  return minutes > 0 ? Math.round(minutes * 60) : undefined;
}

function required(field) {
  const value = field.value.trim();
  const id = `${field.id}-error`;
  document.getElementById(id)?.remove();
  field.removeAttribute('aria-invalid');
  if (value) return value;
  const error = document.createElement('p');
  error.className = 'field-error';
  error.id = id;
  error.textContent = S.required;
  field.setAttribute('aria-invalid', 'true');
  field.setAttribute('aria-describedby', id);
  field.after(error);
  return null;
}

function firstInvalid(form) {
  const bad = form.querySelector('[aria-invalid="true"]');
  if (bad) { showError(S.required); bad.focus(); return true; }
  return false;
}

$('op-open').addEventListener('click', () => send('open_sitting'));
$('op-pause').addEventListener('click', () => send('pause_sitting'));
$('op-resume').addEventListener('click', () => send('resume_sitting'));
$('op-close').addEventListener('click', () => { $('op-close-confirm').hidden = false; $('op-close-yes').focus(); });
$('op-close-no').addEventListener('click', () => { $('op-close-confirm').hidden = true; $('op-close').focus(); });
$('op-close-yes').addEventListener('click', async () => {
  $('op-close-confirm').hidden = true;
  await send('close_sitting');
});

$('op-members').addEventListener('click', (event) => {
  const b = event.target.closest('.op-toggle');
  if (!b) return;
  const id = Number(b.closest('li').dataset.person);
  const here = view && view.state.present.includes(id);
  send(here ? 'check_out' : 'check_in', { person_id: id });
});
$('op-all-present').addEventListener('click', async () => {
  for (const row of $('op-members').children) {
    const id = Number(row.dataset.person);
    if (view?.state?.present.includes(id)) continue;
    // a delegate may check in on their tablet meanwhile: that is no reason to stop
    if (!(await send('check_in', { person_id: id })) && lastRefusal !== 'already_present') break;
  }
  if (lastRefusal === 'already_present') showError('');
});
$('op-agenda').addEventListener('click', (event) => {
  const b = event.target.closest('.op-open-item');
  if (b) send('open_item', { item_id: Number(b.closest('li').dataset.item) });
});
$('op-close-item').addEventListener('click', () => send('close_item'));
$('op-extend').addEventListener('click', () => send('extend_turn', { seconds: 60 }));
$('op-end-turn').addEventListener('click', () => send('end_turn', { reason: 'finished' }));

$('op-speaker-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const person = required($('op-speaker-person'));
  if (firstInvalid(event.target)) return;
  if (await send('request_to_speak', { person_id: Number(person), kind: $('op-speaker-kind').value })) {
    $('op-speaker-person').value = '';
  }
});

$('op-question-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const person = required($('op-q-person'));
  const official = required($('op-q-official'));
  const text = required($('op-q-text'));
  if (firstInvalid(event.target)) return;
  const fields = { person_id: Number(person), addressee_id: Number(official), text };
  if (view?.state?.current_item_id != null) fields.item_id = view.state.current_item_id;
  if (await send('register_question', fields)) $('op-q-text').value = '';
});

$('op-vote-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const question = required($('op-v-question'));
  if (firstInvalid(event.target)) return;
  const item = view?.state?.current_item_id;
  if (item == null) { showError(S.no_item); return; }
  const fields = { item_id: item, question, mode: $('op-v-mode').value, threshold: $('op-v-threshold').value };
  const reason = $('op-v-override').value.trim();
  if (reason) fields.quorum_override_reason = reason;
  if (await send('open_vote', fields)) { $('op-v-question').value = ''; $('op-v-override').value = ''; }
});

function closeOpenVote() {
  const open = Object.entries(view?.state?.votes || {}).find(([, v]) => v.status === 'open');
  if (open) send('close_vote', { vote_id: open[0] });
}
$('op-v-close').addEventListener('click', closeOpenVote);

// Shortcuts for the busy moments; never while typing in a field.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest('input, textarea, select')) return;
  const st = view?.state;
  if (!st) return;
  const key = event.key.toLowerCase();
  if (key === 'g' && st.queue.length && !st.turn) send('grant_floor', { limit_s: limitSeconds() });
  else if (key === 'e' && st.turn) send('end_turn', { reason: 'finished' });
  else if (key === '+' && st.turn) send('extend_turn', { seconds: 60 });
  else if (key === 'k') closeOpenVote();
  else if (key === 'b') { event.preventDefault(); $('op-v-question').focus(); }
  else if (key === '?') { $('op-keys').open = !$('op-keys').open; }
  else return;
  event.preventDefault();
});

setInterval(tick, 250);
setInterval(refetch, 15000); // a safety net; the socket normally says when to redraw
refetch();
connect();
