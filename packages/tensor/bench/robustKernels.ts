/**
 * Bench experiment `robust-kernels` (issue 2, items 5 and 6):
 * - location error ‖θ̂ − μ‖ of the mean and the robust estimators (coordinate median, trimmed
 *   mean, median-of-means, geometric median, geometric median-of-means) on Gaussian data in
 *   d = 10 with a fraction ε of gross outliers placed in one direction;
 * - speed of the O(n) median (quickselect) against a full sort;
 * - MMD² (unbiased, RBF, median-heuristic bandwidth) in float64 JS against the float32 tensor path.
 * @module
 */
import { matrixToTensor, mmd2Tensor, ready, tf } from '../src/tf';
import type { BenchRecord, Experiment } from '../src/experiment';
import { recordMedian } from '../src/benchRecords';
import { medianHeuristic, rbf } from '../src/kernels';
import { Matrix } from '../src/matrix';
import { mmd2 } from '../src/mmd';
import {
  blockMeans,
  coordinateMedian,
  coordinateMedianOfMeans,
  coordinateTrimmedMean,
  geometricMedian,
  geometricMedianOfMeans,
  median,
} from '../src/robustStats';
import { bestOf } from './timing';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/** Robust location, selection speed and MMD² cost. */
export const robustKernelsExperiment: Experiment = {
  name: 'robust-kernels',
  paper:
    'Minsker 2015 (geometric median-of-means), Vardi & Zhang 2000 (Weiszfeld), Gretton et al. JMLR 2012 (MMD)',
  claim:
    "Under 20% gross outliers (at distance 100) every robust estimator stays within a quarter of the sample mean's error (which is the outlier mass, 20); the quickselect median beats a full sort.",
  seeds: { quick: 3, full: 10 },
  plots: [{ metric: 'error', x: 'eps', title: 'location error vs outlier fraction', logY: true }],
  async run(ctx) {
    const full = ctx.profile === 'full';
    const n = full ? 2000 : 600;
    const d = 10;
    const records: BenchRecord[] = [];
    const epsList = [0, 0.1, 0.2];
    for (const [e, eps] of epsList.entries()) {
      ctx.progress(e / (epsList.length + 2), `location, eps = ${eps}`);
      const rng = ctx.rng.fold('location', eps);
      const X = new Matrix(n, d, rng.normalArray(n * d));
      const bad = Math.round(eps * n);
      const pos = rng.fold('pos').permutation(n);
      for (let i = 0; i < bad; i++) for (let j = 0; j < d; j++) X.set(pos[i], j, j === 0 ? 100 : 0);
      // k = 2·(bad) + 1 blocks at least, so fewer than half can be contaminated (and ≥ 10)
      const k = Math.min(n, Math.max(10, 2 * bad + 1));
      const est: [string, () => Float64Array][] = [
        ['mean', () => Float64Array.from(blockMeans(X, 1).data)],
        ['coordinate median', () => coordinateMedian(X)],
        ['trimmed mean (α = 0.25)', () => coordinateTrimmedMean(X, 0.25)],
        ['median-of-means', () => coordinateMedianOfMeans(X, k, { rng: rng.fold('mom') })],
        ['geometric median', () => geometricMedian(X)],
        ['geometric MoM', () => geometricMedianOfMeans(X, k, { rng: rng.fold('gmom') })],
      ];
      for (const [method, f] of est) {
        const t0 = performance.now();
        const theta = f();
        const ms = performance.now() - t0;
        records.push({ method, metric: 'error', value: norm(theta), params: { eps } });
        records.push({ method, metric: 'time', value: ms, unit: 'ms', params: { eps } });
      }
    }
    ctx.progress(epsList.length / (epsList.length + 2), 'median: quickselect vs sort');
    const m = full ? 1_000_000 : 200_000;
    const x = ctx.rng.fold('median').normalArray(m);
    records.push({
      method: 'median (quickselect)',
      metric: 'time',
      value: bestOf(3, () => median(x)),
      unit: 'ms',
      params: { n: m },
    });
    records.push({
      method: 'median (full sort)',
      metric: 'time',
      value: bestOf(3, () => Float64Array.from(x).sort()),
      unit: 'ms',
      params: { n: m },
    });
    ctx.progress((epsList.length + 1) / (epsList.length + 2), 'MMD²');
    await ready();
    const nm = full ? 2000 : 500;
    const A = new Matrix(nm, 5, ctx.rng.fold('mmd-a').normalArray(nm * 5));
    const B = new Matrix(nm, 5, ctx.rng.fold('mmd-b').normalArray(nm * 5, 0.2));
    const kern = rbf({ bandwidth: medianHeuristic(A, { variant: 'median' }) });
    let v64 = 0;
    records.push({
      method: 'mmd2 float64',
      metric: 'time',
      value: bestOf(2, () => {
        v64 = mmd2(A, B, kern, { unbiased: true });
      }),
      unit: 'ms',
      params: { n: nm },
    });
    const At = matrixToTensor(A);
    const Bt = matrixToTensor(B);
    let v32 = 0;
    records.push({
      method: 'mmd2Tensor float32 (wasm)',
      metric: 'time',
      value: bestOf(2, () => {
        const t = mmd2Tensor(At, Bt, kern, { unbiased: true });
        v32 = t.dataSync()[0];
        t.dispose();
      }),
      unit: 'ms',
      params: { n: nm },
    });
    tf.dispose([At, Bt]);
    records.push({
      method: 'mmd2Tensor float32 (wasm)',
      metric: 'rel. diff vs float64',
      value: Math.abs(v32 - v64) / Math.abs(v64),
      params: { n: nm },
    });
    ctx.progress(1);
    return records;
  },
  verdict(records) {
    const med = (method: string, metric: string, eps?: number) =>
      recordMedian(records, { method, metric, params: eps === undefined ? {} : { eps } }) ?? Number.NaN;
    const robust = [
      'coordinate median',
      'trimmed mean (α = 0.25)',
      'median-of-means',
      'geometric median',
      'geometric MoM',
    ];
    const worstRobust = Math.max(...robust.map((m) => med(m, 'error', 0.2)));
    const meanErr = med('mean', 'error', 0.2);
    const speedup = med('median (full sort)', 'time') / med('median (quickselect)', 'time');
    const ok = worstRobust < 0.25 * meanErr && speedup > 1;
    return `${ok ? 'PASS' : 'FAIL'} at 20% outliers: worst robust error ${worstRobust.toFixed(3)} (< 0.25 × mean's ${meanErr.toFixed(1)}); quickselect median ${speedup.toFixed(1)}× faster than a full sort`;
  },
};
