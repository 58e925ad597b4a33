// The document page: the replacement's upload with a progress bar. Without this script the
// form posts itself to /console/tai-lieu/<id>/thay-the.
import { uploadWithProgress } from './http.js';

const form = document.getElementById('replace-form');
const button = document.getElementById('replace-button');
const bar = document.getElementById('replace-progress');

form?.addEventListener('submit', async (e) => {
  const file = form.elements.file.files[0];
  if (!file) return;  // the server answers in words
  e.preventDefault();
  if (button.disabled) return;
  button.disabled = true;
  bar.hidden = false;
  const data = new FormData();
  data.append('file', file);
  data.append('note', form.elements.note.value.trim());
  const old = form.querySelector('.field-error.js');
  old?.remove();
  try {
    await uploadWithProgress(`/console/api/documents/${form.dataset.document}/versions`, data,
      (percent) => { bar.value = percent; });
    window.location.assign(`/console/tai-lieu/${form.dataset.document}#history`);
  } catch (err) {
    const p = document.createElement('p');
    p.className = 'field-error js';
    p.setAttribute('role', 'alert');
    p.textContent = err.message;
    form.append(p);
    button.disabled = false;
    bar.hidden = true;
  }
});
