/**
 * Reweighted Wirtinger flow: least-squares WF restricted to the inliers of a robust start, the
 * classical way to regain efficiency after a high-breakdown fit (reweighted least squares,
 * Rousseeuw & Leroy 1987, "Robust Regression and Outlier Detection", §1.2 and §3.4: flag the pairs
 * whose residual exceeds 2.5 robust standard deviations at the robust estimate, then fit by least
 * squares on the rest; here repeated a few times, each time re-flagging at the refined point).
 * Residuals r_i = y_i − (a_iᵀz)²; scale σ̂ = 1.4826·median_i |r_i − c| (a MAD); inliers |r_i − c| ≤ cutoff·σ̂.
 * Rows are also flagged in the design space (Rousseeuw & Leroy's outlyingness in x; here the
 * design is N(0, s²I), so the robust distance is ‖a_i‖): rows with ‖a_i‖² above the 0.999 quantile
 * of s²χ²_n (s² from the median of ‖a_i‖²) are left out of the least-squares fit. Such rows carry no
 * more information than the others under the model, but a few of them can dominate the curvature
 * of the fit (a consistent spike row of norm 3√n adds ≈ 81n² η to λ_max), which would make any fixed
 * step unstable.
 * Zero-mean noise: c = 0. With `intercept: true` (noise of unknown mean) c is the median of the
 * residuals for the flagging, and the fit is least squares with an offset: at every step c is the
 * mean residual over the inliers (the exact minimiser over c), and WF steps on y − c.
 * WF steps are constant, μ = 0.1 relative to ‖z‖² ({@link REFINE_STEP}).
 * @module
 */
import {
  ShapeError,
  assertAllFinite,
  readVector,
  option,
  resolveOptions,
  medianInPlace,
} from '@descent/tensor';
import { type PhaseContext, makeContext } from './context';
import { readPhaseData } from './inputs';
import { type LoopOptions, runLoop, stepAlong } from './iterate';
import { RENAMED_OPTIONS, commonSchema, loopOf } from './solver';
import { makeStepSize } from './robustWF';
import type { CommonSolverOptions, DesignLike, HistoryEntry, SolveResult, VectorLike } from './types';

/** Options of {@link reweightedWF}. */
export interface ReweightedWFOptions extends Omit<CommonSolverOptions, 'x0' | 'seed'> {
  /** Inlier cutoff in robust standard deviations (default 2.5, Rousseeuw & Leroy). */
  cutoff?: number;
  /** Rounds of flag-then-fit (default 3; stops early when the inlier set no longer changes). */
  rounds?: number;
  /** Fit an unknown offset of the noise (default false: zero-mean noise). */
  intercept?: boolean;
}

/** Result of {@link reweightedWF}. */
export interface ReweightedWFResult extends SolveResult {
  /** Number of pairs flagged as inliers in the last round. */
  inliers: number;
  /** The fitted noise offset c (0 without `intercept`). */
  offset: number;
}

/**
 * Constant step μ/‖z_start‖² of the least-squares WF in the polish: 0.1 keeps μ·λ_max(∇²f)/‖x‖² < 2
 * for the sample Hessians seen at m = 8n (λ_max up to ≈ 11‖x‖², population 6‖x‖²), unlike
 * WF's μ_max = 0.2; the polish starts near x, so the warm-up schedule is not needed.
 */
export const REFINE_STEP = 0.1;

/** Quantile of χ²_k by the Wilson–Hilferty cube approximation, z the standard normal quantile. */
export function chiSquareQuantile(k: number, z: number): number {
  const c = 2 / (9 * k);
  return k * (1 - c + z * Math.sqrt(c)) ** 3;
}

/** Standard normal quantile of 0.999 (the design-leverage flag level). */
const Z_999 = 3.090232306167813;

/**
 * Flags rows whose ‖a_i‖² exceeds the 0.999 quantile of s²χ²_n, s² = median_i ‖a_i‖² / median(χ²_n)
 * (1 = keep). Returns the number kept.
 */
export function flagLeverage(A: { rows: number; cols: number; data: Float64Array }, out: Uint8Array): number {
  const { rows: m, cols: n, data } = A;
  const r2 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += data[o + j] * data[o + j];
    r2[i] = s;
  }
  const s2 = medianInPlace(Float64Array.from(r2)) / chiSquareQuantile(n, 0);
  const thr = s2 * chiSquareQuantile(n, Z_999);
  let kept = 0;
  for (let i = 0; i < m; i++) {
    out[i] = r2[i] <= thr ? 1 : 0;
    kept += out[i];
  }
  return kept;
}

/** 1/Φ⁻¹(3/4): the MAD of a normal sample times this estimates its standard deviation. */
export const MAD_TO_SD = 1.482602218505602;

/**
 * Flags inliers |r_i − c| ≤ cutoff·1.4826·median_j |r_j − c|, r_i = y_i − (a_iᵀz)², with c = 0 or
 * (intercept) c = median_i r_i. Returns the number of inliers and c (internal).
 */
export function flagInliers(
  Az: Float64Array,
  y: Float64Array,
  cutoff: number,
  intercept: boolean,
  out: Uint8Array,
): { count: number; center: number } {
  const m = y.length;
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) r[i] = y[i] - Az[i] * Az[i];
  const center = intercept ? medianInPlace(Float64Array.from(r)) : 0;
  const dev = Float64Array.from(r, (v) => Math.abs(v - center));
  const thr = cutoff * MAD_TO_SD * medianInPlace(Float64Array.from(dev));
  let count = 0;
  for (let i = 0; i < m; i++) {
    out[i] = dev[i] <= thr ? 1 : 0;
    count += out[i];
  }
  return { count, center };
}

/** The reweighted refinement from z on a prepared context (internal). */
export function refineOnContext(
  ctx: PhaseContext,
  z: Float64Array,
  loop: LoopOptions,
  { cutoff = 2.5, rounds = 3, intercept = false }: { cutoff?: number; rounds?: number; intercept?: boolean },
  start: number,
): ReweightedWFResult {
  const { m, n, y } = ctx;
  const lever = new Uint8Array(m);
  flagLeverage(ctx.A, lever);
  const keep = new Uint8Array(m);
  const prev = new Uint8Array(m);
  const Az = new Float64Array(m);
  const c = new Float64Array(m);
  const g = new Float64Array(n);
  let x: Float64Array = Float64Array.from(z);
  let iterations = 0;
  let history: HistoryEntry[] = [];
  let stopReason: SolveResult['stopReason'] = 'converged';
  let inliers = 0;
  let offset = 0;
  for (let round = 0; round < rounds; round++) {
    ctx.op.apply(x, Az);
    flagInliers(Az, y, cutoff, intercept, keep);
    let count = 0;
    for (let i = 0; i < m; i++) {
      keep[i] &= lever[i];
      count += keep[i];
    }
    if (round > 0 && keep.every((v, i) => v === prev[i])) break;
    prev.set(keep);
    if (count < n) break;
    inliers = count;
    let s2 = 0;
    for (let j = 0; j < n; j++) s2 += x[j] * x[j];
    if (s2 === 0) break; // x = 0 is a stationary point of every WF loss: nothing to polish
    const stepSize = makeStepSize('constant', REFINE_STEP, s2);
    const r = runLoop(
      ctx,
      x,
      loop,
      (zz, Azz) => {
        if (intercept) {
          let s = 0;
          for (let i = 0; i < m; i++) if (keep[i]) s += y[i] - Azz[i] * Azz[i];
          offset = s / inliers;
        }
        for (let i = 0; i < m; i++)
          c[i] = keep[i] ? ((Azz[i] * Azz[i] + offset - y[i]) * Azz[i]) / inliers : 0;
        ctx.op.applyT(c, g);
        return stepAlong(zz, stepSize(zz, g), g);
      },
      { start },
    );
    iterations += r.steps;
    history = r.history;
    stopReason = r.stopReason;
    if (r.stopReason === 'diverged') break;
    x = r.x;
  }
  return {
    x,
    x0: Float64Array.from(z),
    steps: iterations,
    converged: stopReason === 'converged',
    stopReason,
    history,
    evaluations: iterations,
    timeMs: performance.now() - start,
    method: 'reweighted-wf',
    inliers,
    offset,
  };
}

/**
 * Reweighted WF from a robust estimate z: flag the inliers (residual within 2.5 robust SDs), run
 * least-squares WF on them, re-flag, repeat (≤ 3 rounds). {@link robustPhaseRetrieval} runs it on
 * the candidate it selects. A start that is not already in the right basin is not rescued: this
 * polishes, it does not search. If the iterates blow up, the start z is returned (`stopReason:
 * 'diverged'`).
 *
 * ```ts
 * const rough = medianRWF(A, y);
 * const { x } = reweightedWF(A, y, rough.x);
 * ```
 */
export function reweightedWF(
  A: DesignLike,
  y: VectorLike,
  z: VectorLike,
  options: ReweightedWFOptions = {},
): ReweightedWFResult {
  const start = performance.now();
  const data = readPhaseData(A, y);
  const zv = readVector(z, 'z');
  if (zv.length !== data.n)
    throw new ShapeError(`z must have length n = ${data.n}, got length ${zv.length}`, 'z');
  assertAllFinite('z', zv);
  const { x0: _x0, seed: _seed, ...common } = commonSchema({ maxSteps: 500, tol: 1e-10 });
  const o = resolveOptions(
    options,
    {
      ...common,
      cutoff: option.number({ gt: 0, default: 2.5 }),
      rounds: option.integer({ min: 1, default: 3 }),
      intercept: option.boolean({ default: false }),
    },
    { name: 'reweightedWF options', renamed: RENAMED_OPTIONS },
  );
  const loop = loopOf(o, data.n);
  const { cutoff, rounds, intercept } = o;
  const ctx = makeContext(data.A, data.y, o.products);
  try {
    return refineOnContext(ctx, zv, loop, { cutoff, rounds, intercept }, start);
  } finally {
    ctx.op.dispose();
  }
}
