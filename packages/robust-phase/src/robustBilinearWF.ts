/**
 * The tailored robust WF for the bilinear model ỹ_i = 2(u_iᵀx)(v_iᵀx) + ζ_i produced by
 * {@link pairDifference} (the unknown-noise regime of Buna & Rebeschini, reconstructed).
 * Loss (1/8)r_i², r_i = 2(u_iᵀz)(v_iᵀz) − ỹ_i, per-pair gradient g_i = ½ r_i ((v_iᵀz)u_i + (u_iᵀz)v_i)
 * (population Hessian at x: 2‖x‖²I + 2xxᵀ, so the WF step μ/‖z0‖² keeps its meaning).
 * Spectral start: top algebraic eigenvector of M = (1/m') Σ ỹ_i (u_iv_iᵀ + v_iu_iᵀ)/2, E M = 2xxᵀ
 * (no identity offset, whatever the noise mean), scale √(λ1/2).
 * @module
 */
import { Matrix, type MatrixLike, Rng, ShapeError, assertAllFinite } from '@descent/tensor';
import { type PhaseContext, makeContext } from './context';
import { checkChoice, readOptionalVector, readVector } from './inputs';
import { runLoop, stepAlong } from './iterate';
import { medianInPlace } from './metrics';
import { powerIteration } from './powerIteration';
import { resolveMeanOptions, robustMeanTransposed } from './robustMean';
import { type RobustWFOptions, makeBatches, resolveRobustOptions } from './robustWF';
import type { SolveResult, VectorLike } from './types';

/** Options of {@link robustBilinearWF}: those of robustWF; `init.method` is `'spectral'` or `'robust-power'` (default). */
export type RobustBilinearWFOptions = RobustWFOptions;

/**
 * Robust WF on bilinear data (U, V, ỹ). η is the contamination of the *raw* samples; a corrupted
 * sample spoils its pair, so the estimator is run with η' = min(2η, 0.49).
 *
 * ```ts
 * const { U, V, yTilde } = pairDifference(A, y, 1);
 * const { x } = robustBilinearWF(U, V, yTilde, { eta: 0.05 });
 * ```
 */
export function robustBilinearWF(
  U: MatrixLike,
  V: MatrixLike,
  yTilde: VectorLike,
  options: RobustBilinearWFOptions = {},
): SolveResult {
  const start = performance.now();
  const Um = Matrix.of(U, 'U');
  const Vm = Matrix.of(V, 'V');
  const yt = readVector('yTilde', yTilde);
  const m = Um.rows;
  const n = Um.cols;
  if (Vm.rows !== m || Vm.cols !== n)
    throw new ShapeError(`V must be ${m} × ${n} like U, got ${Vm.rows} × ${Vm.cols}`, 'V');
  if (yt.length !== m)
    throw new ShapeError(`yTilde must have length ${m} (the rows of U), got length ${yt.length}`, 'yTilde');
  if (m < n) throw new ShapeError(`U must have at least n = ${n} rows, got ${m}`, 'U');
  assertAllFinite('U', Um.data);
  assertAllFinite('V', Vm.data);
  assertAllFinite('yTilde', yt);
  const opts = resolveRobustOptions(options, n, m);
  const etaPairs = Math.min(2 * opts.eta, 0.49);
  opts.mean = resolveMeanOptions({
    ...options.estimatorOptions,
    method: opts.estimator,
    eta: etaPairs,
    delta: opts.mean.delta,
  });
  const initMethod = checkChoice('init.method', options.init?.method ?? 'robust-power', [
    'spectral',
    'robust-power',
  ] as const);
  const x0 = readOptionalVector('x0', options.x0, n);
  const ctx: PhaseContext = makeContext(Um, yt, options.products);
  const ctxV = makeContext(Vm, yt, ctx.op.kind);
  const rng = new Rng(opts.seed);
  try {
    const Uw = new Float64Array(m);
    const Vw = new Float64Array(m);
    const tmp = new Float64Array(m);
    const Ut = opts.estimator === 'mean' && initMethod === 'spectral' ? null : ctx.transposed();
    const Vt = Ut ? ctxV.transposed() : null;
    const Gt = new Float64Array(n * m);
    // M w, plain or robust
    const initMean = resolveMeanOptions({
      method: opts.estimator === 'mean' ? 'trimmed' : opts.estimator,
      eta: etaPairs,
    });
    let call = 0;
    const matvec = (w: Float64Array): Float64Array => {
      ctx.op.apply(w, Uw);
      ctxV.op.apply(w, Vw);
      if (initMethod === 'spectral') {
        for (let i = 0; i < m; i++) tmp[i] = (yt[i] * Vw[i]) / (2 * m);
        const out = ctx.op.applyT(tmp, new Float64Array(n));
        for (let i = 0; i < m; i++) tmp[i] = (yt[i] * Uw[i]) / (2 * m);
        const out2 = ctxV.op.applyT(tmp, new Float64Array(n));
        for (let j = 0; j < n; j++) out[j] += out2[j];
        return out;
      }
      const ut = Ut as Float64Array;
      const vt = Vt as Float64Array;
      for (let j = 0; j < n; j++) {
        const o = j * m;
        for (let i = 0; i < m; i++) Gt[o + i] = 0.5 * yt[i] * (Vw[i] * ut[o + i] + Uw[i] * vt[o + i]);
      }
      return robustMeanTransposed(Gt, n, m, initMean, rng.fold('init-mean', call++));
    };
    let z0: Float64Array;
    if (x0) {
      z0 = x0;
    } else {
      // M is indefinite: find the spectral radius, then iterate on M + ρI so the top algebraic eigenvalue wins
      const rho = Math.abs(powerIteration(matvec, n, { iters: 50, rng: rng.fold('radius') }).lambda);
      const { v, lambda } = powerIteration(matvec, n, { iters: 50, rng: rng.fold('top'), shift: rho });
      const scale = Math.sqrt(Math.max(lambda, 0) / 2);
      z0 = Float64Array.from(v, (a) => a * scale);
    }
    let s2 = 0;
    for (let j = 0; j < n; j++) s2 += z0[j] * z0[j];
    const step = opts.mu / (s2 || 1);
    const batches = makeBatches(m, opts, rng);
    const k = batches[0].length;
    const Gk = new Float64Array(n * k);
    const c1 = new Float64Array(m);
    const c2 = new Float64Array(m);
    const g1 = new Float64Array(n);
    const g2 = new Float64Array(n);
    const res = new Float64Array(m);
    const ut = Ut ?? ctx.transposed();
    const vt = Vt ?? ctxV.transposed();
    const out = runLoop(
      ctx,
      z0,
      opts.loop,
      (z, _Az, t) => {
        // Uw, Vw hold Uz, Vz (see project)
        let ghat: Float64Array;
        if (opts.estimator === 'mean' && opts.batching === 'full') {
          for (let i = 0; i < m; i++) {
            const r = 2 * Uw[i] * Vw[i] - yt[i];
            c1[i] = (0.5 * r * Vw[i]) / m;
            c2[i] = (0.5 * r * Uw[i]) / m;
          }
          ctx.op.applyT(c1, g1);
          ctxV.op.applyT(c2, g2);
          ghat = Float64Array.from(g1, (a, j) => a + g2[j]);
        } else {
          const idx = batches[opts.batching === 'full' ? 0 : t % batches.length];
          for (let t2 = 0; t2 < k; t2++) {
            const i = idx[t2];
            const r = 2 * Uw[i] * Vw[i] - yt[i];
            c1[t2] = 0.5 * r * Vw[i];
            c2[t2] = 0.5 * r * Uw[i];
          }
          for (let j = 0; j < n; j++) {
            const o = j * k;
            const oa = j * m;
            for (let t2 = 0; t2 < k; t2++) Gk[o + t2] = c1[t2] * ut[oa + idx[t2]] + c2[t2] * vt[oa + idx[t2]];
          }
          ghat = robustMeanTransposed(Gk, n, k, opts.mean, rng.fold('mean', t));
        }
        return stepAlong(z, step, ghat);
      },
      {
        name: 'robustBilinearWF',
        start,
        project: (z, outv) => {
          ctx.op.apply(z, Uw);
          ctxV.op.apply(z, Vw);
          outv.set(Uw);
          return outv;
        },
        objective: () => {
          for (let i = 0; i < m; i++) res[i] = Math.abs(2 * Uw[i] * Vw[i] - yt[i]);
          return medianInPlace(res);
        },
      },
    );
    return {
      ...out,
      x0: Float64Array.from(z0),
      timeMs: performance.now() - start,
      method: `bilinear-wf[${opts.estimator}]`,
    };
  } finally {
    ctx.op.dispose();
    ctxV.op.dispose();
  }
}
