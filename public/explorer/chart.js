// Outcome figures as an inline SVG bar chart, with the same figures in a data table.

import { h, s } from './dom.js';

const WIDTH = 560;
const ROW = 54;
const BAR = 20;
const VALUE_ROOM = 130;
let charts = 0;

/**
 * rows: [{ label, value, shown, unit, url? }] where `shown` is the value as read (with its
 * qualifier). Bars share one scale from zero: every figure is a count.
 */
export function figureChart(rows, { caption, description, words }) {
  const id = `chart-${(charts += 1)}`;
  const max = Math.max(...rows.map((row) => row.value), 1);
  const summary = rows.map((row) => `${row.label}: ${row.shown} ${row.unit}`).join('; ');
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${rows.length * ROW}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      className: 'chart-svg',
      focusable: 'false',
    },
    s('title', { id: `${id}-title` }, caption),
    s('desc', { id: `${id}-desc` }, summary),
    rows.map((row, i) => {
      const y = i * ROW;
      const width = Math.max(2, ((WIDTH - VALUE_ROOM) * row.value) / max);
      return s(
        'g',
        {},
        s('text', { x: 0, y: y + 18, className: 'chart-label' }, row.label),
        s('rect', { x: 0, y: y + 26, width: width.toFixed(1), height: BAR, rx: 3, className: 'chart-bar' }),
        s('text', { x: (width + 8).toFixed(1), y: y + 26 + BAR - 5, className: 'chart-value' }, row.shown),
      );
    }),
  );
  const table = h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, words.figure), h('th', { scope: 'col' }, words.value), h('th', { scope: 'col' }, words.unit)),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, row.url ? h('a', { href: row.url }, row.label) : row.label),
          h('td', { className: 'number' }, row.shown),
          h('td', {}, row.unit),
        ),
      ),
    ),
  );
  return h(
    'figure',
    { className: 'chart', 'aria-labelledby': `${id}-caption` },
    h(
      'figcaption',
      { id: `${id}-caption` },
      h('strong', {}, caption),
      description ? h('span', { className: 'hint' }, ` ${description}`) : null,
    ),
    svg,
    h('details', {}, h('summary', {}, words.dataTable), table),
  );
}
