// The session builder: agenda moves (drag and keyboard) and PDF uploads with progress.
import { sendJson, uploadWithProgress, lang } from './http.js';

const agendaError = document.getElementById('agenda-error');

function siblingsOf(li) {
  return Array.from(li.parentElement.children).filter((el) => el.matches('li.agenda-item'));
}

function parentItem(li) {
  return li.parentElement.closest('li.agenda-item');
}

async function move(li, parentId, position) {
  agendaError.hidden = true;
  try {
    await sendJson('POST', `/console/api/agenda-items/${li.dataset.id}/move`,
      { parent_id: parentId, position: Math.max(0, position) });
    sessionStorage.setItem('hdnd-focus', li.id);
    window.location.reload();
  } catch (error) {
    agendaError.textContent = error.message;
    agendaError.hidden = false;
  }
}

function moveBy(li, how) {
  const siblings = siblingsOf(li);
  const index = siblings.indexOf(li);
  const parent = parentItem(li);
  const parentId = parent ? Number(parent.dataset.id) : null;
  if (how === 'up' && index > 0) return move(li, parentId, index - 1);
  if (how === 'down' && index < siblings.length - 1) return move(li, parentId, index + 1);
  if (how === 'in' && index > 0) return move(li, Number(siblings[index - 1].dataset.id), 10000);
  if (how === 'out' && parent) {
    const grand = parentItem(parent);
    return move(li, grand ? Number(grand.dataset.id) : null, siblingsOf(parent).indexOf(parent) + 1);
  }
  return null;
}

const KEYS = { ArrowUp: 'up', ArrowDown: 'down', ArrowRight: 'in', ArrowLeft: 'out' };

for (const li of document.querySelectorAll('li.agenda-item')) {
  li.addEventListener('keydown', (e) => {
    if (e.target !== li || !e.altKey || !KEYS[e.key]) return;
    e.preventDefault();
    moveBy(li, KEYS[e.key]);
  });
  li.querySelectorAll(':scope > .row button[data-move]').forEach((button) => {
    button.addEventListener('click', () => moveBy(li, button.dataset.move));
  });
  li.addEventListener('dragstart', (e) => {
    e.stopPropagation();
    e.dataTransfer.setData('text/plain', li.dataset.id);
    e.dataTransfer.effectAllowed = 'move';
    li.classList.add('dragging');
  });
  li.addEventListener('dragend', () => li.classList.remove('dragging'));
  const row = li.querySelector(':scope > .row');
  row.addEventListener('dragover', (e) => { e.preventDefault(); row.classList.add('drop-target'); });
  row.addEventListener('dragleave', () => row.classList.remove('drop-target'));
  row.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    row.classList.remove('drop-target');
    const dragged = document.getElementById(`item-${e.dataTransfer.getData('text/plain')}`);
    if (!dragged || dragged === li || dragged.contains(li)) return;
    const box = row.getBoundingClientRect();
    if (e.clientX > box.left + box.width * 0.6) {
      move(dragged, Number(li.dataset.id), 10000); // dropped on the right: nest inside
      return;
    }
    const parent = parentItem(li);
    const siblings = siblingsOf(li);
    let position = siblings.indexOf(li);
    const from = siblings.indexOf(dragged);
    if (from >= 0 && from < position) position -= 1;
    move(dragged, parent ? Number(parent.dataset.id) : null, position);
  });
}

const focusId = sessionStorage.getItem('hdnd-focus');
if (focusId) {
  sessionStorage.removeItem('hdnd-focus');
  document.getElementById(focusId)?.focus();
}

// ---- uploads: several PDFs at once, one progress bar each --------------------------------
const form = document.getElementById('upload-form');
const list = document.getElementById('upload-list');

function uploadRow(name) {
  const li = document.createElement('li');
  const label = document.createElement('span');
  label.textContent = name;
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', name);
  const status = document.createElement('span');
  status.className = 'upload-status';
  li.append(label, bar, status);
  list.append(li);
  return { li, bar, status };
}

form?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const files = Array.from(form.querySelector('input[type=file]').files);
  if (!files.length) {
    const row = uploadRow('');
    row.status.textContent = lang() === 'en' ? 'Choose one or more PDF files.' : 'Hãy chọn một hoặc nhiều tệp PDF.';
    row.status.classList.add('field-error');
    return;
  }
  const jobs = files.map((file) => {
    const row = uploadRow(file.name);
    const data = new FormData();
    data.append('file', file);
    data.append('title', file.name.replace(/\.pdf$/i, ''));
    for (const name of ['agenda_item_id', 'kind', 'confidentiality']) {
      data.append(name, form.elements[name].value);
    }
    return uploadWithProgress(`/console/api/sessions/${form.dataset.session}/documents`, data,
      (percent) => { row.bar.value = percent; })
      .then(() => { row.bar.value = 100; row.status.textContent = '✓'; row.li.classList.add('done'); return true; })
      .catch((error) => { row.status.textContent = error.message; row.status.classList.add('field-error'); row.li.classList.add('failed'); return false; });
  });
  const results = await Promise.all(jobs);
  if (results.every(Boolean)) {
    sessionStorage.setItem('hdnd-focus', 'documents');
    window.location.reload();
  }
});

for (const input of document.querySelectorAll('input.new-version')) {
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    const cell = input.parentElement;
    const bar = cell.querySelector('progress');
    const error = cell.querySelector('.field-error');
    bar.hidden = false;
    error.hidden = true;
    const data = new FormData();
    data.append('file', file);
    try {
      await uploadWithProgress(`/console/api/documents/${input.dataset.document}/versions`, data,
        (percent) => { bar.value = percent; });
      window.location.reload();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
}
