/**
 * Stein variational gradient descent (Liu & Wang, NeurIPS 2016, arXiv:1608.04471), the
 * gradient-based reference of the SV-ES paper:
 *
 *   x_i ← x_i + ε φ(x_i),  φ(x_i) = (1/n) Σ_j [k(x_j, x_i) ∇log p(x_j) + ∇_{x_j} k(x_j, x_i)],
 *
 * RBF kernel with the median heuristic and the reference code's "AdaGrad with momentum" step
 * (`python/svgd.py`: ν ← 0.9ν + 0.1φ², x ← x + ε φ/(1e-6 + √ν)) by default.
 * @module
 */
import {
  type GradientTransformation,
  type RbfKernelSpec,
  type RunResult,
  ShapeError,
  type TensorLike,
  ValueError,
  chain,
  describe,
  option,
  readRows,
  resolveOptions,
  scaleByLearningRate,
  scaleByRms,
  SvgdRbfWorkspace,
} from '@descent/tensor';
import { bandwidthOf, readRbfSpec } from './kernel';
import { tensorHooks } from './tensorHooks';

/** ∇log p for one point (analytic). */
export type ScoreFn = (x: Float64Array) => ArrayLike<number>;

/**
 * ∇log p at all n particles at once (a vectorised score). `X` holds the particles row-major
 * (n × d: particle i is `X[i·d .. i·d + d)`); either write the scores into `out` (same layout,
 * no allocation) and return nothing, or return the n·d scores. Must give the same values as the
 * per-particle `gradLogP`. Do not keep `X` or `out`: they are reused.
 *
 * ```ts
 * const gradLogPBatch: BatchScoreFn = (X, out) => { for (let k = 0; k < X.length; k++) out[k] = -X[k]; };
 * ```
 */
export type BatchScoreFn = (
  X: Float64Array,
  out: Float64Array,
  n: number,
  d: number,
) => ArrayLike<number> | undefined | void;

/**
 * The target of {@link svgd}: an analytic score (per particle, and/or batched), or a tfjs
 * log-density of a batch (autodiff). With both `gradLogP` and `gradLogPBatch`, svgd calls the
 * batched one.
 */
export type SvgdTarget =
  | { gradLogP: ScoreFn; gradLogPBatch?: BatchScoreFn }
  | { gradLogPBatch: BatchScoreFn }
  | {
      /**
       * log p̃ of each row of X (an n × d float32 `tf.Tensor2D`) as a rank-1 tensor of length n,
       * built from tfjs ops (gradients by autodiff; needs `import '@descent/stein-es/tf'`).
       */
      logDensityTensor(X: TensorLike): TensorLike;
    };

/** The step rule of particle methods. */
export type ParticleStep = 'adagrad' | 'plain' | GradientTransformation<unknown>;

/** Options of {@link svgd}. Defaults: Liu & Wang's reference code. */
export interface SvgdOptions {
  /** Iterations (default 1000). */
  maxSteps?: number;
  /** Step size ε (default 1e-3). */
  learningRate?: number;
  /**
   * `'adagrad'` (default): the reference RMS-style AdaGrad with momentum (decay 0.9, fudge 1e-6)
   * via @descent/tensor `scaleByRms`; `'plain'`: x ← x + εφ; or any ascent
   * GradientTransformation applied to φ (updates are added).
   */
  step?: ParticleStep;
  /** RBF kernel (default `{ type: 'rbf', bandwidth: 'median' }`, recomputed every iteration). */
  kernel?: RbfKernelSpec;
  /**
   * `'float64'` (default): @descent/tensor's float64 `svgdDirection`; `'tensor'`: float32 tfjs
   * (wasm after `await ready()`), a few ops per iteration whatever n.
   */
  kernelBackend?: 'float64' | 'tensor';
  /** Stop once max_i |φ(x_i)|_∞ < tol (default 0: run all iterations). */
  tol?: number;
  /** Record the mean of the particles and max|φ| every `historyEvery` iterations (default 0: off). */
  historyEvery?: number;
}

/** One history entry of a particle method: the step and max|φ| there. */
export interface ParticleHistoryEntry {
  step: number;
  maxPhi: number;
}

/** Result of a particle method (the shared {@link RunResult} fields plus the particles). */
export interface ParticleResult extends RunResult<ParticleHistoryEntry> {
  /** The final particles. */
  particles: Float64Array[];
  /** Steps (iterations) run. */
  steps: number;
  /** Score (gradient) evaluations: n per iteration. */
  gradientEvaluations: number;
  /** max|φ| of the last iteration. */
  lastStepNorm: number;
}

/** Renamed options of the particle methods (naming scheme: `maxSteps`, `learningRate`). */
export const PARTICLE_RENAMED: Record<string, string> = { iterations: 'maxSteps', stepSize: 'learningRate' };

function readStep(v: unknown, name: string): ParticleStep {
  if (v === 'adagrad' || v === 'plain') return v;
  const t = v as GradientTransformation<unknown> | null;
  if (t !== null && typeof t === 'object' && typeof t.init === 'function' && typeof t.update === 'function') return t;
  throw new ValueError(`${name} must be 'adagrad', 'plain' or a GradientTransformation, got ${describe(v)}`, name);
}

/** Option specs shared by {@link svgd} and {@link GFSVGD}. */
export const particleSchema = {
  learningRate: option.number({ gt: 0, default: 1e-3 }),
  step: option.custom(readStep, { default: 'adagrad' as ParticleStep }),
  kernel: option.custom((v, name) => readRbfSpec(v, name), {
    default: { type: 'rbf', bandwidth: 'median' } as RbfKernelSpec,
  }),
};

/** Resolves a {@link ParticleStep} for total parameter length n·d. */
export function particleStepper(step: ParticleStep, stepSize: number): GradientTransformation<unknown> {
  if (step === 'adagrad')
    return chain(scaleByRms({ decay: 0.9, eps: 1e-6 }), scaleByLearningRate(stepSize, { flipSign: false }));
  if (step === 'plain') return chain(scaleByLearningRate(stepSize, { flipSign: false }));
  return readStep(step, 'step') as GradientTransformation<unknown>;
}

/** Validates initial particles: n ≥ 1 points of a common dimension d ≥ 1 with finite entries (arrays, typed arrays or a rank-2 tensor). */
export function checkParticles(x0: unknown, name = 'x0'): Float64Array[] {
  return readRows(x0, name);
}

/**
 * Writes the scores ∇log p at the particles X (n × d row-major; `rows[i]` views particle i) into
 * `S`, from the target; finite or a ValueError naming the score function.
 */
function scoresInto(
  target: SvgdTarget,
  X: Float64Array,
  rows: Float64Array[],
  n: number,
  d: number,
  S: Float64Array,
): void {
  const nd = n * d;
  let name = 'gradLogP';
  if ('gradLogPBatch' in target && target.gradLogPBatch !== undefined) {
    name = 'gradLogPBatch';
    S.fill(Number.NaN); // entries left unwritten are reported as not finite
    const g = target.gradLogPBatch(X, S, n, d);
    if (g != null) {
      if (typeof g !== 'object' || g.length !== nd)
        throw new ShapeError(
          `gradLogPBatch must write ${n}x${d} scores into out or return ${nd} values, got ${describe(g)}`,
          'gradLogPBatch',
        );
      for (let k = 0; k < nd; k++) S[k] = g[k];
    }
  } else if ('gradLogP' in target) {
    const f = target.gradLogP;
    for (let i = 0; i < n; i++) {
      const g = f(rows[i]);
      if (g == null || g.length !== d)
        throw new ShapeError(
          `gradLogP must return a vector of length ${d}, got ${g == null ? String(g) : g.length}`,
          'gradLogP',
        );
      const o = i * d;
      for (let c = 0; c < d; c++) S[o + c] = g[c];
    }
  } else {
    name = 'logDensityTensor';
    const t = target as { logDensityTensor(X: TensorLike): TensorLike };
    S.set(tensorHooks('target').scores((T) => t.logDensityTensor(T), X.slice(0, nd), n, d));
  }
  let chk = 0;
  for (let k = 0; k < nd; k++) chk += S[k] * 0; // NaN iff some score is not finite
  if (chk !== 0) {
    for (let k = 0; k < nd; k++) {
      if (!Number.isFinite(S[k]))
        throw new ValueError(
          `the score ∇log p is not finite at particle ${Math.floor(k / d)}`,
          name === 'logDensityTensor' ? 'gradLogP' : name,
        );
    }
  }
}

/** Checks the target: one kind of score (ValueError naming `target` otherwise), a function. */
function checkTarget(target: SvgdTarget): void {
  if (target == null || typeof target !== 'object')
    throw new ValueError(
      `target must be {gradLogP}, {gradLogPBatch} or {logDensityTensor}, got ${describe(target)}`,
      'target',
    );
  const t = target as Record<string, unknown>;
  const names = ['gradLogPBatch', 'gradLogP', 'logDensityTensor'].filter((k) => k in t);
  if (names.length === 0 || (names.includes('logDensityTensor') && names.length > 1))
    throw new ValueError(
      `target must be {gradLogP}, {gradLogPBatch} or {logDensityTensor}, got ${describe(target)}`,
      'target',
    );
  for (const k of names) {
    if (k === 'gradLogPBatch' && t[k] === undefined && names.length > 1) continue;
    if (typeof t[k] !== 'function')
      throw new ValueError(`target.${k} must be a function, got ${describe(t[k])}`, 'target');
  }
}

/**
 * Runs SVGD from the particles `x0` (n × d) towards p and returns the particles.
 *
 * ```ts
 * const r = svgd({ gradLogP: (x) => x.map((v) => -v) }, x0, { maxSteps: 500, learningRate: 0.05 });
 * ```
 *
 * The float64 path keeps the particles, scores and φ in one reusable {@link SvgdRbfWorkspace}
 * and applies the default steps (`'adagrad'`, `'plain'`) in place: the same arithmetic as
 * @descent/tensor's `scaleByRms` / `scaleByLearningRate` chain (same bits), without allocating
 * per iteration.
 */
export function svgd(target: SvgdTarget, x0: ArrayLike<ArrayLike<number>>, options: SvgdOptions = {}): ParticleResult {
  const t0 = performance.now();
  checkTarget(target);
  const o = resolveOptions(
    options,
    {
      ...particleSchema,
      maxSteps: option.integer({ min: 0, default: 1000 }),
      kernelBackend: option.oneOf(['float64', 'tensor'], { default: 'float64' }),
      tol: option.number({ min: 0, default: 0 }),
      historyEvery: option.integer({ min: 0, default: 0 }),
    },
    { name: 'svgd options', renamed: PARTICLE_RENAMED },
  );
  const xs = checkParticles(x0);
  const n = xs.length;
  const d = xs[0].length;
  const nd = n * d;
  const iterations = o.maxSteps;
  const tol = o.tol;
  const kernel = o.kernel;
  const historyEvery = o.historyEvery;
  const tensorBackend = o.kernelBackend === 'tensor';
  const ws = tensorBackend ? null : new SvgdRbfWorkspace(n, d);
  // the particles live in one flat array (the workspace's, so the kernels read them in place);
  // rows[i] views particle i (what gradLogP receives, as before: the live particle)
  const X = ws ? ws.x : new Float64Array(nd);
  const S = ws ? ws.scores : new Float64Array(nd);
  const rows: Float64Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    X.set(xs[i], i * d);
    rows[i] = X.subarray(i * d, (i + 1) * d);
  }
  const stepRule = o.step;
  const lr = o.learningRate;
  // 'adagrad' = chain(scaleByRms({ decay: 0.9, eps: 1e-6 }), scaleByLearningRate(lr)) in place
  const nu = stepRule === 'adagrad' ? new Float64Array(nd) : null;
  const decay = 0.9;
  const eps = 1e-6;
  const opt = stepRule === 'adagrad' || stepRule === 'plain' ? null : particleStepper(stepRule, lr);
  let state = opt ? opt.init(new Float64Array(nd)) : null;
  const bandwidth = kernel.bandwidth;
  const history: ParticleResult['history'] = [];
  let it = 0;
  let maxPhi = Infinity;
  let gradCalls = 0;
  for (; it < iterations; it++) {
    scoresInto(target, X, rows, n, d, S);
    gradCalls += n;
    // float64: the median-heuristic h on the same pairwise distances as φ (tensor's svgdDirectionRbf)
    let phi: Float64Array;
    if (ws) {
      ws.direction(bandwidth);
      phi = ws.phi;
    } else phi = tensorHooks('kernelBackend').svgdDirection(rows, S, bandwidthOf(kernel, rows));
    maxPhi = 0;
    for (let k = 0; k < nd; k++) maxPhi = Math.max(maxPhi, Math.abs(phi[k]));
    if (historyEvery > 0 && it % historyEvery === 0) history.push({ step: it, maxPhi });
    if (maxPhi < tol) break;
    if (nu) {
      for (let k = 0; k < nd; k++) {
        const g = phi[k];
        const v = decay * nu[k] + (1 - decay) * g * g;
        nu[k] = v;
        const den = Math.sqrt(v + eps);
        X[k] += lr * (den > 0 ? g / den : 0);
      }
    } else if (!opt) {
      for (let k = 0; k < nd; k++) X[k] += lr * phi[k];
    } else {
      const r = opt.update(phi.slice(), state);
      state = r.state;
      for (let k = 0; k < nd; k++) X[k] += r.updates[k];
    }
  }
  return {
    particles: rows.map((r) => r.slice()),
    steps: it,
    gradientEvaluations: gradCalls,
    evaluations: 0,
    lastStepNorm: maxPhi,
    history,
    timeMs: performance.now() - t0,
    stopReason: it < iterations ? 'converged' : 'maxSteps',
  };
}
