/**
 * Bench experiment `linalg` (issue 2, item 3 and the first harness experiment):
 * - tfjs matMul GFLOP/s on the wasm and cpu backends (float32), and our float64 `matmul`;
 * - float64 `eigh`, `svd`, `cholesky` and `solve` against ml-matrix, timed alternately in the
 *   same run (ABAB…, best of the repetitions) so that machine load affects both sides alike,
 *   reported as times and as speed-ups `t(ml-matrix) / t(descent)`;
 * - RNG throughput (normal and uniform M values/s on 1e6-element Float64Arrays).
 * @module
 */

import os from 'node:os';
import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  Matrix as MlMatrix,
  solve as mlSolve,
  SingularValueDecomposition,
} from 'ml-matrix';
import { type BackendName, ready, tf } from '../src/tf';
import type { BenchContext, BenchRecord, Experiment } from '../src/experiment';
import { paramValues, recordMedian } from '../src/benchRecords';
import { cholesky, eigh, gram, matmul, solve, svd } from '../src/linalg';
import { Matrix } from '../src/matrix';
import type { Rng } from '../src/rng';
import { bestOf, timeIt } from './timing';

const OPS = ['eigh', 'svd', 'cholesky', 'solve'] as const;
type Op = (typeof OPS)[number];

/** tfjs matMul GFLOP/s on `backend` at size n (best of reps; timed around dataSync), by wall and CPU time. */
async function tfMatMulGflops(
  backend: BackendName,
  n: number,
  rng: Rng,
): Promise<{ wall: number; cpu: number }> {
  await ready({ backend, fallback: false });
  const a = tf.tensor2d(rng.fold('a', n).normalArray32(n * n), [n, n]);
  const b = tf.tensor2d(rng.fold('b', n).normalArray32(n * n), [n, n]);
  const flops = 2 * n ** 3;
  // ~3e9 (wasm) or 3e8 (cpu) flops of timed work; at least 2 repetitions (the cpu backend at
  // n = 1024 takes seconds per product)
  const reps = Math.max(2, Math.min(30, Math.ceil((backend === 'wasm' ? 3e9 : 3e8) / flops)));
  try {
    const t = timeIt(reps, () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    });
    return { wall: flops / (t.wall * 1e6), cpu: flops / (t.cpu * 1e6) };
  } finally {
    a.dispose();
    b.dispose();
  }
}

interface Pair {
  descent: () => void;
  ml: () => void;
}

function problem(op: Op, n: number, rng: Rng): Pair {
  const a = new Matrix(n, n, rng.fold(op, n).normalArray(n * n));
  const mlA = new MlMatrix(a.toArray());
  if (op === 'svd') return { descent: () => svd(a), ml: () => new SingularValueDecomposition(mlA) };
  if (op === 'solve') {
    const b = rng.fold('rhs', n).normalArray(n);
    const mlB = MlMatrix.columnVector(Array.from(b));
    return { descent: () => solve(a, b), ml: () => mlSolve(mlA, mlB) };
  }
  // symmetric positive definite: AᵀA/n + I
  const s = gram(a);
  for (let i = 0; i < n * n; i++) s.data[i] /= n;
  for (let i = 0; i < n; i++) s.data[i * n + i] += 1;
  const mlS = new MlMatrix(s.toArray());
  if (op === 'eigh')
    return { descent: () => eigh(s), ml: () => new EigenvalueDecomposition(mlS, { assumeSymmetric: true }) };
  return { descent: () => cholesky(s), ml: () => new CholeskyDecomposition(mlS) };
}

/** Times both implementations alternately; returns best-of times in ms. */
function race(pair: Pair, reps: number): { descent: number; ml: number } {
  pair.descent();
  pair.ml();
  let d = Number.POSITIVE_INFINITY;
  let m = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    pair.descent();
    d = Math.min(d, performance.now() - t0);
    t0 = performance.now();
    pair.ml();
    m = Math.min(m, performance.now() - t0);
  }
  return { descent: d, ml: m };
}

async function run(ctx: BenchContext): Promise<BenchRecord[]> {
  const full = ctx.profile === 'full';
  const out: BenchRecord[] = [];
  const rng = ctx.rng;
  out.push({
    method: 'machine',
    metric: 'load per core',
    value: os.loadavg()[0] / Math.max(1, os.cpus().length),
  });
  const tfSizes: Record<BackendName, number[]> = full
    ? { wasm: [64, 128, 256, 512, 1024], cpu: [64, 128, 256, 512, 1024] }
    : { wasm: [64, 256, 512], cpu: [64, 256] };
  const f64Sizes = [64, 256, 512];
  // the quick profile skips eigh and SVD at n = 512 (ml-matrix alone takes seconds there)
  const skip = (op: Op, n: number) => !full && n >= 512 && (op === 'eigh' || op === 'svd');
  const steps = tfSizes.wasm.length + tfSizes.cpu.length + f64Sizes.length * (OPS.length + 1) + 1;
  let step = 0;
  const tick = (msg: string) => ctx.progress(++step / steps, msg);

  // ---- tfjs matMul (float32) ----
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const n of tfSizes[backend]) {
      const g = await tfMatMulGflops(backend, n, rng.fold('matmul', backend));
      out.push({ method: `tfjs-${backend}`, metric: 'GFLOP/s', value: g.wall, params: { op: 'matMul', n } });
      out.push({
        method: `tfjs-${backend}`,
        metric: 'GFLOP/s (cpu time)',
        value: g.cpu,
        params: { op: 'matMul', n },
      });
      tick(`${backend} matMul n=${n}`);
    }
  }
  await ready();

  // ---- float64: our matmul, then the four decompositions against ml-matrix ----
  for (const n of f64Sizes) {
    if (full || n < 512) {
      const a = new Matrix(n, n, rng.fold('f64mm', n).normalArray(n * n));
      const ms = bestOf(n >= 512 ? 2 : n >= 256 ? 3 : 10, () => matmul(a, a));
      out.push({
        method: 'descent-f64',
        metric: 'GFLOP/s',
        value: (2 * n ** 3) / (ms * 1e6),
        params: { op: 'matMul', n },
      });
    }
    tick(`float64 matmul n=${n}`);
    for (const op of OPS) {
      if (skip(op, n)) {
        tick(`${op} n=${n} skipped (quick)`);
        continue;
      }
      const reps = n >= 512 ? (op === 'svd' || op === 'eigh' ? 1 : 2) : n >= 256 ? (full ? 3 : 2) : 10;
      const t = race(problem(op, n, rng), reps);
      out.push({ method: 'descent', metric: 'ms', value: t.descent, params: { op, n }, unit: 'ms' });
      out.push({ method: 'ml-matrix', metric: 'ms', value: t.ml, params: { op, n }, unit: 'ms' });
      out.push({
        method: 'descent',
        metric: 'speedup',
        value: t.ml / t.descent,
        params: { op, n },
        unit: '×',
      });
      tick(`${op} n=${n}`);
    }
  }

  // ---- RNG throughput ----
  const buf = new Float64Array(1_000_000);
  const gen = rng.fold('throughput');
  for (const op of ['normal', 'uniform'] as const) {
    const t = timeIt(5, op === 'normal' ? () => gen.fillNormal(buf) : () => gen.fillUniform(buf));
    out.push({ method: 'Rng', metric: 'M values/s', value: buf.length / (t.wall * 1e3), params: { op } });
    out.push({
      method: 'Rng',
      metric: 'M values/s (cpu time)',
      value: buf.length / (t.cpu * 1e3),
      params: { op },
    });
  }
  out.push({
    method: 'machine',
    metric: 'load per core',
    value: os.loadavg()[0] / Math.max(1, os.cpus().length),
  });
  tick('rng');
  return out;
}


function verdict(records: BenchRecord[]): string {
  const med = (method: string, metric: string, params: Record<string, string | number>) =>
    recordMedian(records, { method, metric, params }) ?? Number.NaN;
  const checks: { name: string; value: number; target: number; unit: string }[] = [
    {
      name: 'wasm matMul n=512',
      value: med('tfjs-wasm', 'GFLOP/s', { op: 'matMul', n: 512 }),
      target: 30,
      unit: ' GFLOP/s',
    },
  ];
  const sizes = [
    ...(paramValues(records, 'n', { metric: 'speedup' }) as number[]),
  ].filter((n) => n >= 256);
  for (const op of OPS) {
    for (const n of op === 'eigh' || op === 'svd' ? [256] : sizes) {
      checks.push({
        name: `${op} n=${n} vs ml-matrix`,
        value: med('descent', 'speedup', { op, n }),
        target: 1,
        unit: '×',
      });
    }
  }
  checks.push({
    name: 'normal RNG',
    value: med('Rng', 'M values/s', { op: 'normal' }),
    target: 50,
    unit: ' M/s',
  });
  const fmt = (c: (typeof checks)[number]) =>
    `${c.name} ${Number.isFinite(c.value) ? c.value.toFixed(c.unit === '×' ? 2 : 1) : 'n/a'}${c.unit} (≥ ${c.target})`;
  const failed = checks.filter((c) => !(c.value >= c.target));
  const load = recordMedian(records, { metric: 'load per core' }) ?? Number.NaN;
  const cpuView =
    `cpu-time view: wasm matMul n=512 ${med('tfjs-wasm', 'GFLOP/s (cpu time)', { op: 'matMul', n: 512 }).toFixed(1)} GFLOP/s, ` +
    `normal RNG ${med('Rng', 'M values/s (cpu time)', { op: 'normal' }).toFixed(1)} M/s; machine load ${load.toFixed(1)} per core`;
  return `${failed.length === 0 ? 'PASS' : 'FAIL'}: ${checks.map(fmt).join('; ')}${failed.length ? ` — failing: ${failed.map((c) => c.name).join(', ')}` : ''} (${cpuView})`;
}

/** The `linalg` experiment: dense linear algebra and RNG throughput against their targets. */
export const linalgExperiment: Experiment = {
  name: 'linalg',
  paper: 'descent issue 2 (foundation): @descent/tensor linear algebra and RNG',
  claim:
    'wasm matMul ≥ 30 GFLOP/s at n = 512; float64 eigh and SVD at n = 256 at least as fast as ml-matrix (aim 2×); Cholesky and solve no slower; normal RNG ≥ 50 M values/s',
  seeds: { quick: 2, full: 3 },
  plots: [
    {
      metric: 'GFLOP/s',
      x: 'n',
      logX: true,
      logY: true,
      title: 'matMul throughput (tfjs float32 wasm/cpu, descent float64)',
    },
    {
      metric: 'GFLOP/s (cpu time)',
      x: 'n',
      logX: true,
      logY: true,
      title: 'tfjs matMul throughput per CPU second (less sensitive to machine load)',
    },
    {
      metric: 'speedup',
      x: 'n',
      logX: true,
      title: 'descent float64 speed-up over ml-matrix (> 1 is faster)',
    },
    { metric: 'ms', x: 'n', logX: true, logY: true, title: 'float64 decomposition time (ms, best of reps)' },
  ],
  run,
  verdict,
};
