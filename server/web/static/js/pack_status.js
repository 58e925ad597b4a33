// The pack on the session page: progress while a build runs, then the version published,
// and the warning (with its one rebuild button) when documents are newer than the pack.
const box = document.getElementById('pack-live');
const $ = (id) => document.getElementById(id);
const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));

async function poll() {
  let building = false;
  try {
    const response = await fetch(`/console/api/sessions/${box.dataset.session}/pack`, { credentials: 'same-origin' });
    if (response.ok) {
      const pack = await response.json();
      building = !!pack.building;
      $('pack-progress').hidden = !building;
      if (building) {
        const b = pack.building;
        $('pack-bar').max = Math.max(1, b.documents_total);
        $('pack-bar').value = b.documents_done;
        $('pack-progress-text').textContent = fmt(box.dataset.building,
          { version: b.version, done: b.documents_done, total: b.documents_total });
      }
      $('pack-state').textContent = pack.published
        ? fmt(box.dataset.published, { version: pack.published.version }) : box.dataset.none;
      $('pack-failed').hidden = !pack.failed || building;
      if (pack.failed) $('pack-failed').textContent = fmt(box.dataset.failed, { version: pack.failed.version });
      $('pack-stale').hidden = !pack.stale || building;
      $('pack-stale-top').hidden = $('pack-stale').hidden; // seen without scrolling down
    }
  } catch (e) { /* try again on the next round */ }
  setTimeout(poll, building ? 700 : 8000);
}

if (box) poll();
