/**
 * orderStatPair (the bracketing selection behind the SVGD median heuristic) against a sort: the
 * same two order statistics on random, tied, constant, bimodal and adversarially placed data, on
 * both paths (bracket hit and the quickselect fallback), and with NaN present (same values as the
 * quickselect-only path).
 */
import { orderStatPair } from './orderStatPair';
import { quickselect } from './robustStats';
import { Rng } from './rng';

function bySort(u: Float64Array, k: number): [number, number] {
  const s = Float64Array.from(u).sort();
  return [s[k], s[k + 1]];
}

/** The quickselect-only answer (orderStatPair's fallback path) on a copy. */
function byQuickselect(u: Float64Array, k: number): [number, number] {
  const w = u.slice();
  const lo = quickselect(w, k);
  let hi = w[k + 1];
  for (let i = k + 2; i < w.length; i++) if (w[i] < hi) hi = w[i];
  return [lo, hi];
}

describe('orderStatPair', () => {
  const rng = new Rng('order-stat-pair');
  const cases: [string, (m: number) => Float64Array][] = [
    ['normal', (m) => rng.normalArray(m)],
    ['squared normals (chi², like pair distances)', (m) => rng.normalArray(m).map((v) => v * v)],
    ['integers 0..3 (many ties)', (m) => Float64Array.from({ length: m }, () => rng.int(4))],
    ['constant', (m) => new Float64Array(m).fill(2.5)],
    ['bimodal 1 : 1e9', (m) => Float64Array.from({ length: m }, () => (rng.uniform() < 0.5 ? 1 : 1e9) * rng.uniform())],
    ['sorted ascending', (m) => Float64Array.from({ length: m }, (_, i) => i)],
    ['sorted descending', (m) => Float64Array.from({ length: m }, (_, i) => m - i)],
    // the evenly spaced sample sees only large values: the bracket misses, the fallback answers
    [
      'sample positions hold outliers',
      (m) => {
        const u = Float64Array.from({ length: m }, () => rng.uniform());
        for (let i = 0; i < 192; i++) u[Math.floor(((i + 0.5) * m) / 192)] = 1e6 + i;
        return u;
      },
    ],
  ];
  it.each(cases)('%s: ranks k, k + 1 equal a sort over lengths 2..5000 and all k regions', (_, make) => {
    for (const m of [2, 3, 17, 1023, 1024, 1025, 4950, 5000]) {
      const u = make(m);
      for (const k of new Set([
        0,
        Math.floor((m - 2) / 4),
        Math.floor((m - 1) / 2) - 1,
        Math.floor((m - 1) / 2),
        m - 2,
      ])) {
        if (k < 0 || k + 1 >= m) continue;
        const want = bySort(u, k);
        expect(orderStatPair(u.slice(), k)).toEqual(want);
        expect(orderStatPair(u.slice(), k, new Float64Array(m))).toEqual(want);
      }
    }
  });

  it('with a NaN present it returns what quickselect alone returns (falls back)', () => {
    const m = 4950;
    const u = rng.normalArray(m).map((v) => v * v);
    u[1234] = Number.NaN;
    const k = 2449;
    expect(orderStatPair(u.slice(), k)).toEqual(byQuickselect(u, k));
  });
});
