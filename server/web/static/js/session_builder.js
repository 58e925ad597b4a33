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

// ---- uploads: several PDFs at once, one title and one progress bar each ------------------
// Without this script the form posts itself (/console/ky-hop/<id>/tai-lieu). With it, each
// chosen file gets a row: its title (made readable from the file name, editable), its
// số/ký hiệu, and a progress bar. The button is disabled from the first click until every
// file is done, and the server makes one document of the same file sent twice anyway.
const form = document.getElementById('upload-form');
const list = document.getElementById('upload-list');
const button = document.getElementById('upload-button');
const filesInput = document.getElementById('u-files');
const en = () => lang() === 'en';

// The same rule as server/documents/titles.py: underscores (and a slug's hyphens) are spaces.
export function readableTitle(filename) {
  let name = filename.normalize('NFC').replace(/\\/g, '/').split('/').pop().replace(/\.pdf$/i, '');
  name = name.replace(/_/g, ' ');
  if (!name.trim().includes(' ')) name = name.replace(/(?<!\d)-|-(?!\d)/g, ' ');
  name = name.replace(/\s+/g, ' ').replace(/^[ .-]+|[ .-]+$/g, '');
  return name ? name[0].toUpperCase() + name.slice(1) : 'Tài liệu';
}

function field(labelText, input) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const label = document.createElement('label');
  label.textContent = labelText;
  label.htmlFor = input.id;
  wrap.append(label, input);
  return wrap;
}

let rows = [];

function showRows() {
  list.replaceChildren();
  rows = Array.from(filesInput.files).map((file, index) => {
    const li = document.createElement('li');
    li.className = 'upload-row';
    const name = document.createElement('span');
    name.className = 'upload-file';
    name.textContent = file.name;
    const title = document.createElement('input');
    title.id = `u-title-${index}`;
    title.maxLength = 500;
    title.size = 40;
    title.value = readableTitle(file.name);
    const number = document.createElement('input');
    number.id = `u-number-${index}`;
    number.maxLength = 60;
    number.placeholder = '125/TTr-UBND';
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', file.name);
    const status = document.createElement('span');
    status.className = 'upload-status';
    li.append(name, field(en() ? 'Title' : 'Tên tài liệu', title),
      field(en() ? 'Number/symbol' : 'Số, ký hiệu', number), bar, status);
    list.append(li);
    return { file, li, title, number, bar, status };
  });
  // the single title and number fields are for the form without this script
  for (const one of form.querySelectorAll('.one-file')) one.hidden = rows.length > 0;
}

filesInput?.addEventListener('change', showRows);

function setBusy(busy) {
  button.disabled = busy;
  button.setAttribute('aria-busy', String(busy));
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = button.dataset.busy;
  } else if (button.dataset.label) {
    button.textContent = button.dataset.label;
  }
}

form?.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (button.disabled) return;
  if (!rows.length) {
    list.replaceChildren();
    const li = document.createElement('li');
    li.className = 'field-error';
    li.textContent = en() ? 'Choose one or more PDF files.' : 'Hãy chọn một hoặc nhiều tệp PDF.';
    list.append(li);
    return;
  }
  setBusy(true);  // before any await: a second click finds the button disabled
  const jobs = rows.map((row) => {
    if (row.li.classList.contains('done')) return Promise.resolve(true);
    row.status.textContent = '';
    row.li.classList.remove('failed');
    const data = new FormData();
    data.append('file', row.file);
    data.append('title', row.title.value.trim());
    data.append('number', row.number.value.trim());
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
  } else {
    setBusy(false);  // what failed can be sent again; what was done is not sent twice
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
