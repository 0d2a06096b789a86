/**
 * The tailored robust WF for the bilinear model ỹ_i = 2(u_iᵀx)(v_iᵀx) + ζ_i produced by
 * {@link pairDifference} (the unknown-noise regime of Buna & Rebeschini, reconstructed).
 * Loss (1/8)r_i², r_i = 2(u_iᵀz)(v_iᵀz) − ỹ_i, per-pair gradient g_i = ½ r_i ((v_iᵀz)u_i + (u_iᵀz)v_i)
 * (population Hessian at x: 2‖x‖²I + 2xxᵀ, so the WF step μ/‖z0‖² keeps its meaning).
 * Spectral start: top algebraic eigenvector of M = (1/m') Σ ỹ_i (u_iv_iᵀ + v_iu_iᵀ)/2, E M = 2xxᵀ
 * (no identity offset, whatever the noise mean), scale √(λ1/2).
 * @module
 */
import {
  Matrix,
  type MatrixLike,
  Rng,
  ShapeError,
  ValueError,
  assertAllFinite,
  readEnum,
  readVector,
  option,
  resolveOptions,
  medianInPlace,
} from '@descent/tensor';
import { type PhaseContext, makeContext } from './context';
import { checkLength } from './inputs';
import { stepAlong } from './iterate';
import { powerIteration } from './powerIteration';
import { resolveMeanOptions, robustMeanTransposed } from './robustMean';
import {
  ROBUST_WF_SCHEMA,
  type RobustWFOptions,
  makeBatches,
  makeStepSize,
  resolveRobustOptions,
} from './robustWF';
import { RENAMED_OPTIONS, type Start, commonSchema, loopOf, solveFromStarts } from './solver';
import type { SolveResult, VectorLike } from './types';

/** Starts of the bilinear WF. */
export type BilinearInit = 'spectral' | 'robust-power';

/**
 * Options of {@link robustBilinearWF}: those of robustWF, except that `init.method` is
 * `'spectral'`, `'robust-power'` (default) or both (each start is run; the final iterate with the
 * smallest bilinear robust objective median_i |2(u_iᵀz)(v_iᵀz) − ỹ_i| is kept).
 */
export interface RobustBilinearWFOptions extends Omit<RobustWFOptions, 'init'> {
  init?: { method?: BilinearInit | BilinearInit[] };
}

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
  const yt = readVector(yTilde, 'yTilde');
  const m = Um.rows;
  const n = Um.cols;
  if (Vm.rows !== m || Vm.cols !== n)
    throw new ShapeError(`V must be ${m} × ${n} like U, got ${Vm.rows} × ${Vm.cols}`, 'V');
  if (yt.length !== m)
    throw new ShapeError(`yTilde must have length ${m} (the rows of U), got length ${yt.length}`, 'yTilde');
  if (n < 1) throw new ShapeError(`U must have at least one column, got ${m} × ${n}`, 'U');
  if (m < n) throw new ShapeError(`U must have at least n = ${n} rows, got ${m}`, 'U');
  assertAllFinite('U', Um.data);
  assertAllFinite('V', Vm.data);
  assertAllFinite('yTilde', yt);
  const o = resolveOptions(
    options,
    {
      ...commonSchema({ maxSteps: 500, tol: 1e-10 }),
      ...ROBUST_WF_SCHEMA,
      init: option.custom((v, name) => resolveOptions(v, { method: option.custom((x) => x) }, { name })),
    },
    { name: 'robustBilinearWF options', renamed: RENAMED_OPTIONS },
  );
  const loop = loopOf(o, n);
  const etaPairs = Math.min(2 * o.eta, 0.49);
  const opts = resolveRobustOptions(o as RobustWFOptions, loop, m, etaPairs);
  const rawInit = (o.init?.method ?? 'robust-power') as BilinearInit | BilinearInit[];
  const inits = (Array.isArray(rawInit) ? rawInit : [rawInit]).map((v) =>
    readEnum(v, 'init.method', ['spectral', 'robust-power'] as const),
  );
  if (inits.length === 0)
    throw new ValueError('init.method must name at least one start, got []', 'init.method');
  const seed = o.seed;
  const x0 = checkLength('x0', o.x0, n);
  const ctx: PhaseContext = makeContext(Um, yt, o.products);
  const ctxV = makeContext(Vm, yt, ctx.op.kind);
  const rng = new Rng(seed);
  try {
    const Uw = new Float64Array(m);
    const Vw = new Float64Array(m);
    const tmp = new Float64Array(m);
    const initMean = resolveMeanOptions({
      method: opts.estimator === 'mean' ? 'trimmed' : opts.estimator,
      eta: etaPairs,
    });
    // M w, plain (spectral) or robust (robust-power)
    const matvec = (init: BilinearInit, r: Rng) => {
      let call = 0;
      return (w: Float64Array): Float64Array => {
        ctx.op.apply(w, Uw);
        ctxV.op.apply(w, Vw);
        if (init === 'spectral') {
          for (let i = 0; i < m; i++) tmp[i] = (yt[i] * Vw[i]) / (2 * m);
          const out = ctx.op.applyT(tmp, new Float64Array(n));
          for (let i = 0; i < m; i++) tmp[i] = (yt[i] * Uw[i]) / (2 * m);
          const out2 = ctxV.op.applyT(tmp, new Float64Array(n));
          for (let j = 0; j < n; j++) out[j] += out2[j];
          return out;
        }
        const ut = ctx.transposed();
        const vt = ctxV.transposed();
        const Gt = new Float64Array(n * m);
        for (let j = 0; j < n; j++) {
          const o = j * m;
          for (let i = 0; i < m; i++) Gt[o + i] = 0.5 * yt[i] * (Vw[i] * ut[o + i] + Uw[i] * vt[o + i]);
        }
        return robustMeanTransposed(Gt, n, m, initMean, r.fold('init-mean', call++));
      };
    };
    const starts: Start[] = x0
      ? [{ label: 'x0', z0: x0 }]
      : inits.map((init) => {
          // M is indefinite: find the spectral radius, then iterate on M + ρI so the top algebraic eigenvalue wins
          const r = init === 'robust-power' ? rng : rng.fold('init', init);
          const mv = matvec(init, r);
          const rho = Math.abs(powerIteration(mv, n, { iters: 50, rng: r.fold('radius') }).lambda);
          const { v, lambda } = powerIteration(mv, n, { iters: 50, rng: r.fold('top'), shift: rho });
          const scale = Math.sqrt(Math.max(lambda, 0) / 2);
          return { label: init, z0: Float64Array.from(v, (a) => a * scale) };
        });
    const res = new Float64Array(m);
    return solveFromStarts(
      { ctx, loop, rng, starts, start },
      {
        name: 'robustBilinearWF',
        method: `bilinear-wf[${opts.estimator}]`,
        divergenceArgument: 'eta',
        advice: `the robust gradients did not hold: the contamination may exceed eta = ${opts.eta} (each corrupted sample spoils a pair), or try another estimator`,
        iteration(z0, r) {
          let s2 = 0;
          for (let j = 0; j < n; j++) s2 += z0[j] * z0[j];
          const stepSize = makeStepSize(opts.stepRule, opts.mu, s2 || 1);
          const batches = makeBatches(m, opts, r);
          const k = batches[0].length;
          const Gk = new Float64Array(n * k);
          const c1 = new Float64Array(m);
          const c2 = new Float64Array(m);
          const g1 = new Float64Array(n);
          const g2 = new Float64Array(n);
          const ut = opts.estimator === 'mean' && opts.batching === 'full' ? null : ctx.transposed();
          const vt = ut ? ctxV.transposed() : null;
          return {
            step(z, _Az, t) {
              // Uw, Vw hold Uz, Vz (see project)
              let ghat: Float64Array;
              if (!ut || !vt) {
                for (let i = 0; i < m; i++) {
                  const rr = 2 * Uw[i] * Vw[i] - yt[i];
                  c1[i] = (0.5 * rr * Vw[i]) / m;
                  c2[i] = (0.5 * rr * Uw[i]) / m;
                }
                ctx.op.applyT(c1, g1);
                ctxV.op.applyT(c2, g2);
                ghat = Float64Array.from(g1, (a, j) => a + g2[j]);
              } else {
                const b = opts.batching === 'full' ? 0 : t % batches.length;
                const idx = batches[b];
                for (let t2 = 0; t2 < k; t2++) {
                  const i = idx[t2];
                  const rr = 2 * Uw[i] * Vw[i] - yt[i];
                  c1[t2] = 0.5 * rr * Vw[i];
                  c2[t2] = 0.5 * rr * Uw[i];
                }
                for (let j = 0; j < n; j++) {
                  const o = j * k;
                  const oa = j * m;
                  for (let t2 = 0; t2 < k; t2++)
                    Gk[o + t2] = c1[t2] * ut[oa + idx[t2]] + c2[t2] * vt[oa + idx[t2]];
                }
                ghat = robustMeanTransposed(Gk, n, k, opts.mean, r.fold('mean', b));
              }
              return stepAlong(z, stepSize(z, ghat), ghat);
            },
            project(z, outv) {
              ctx.op.apply(z, Uw);
              ctxV.op.apply(z, Vw);
              outv.set(Uw);
              return outv;
            },
            objective() {
              for (let i = 0; i < m; i++) res[i] = Math.abs(2 * Uw[i] * Vw[i] - yt[i]);
              return medianInPlace(res);
            },
          };
        },
      },
    );
  } finally {
    ctx.op.dispose();
    ctxV.op.dispose();
  }
}
