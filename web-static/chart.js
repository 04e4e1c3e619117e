// Bar charts drawn as SVG by the app itself: no library, every value set as text or as a number
// attribute, never parsed as markup.

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/**
 * A bar per point. `points` are `{ label, value, title }`; `label` names the chart for screen
 * readers, which read `summary` instead of the bars.
 */
export function barChart(points, { label, summary, height = 100 } = {}) {
  const width = 600;
  const top = Math.max(1, ...points.map((p) => p.value));
  const barWidth = width / Math.max(points.length, 1);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 16}`, class: 'chart', role: 'img', 'aria-label': `${label}: ${summary}` });
  points.forEach((point, index) => {
    const barHeight = Math.round((point.value / top) * height);
    const bar = svg('rect', {
      x: index * barWidth + 1, y: height - barHeight, width: Math.max(barWidth - 2, 1), height: Math.max(barHeight, point.value > 0 ? 1 : 0),
      class: 'bar',
    }, svg('title', {}, point.title));
    chart.append(bar);
  });
  chart.append(svg('line', { x1: 0, x2: width, y1: height + 0.5, y2: height + 0.5, class: 'axis' }));
  if (points.length) {
    chart.append(svg('text', { x: 0, y: height + 14, class: 'tick' }, points[0].label));
    chart.append(svg('text', { x: width, y: height + 14, class: 'tick', 'text-anchor': 'end' }, points[points.length - 1].label));
  }
  return chart;
}

/** A daily series from the rollups as a bar chart, with its total for screen readers. */
export function dailyChart(items, key, label, format = String) {
  const total = items.reduce((sum, item) => sum + item[key], 0);
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.textContent = `${label} (total ${format(total)})`;
  figure.append(caption, barChart(
    items.map((item) => ({ label: item.start.slice(5, 10), value: item[key], title: `${item.start.slice(0, 10)}: ${format(item[key])}` })),
    { label, summary: `total ${format(total)} over ${items.length} days` }));
  return figure;
}
