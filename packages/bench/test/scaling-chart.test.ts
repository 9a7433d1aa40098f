// The scaling workload's plan and chart: which shapes are timed, how many steps a point gets, and that the
// SVG puts each backend's points on log axes in the right order.
import { describe, expect, it } from 'vitest';
import { plannedSteps, POINT_PLAN, scalingShapes } from '../src/scaling.ts';
import { lineChartSvg } from '../src/svg-chart.ts';

describe('scaling plan', () => {
  it('times the width sweep, then the batch sweep without the shape both share', () => {
    const shapes = scalingShapes().map((s) => `${s.hidden}x${s.batch}`);
    expect(shapes).toEqual(['128x128', '512x128', '2048x128', '4096x128', '512x32', '512x512', '512x2048']);
  });

  it('fills the point seconds between the step bounds and the training rows there are', () => {
    expect(plannedSteps(0.1, 128)).toBe(Math.round(POINT_PLAN.seconds / 0.1));
    expect(plannedSteps(10, 128)).toBe(POINT_PLAN.minSteps);
    expect(plannedSteps(1e-5, 128)).toBe(POINT_PLAN.maxSteps);
    expect(plannedSteps(1e-5, 2048)).toBe(Math.floor(60000 / 2048));
  });
});

describe('lineChartSvg', () => {
  const svg = lineChartSvg([
    { title: 'width', xLabel: 'hidden width (log)', yLabel: 'samples/s (log)', series: [
      { name: 'A', color: '#111', points: [[128, 10000], [512, 1000], [4096, 100]] },
      { name: 'B <b>', color: '#222', points: [[128, 50]] },
    ] },
  ]);
  const polyline = /<polyline points="([^"]+)"/g;

  it('draws a line for each series of two or more points, a dot for each point, and escapes labels', () => {
    expect([...svg.matchAll(polyline)]).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('B &lt;b&gt;');
    expect(svg).toContain('hidden width (log)');
  });

  it('places x by log: x at log distances, y in equal steps for equal factors, falling values lower', () => {
    const [points] = [...svg.matchAll(polyline)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
    const [[x0, y0], [x1, y1], [x2, y2]] = points;
    expect((x2 - x1) / (x1 - x0)).toBeCloseTo(Math.log(4096 / 512) / Math.log(512 / 128), 2); // coordinates are written to 0.1 px
    expect(y1 - y0).toBeCloseTo(y2 - y1, 0); // each a factor 10 lower: equal steps on a log axis
    expect(y0).toBeLessThan(y1); // SVG y grows downwards
  });

  it('refuses to draw without points', () => {
    expect(() => lineChartSvg([{ title: 't', xLabel: 'x', yLabel: 'y', series: [] }])).toThrow(/no points/);
  });
});
