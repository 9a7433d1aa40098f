// Line charts on log–log axes as a standalone SVG, drawn without a plotting library: panels side by side
// sharing one y range, one polyline (with dots) per series, labelled axes and a legend underneath.

export interface Series {
  readonly name: string;
  readonly color: string;
  /** [x, y] pairs, both > 0; missing points are simply left out. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const [WIDTH, HEIGHT] = [460, 340];
const MARGIN = { left: 78, right: 20, top: 36, bottom: 52 } as const;
const LEGEND_ROW = 22;

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(s)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, attrs: string): string =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attrs}/>`;

/** 1, 2, 5 × 10^k within [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** k;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  return ticks;
}

/** 1234567 → "1.2M", 45000 → "45k", 512 → "512". */
function short(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(2)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(2)}k`;
  return `${+v.toPrecision(2)}`;
}

/** A log scale from [lo, hi] onto [a, b]. */
const logScale = (lo: number, hi: number, a: number, b: number) => (v: number): number =>
  a + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (b - a);

function panelSvg(p: Panel, offsetX: number, [yLo, yHi]: readonly [number, number]): string {
  const xs = [...new Set(p.series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const [x0, x1] = [MARGIN.left, WIDTH - MARGIN.right];
  const [y0, y1] = [HEIGHT - MARGIN.bottom, MARGIN.top];
  const sx = logScale(xs[0] / 1.25, xs[xs.length - 1] * 1.25, x0, x1);
  const sy = logScale(yLo, yHi, y0, y1);
  const parts = [
    `<g transform="translate(${offsetX},0)">`,
    text((x0 + x1) / 2, 20, p.title, 'text-anchor="middle" font-weight="bold"'),
    `<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#444"/>`,
    ...logTicks(yLo, yHi).flatMap((v) => [line(x0, sy(v), x1, sy(v), 'stroke="#ddd"'), text(x0 - 6, sy(v) + 4, short(v), 'text-anchor="end"')]),
    ...xs.flatMap((v) => [line(sx(v), y0, sx(v), y1, 'stroke="#eee"'), text(sx(v), y0 + 16, String(v), 'text-anchor="middle"')]),
    text((x0 + x1) / 2, HEIGHT - 12, p.xLabel, 'text-anchor="middle"'),
    text(0, 0, p.yLabel, `text-anchor="middle" transform="translate(18,${(y0 + y1) / 2}) rotate(-90)"`),
  ];
  for (const s of p.series) {
    const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    if (pts.length > 1) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(...s.points.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3.5" fill="${s.color}"/>`));
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** The panels side by side on a shared log y range, the legend (every series name once) below them. */
export function lineChartSvg(panels: readonly Panel[]): string {
  const ys = panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([, y]) => y)));
  if (ys.length === 0) throw new Error('lineChartSvg: no points to draw');
  const yRange = [10 ** Math.floor(Math.log10(Math.min(...ys))), 10 ** Math.ceil(Math.log10(Math.max(...ys)))] as const;
  const legend = [...new Map(panels.flatMap((p) => p.series.map((s) => [s.name, s.color] as const))).entries()];
  const [width, height] = [WIDTH * panels.length, HEIGHT + LEGEND_ROW * Math.ceil(legend.length / 4) + 8];
  const keys = legend.map(([name, color], i) => {
    const [x, y] = [MARGIN.left + (i % 4) * 200, HEIGHT + 8 + Math.floor(i / 4) * LEGEND_ROW];
    return `${line(x, y, x + 24, y, `stroke="${color}" stroke-width="3"`)}\n${text(x + 30, y + 4, name)}`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, i * WIDTH, yRange)),
    ...keys,
    '</svg>',
    '',
  ].join('\n');
}
