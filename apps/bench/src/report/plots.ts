import type { BenchRecord, PlotSpec } from '@descent/tensor';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { aggregate } from '../aggregate';

/** A vega-lite spec: median of `spec.metric` against `spec.x`, one line per method, IQR band. */
export function plotSpec(records: BenchRecord[], spec: PlotSpec): vl.TopLevelSpec | null {
  const cells = aggregate(records.filter((r) => r.metric === spec.metric && r.params && spec.x in r.params));
  const values = cells
    .filter((c) => Number.isFinite(c.median) && typeof c.params[spec.x] === 'number')
    .map((c) => {
      const rest = Object.entries(c.params)
        .filter(([k]) => k !== spec.x)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return { x: c.params[spec.x] as number, median: c.median, q25: c.q25, q75: c.q75, series: rest ? `${c.method} (${rest})` : c.method };
    });
  if (values.length === 0) return null;
  const xScale = spec.logX ? { type: 'log' as const } : {};
  const yScale = spec.logY ? { type: 'log' as const } : { zero: false };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: spec.title ?? `${spec.metric} vs ${spec.x}`,
    width: 480,
    height: 300,
    data: { values },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: spec.x, scale: xScale },
      color: { field: 'series', type: 'nominal', title: 'method' },
    },
    layer: [
      { mark: { type: 'area', opacity: 0.15 }, encoding: { y: { field: 'q25', type: 'quantitative', scale: yScale }, y2: { field: 'q75' } } },
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'median', type: 'quantitative', title: spec.metric, scale: yScale } } },
    ],
  } as vl.TopLevelSpec;
}

/** Renders a vega-lite spec to an SVG string (no DOM, no canvas). */
export async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
