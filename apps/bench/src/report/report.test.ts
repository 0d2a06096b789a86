import type { BenchRecord } from '@descent/tensor';
import { aggregate, fmt, paramsKey } from '../aggregate';
import { markdownTable } from './markdown';
import { plotSpec, renderSvg } from './plots';

const records: BenchRecord[] = [];
for (const seed of [0, 1, 2]) {
  for (const n of [10, 100, 1000]) {
    records.push({ method: 'ours', metric: 'error', value: (1 + seed) / n, params: { n }, seed });
    records.push({ method: 'baseline', metric: 'error', value: (2 + seed) / Math.sqrt(n), params: { n }, seed });
  }
}

describe('bench report', () => {
  it('aggregates over seeds into median and range per (method, params, metric)', () => {
    const cells = aggregate(records);
    expect(cells).toHaveLength(6);
    const c = cells.find((x) => x.method === 'ours' && x.params.n === 10)!;
    expect(c.n).toBe(3);
    expect(c.median).toBeCloseTo(0.2, 12);
    expect(c.min).toBeCloseTo(0.1, 12);
    expect(c.max).toBeCloseTo(0.3, 12);
    expect(paramsKey({ b: 1, a: 'x' })).toBe('a=x, b=1');
  });

  it('writes a method × metric markdown table with median [min, max]', () => {
    const table = markdownTable(records);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| method | setting | error |');
    expect(lines).toContain('| ours | n=10 | 0.2 [0.1, 0.3] |');
    expect(lines).toHaveLength(2 + 6);
  });

  it('renders a log-log plot to SVG without a DOM', async () => {
    const spec = plotSpec(records, { metric: 'error', x: 'n', logX: true, logY: true });
    expect(spec).not.toBeNull();
    const svg = await renderSvg(spec!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('baseline');
  });

  it('formats numbers compactly', () => {
    expect(fmt(1234.5678)).toBe('1235');
    expect(fmt(0.000012)).toBe('1.20e-5');
    expect(fmt(42)).toBe('42');
    expect(fmt(Number.NaN)).toBe('NaN');
  });
});
