// Warns a signed-in user two minutes before the 30-minute idle timeout ends their session,
// with a button that keeps it alive. Typing in a form does not reach the server, so without
// this a clerk writing a long text would only learn of the timeout when sending it.
const box = document.getElementById('idle-warning');
if (box) {
  const idleMs = Number(box.dataset.idleSeconds) * 1000;
  const warnMs = Number(box.dataset.warnSeconds) * 1000;
  const text = box.querySelector('.idle-text');
  const keep = box.querySelector('button');
  let warnTimer = 0;
  let endTimer = 0;

  const arm = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = setTimeout(() => {
      text.textContent = box.dataset.soon;
      keep.hidden = false;
      box.hidden = false;
    }, Math.max(0, idleMs - warnMs));
    endTimer = setTimeout(() => {
      text.textContent = box.dataset.ended;
      keep.hidden = true;
      box.hidden = false;
    }, idleMs);
  };

  keep.addEventListener('click', async () => {
    const answer = await fetch('/con-phien', { credentials: 'same-origin', cache: 'no-store' });
    if (answer.ok) arm();
    else { text.textContent = box.dataset.ended; keep.hidden = true; }
  });
  // Any request the page's own scripts make also slides the server's idle time.
  document.addEventListener('hdnd:activity', arm);
  arm();
}
