// A horizontal bar chart as SVG, with an optional dashed threshold line. No library.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function barChart({ labels, values, title, threshold = null, thresholdLabel = '', dark = false, colors = null }) {
  const width = 800;
  const rowH = 56;
  const left = 260;
  const right = 90;
  const top = title ? 44 : 12;
  const height = top + labels.length * rowH + (threshold != null ? 40 : 16);
  const max = Math.max(1, threshold || 0, ...values);
  const scale = (width - left - right) / max;
  const ink = dark ? '#ffffff' : '#1a1a1a';
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: dark ? 'pj-chart chart' : 'chart', 'aria-label': title || '' });
  if (title) svg.append(el('text', { x: 0, y: 26, 'font-size': 22, 'font-weight': 700, fill: ink }, title));
  labels.forEach((label, i) => {
    const y = top + i * rowH;
    const w = Math.max(2, values[i] * scale);
    svg.append(el('text', { x: left - 12, y: y + rowH / 2 + 8, 'text-anchor': 'end', 'font-size': 22, fill: ink }, label));
    svg.append(el('rect', { x: left, y: y + 8, width: w, height: rowH - 16, rx: 4, fill: (colors && colors[i]) || '#2f7dd1' }));
    svg.append(el('text', { x: left + w + 10, y: y + rowH / 2 + 8, 'font-size': 24, 'font-weight': 700, fill: ink }, String(values[i])));
  });
  if (threshold != null) {
    const x = left + threshold * scale;
    const bottom = top + labels.length * rowH;
    svg.append(el('line', { x1: x, x2: x, y1: top, y2: bottom + 6, stroke: dark ? '#ffcf5c' : '#a4161a', 'stroke-width': 3, 'stroke-dasharray': '8 6', class: 'threshold' }));
    svg.append(el('text', { x, y: bottom + 30, 'text-anchor': 'middle', 'font-size': 20, fill: dark ? '#ffcf5c' : '#a4161a' }, thresholdLabel));
  }
  return svg;
}
