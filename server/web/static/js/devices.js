// The wipe confirmation dialog: a wipe cannot be undone, so it asks first.
for (const button of document.querySelectorAll('button[data-wipe]')) {
  const dialog = document.getElementById(`wipe-${button.dataset.wipe}`);
  button.addEventListener('click', () => { dialog.showModal(); dialog.querySelector('input[name=confirm]').focus(); });
  dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close());
}
