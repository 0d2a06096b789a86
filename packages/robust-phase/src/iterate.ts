/**
 * The iteration driver shared by every solver: products, history (robust objective, relErr, time),
 * the relative-step stopping rule and divergence detection.
 * @module
 */
import { ConvergenceError, assertInteger, assertPositive } from '@descent/tensor';
import type { PhaseContext } from './context';
import { readOptionalVector } from './inputs';
import { relativeError, robustObjectiveFromProducts } from './metrics';
import type { CommonSolverOptions, HistoryEntry } from './types';

/** Resolved loop options (internal). */
export interface LoopOptions {
  maxIter: number;
  tol: number;
  xTrue?: Float64Array;
  historyEvery: number;
}

/** Validates the common loop options with per-solver defaults. */
export function resolveLoop(
  options: CommonSolverOptions,
  n: number,
  defaults: { maxIter: number; tol: number },
): LoopOptions {
  const maxIter = options.maxIter ?? defaults.maxIter;
  assertInteger('maxIter', maxIter, 0);
  const tol = options.tol ?? defaults.tol;
  assertPositive('tol', tol, true);
  const historyEvery = options.historyEvery ?? 10;
  assertInteger('historyEvery', historyEvery, 1);
  return { maxIter, tol, xTrue: readOptionalVector('xTrue', options.xTrue, n), historyEvery };
}

/** Output of {@link runLoop}. */
export interface LoopResult {
  x: Float64Array;
  iterations: number;
  converged: boolean;
  history: HistoryEntry[];
  evaluations: number;
}

/**
 * Runs z_{t+1} = step(z_t, A z_t, t) until the relative step falls below tol or maxIter.
 * `objective(z, Az)` is the diagnostic recorded in the history (default median |(Az)² − y|).
 * Throws {@link ConvergenceError} if an iterate becomes non-finite.
 */
export function runLoop(
  ctx: PhaseContext,
  z0: Float64Array,
  loop: LoopOptions,
  step: (z: Float64Array, Az: Float64Array, t: number) => Float64Array,
  {
    name,
    start = performance.now(),
    project,
    objective,
  }: {
    name: string;
    start?: number;
    project?: (z: Float64Array, out: Float64Array) => Float64Array;
    objective?: (Az: Float64Array) => number;
  },
): LoopResult {
  const { m, n } = ctx;
  const apply = project ?? ((z: Float64Array, out: Float64Array) => ctx.op.apply(z, out));
  const Az = new Float64Array(m);
  const scratch = new Float64Array(m);
  const history: HistoryEntry[] = [];
  const record = (t: number, z: Float64Array) => {
    const e: HistoryEntry = {
      t,
      objective: objective ? objective(Az) : robustObjectiveFromProducts(Az, ctx.y, scratch),
      ms: performance.now() - start,
    };
    if (loop.xTrue) e.relErr = relativeError(z, loop.xTrue);
    history.push(e);
  };
  let z: Float64Array = Float64Array.from(z0);
  let converged = false;
  let t = 0;
  for (; t < loop.maxIter; t++) {
    apply(z, Az);
    if (t % loop.historyEvery === 0) record(t, z);
    const next = step(z, Az, t);
    let d2 = 0;
    let z2 = 0;
    for (let j = 0; j < n; j++) {
      const nj = next[j];
      if (!Number.isFinite(nj)) {
        throw new ConvergenceError(
          `${name} diverged at iteration ${t + 1} (non-finite iterate); lower the step size or use a robust method`,
          'mu',
        );
      }
      d2 += (nj - z[j]) ** 2;
      z2 += z[j] * z[j];
    }
    z = next;
    if (d2 <= loop.tol * loop.tol * z2) {
      t++;
      converged = true;
      break;
    }
  }
  apply(z, Az);
  record(t, z);
  return { x: z, iterations: t, converged, history, evaluations: t };
}

/** z − c·g as a fresh array (explicit loop: typed-array `from` with a callback is slow in V8). */
export function stepAlong(z: Float64Array, c: number, g: ArrayLike<number>): Float64Array {
  const out = new Float64Array(z.length);
  for (let j = 0; j < z.length; j++) out[j] = z[j] - c * g[j];
  return out;
}
