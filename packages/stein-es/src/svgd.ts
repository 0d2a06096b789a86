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
  Matrix,
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
  svgdDirectionRbf,
} from '@descent/tensor';
import { bandwidthOf, readRbfSpec } from './kernel';
import { tensorHooks } from './tensorHooks';

/** ∇log p for one point (analytic). */
export type ScoreFn = (x: Float64Array) => ArrayLike<number>;

/** The target of {@link svgd}: an analytic score, or a tfjs log-density of a batch (autodiff). */
export type SvgdTarget =
  | { gradLogP: ScoreFn }
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
  if (t !== null && typeof t === 'object' && typeof t.init === 'function' && typeof t.update === 'function')
    return t;
  throw new ValueError(
    `${name} must be 'adagrad', 'plain' or a GradientTransformation, got ${describe(v)}`,
    name,
  );
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

/** Scores ∇log p at all particles (n × d) from the target. */
function scores(target: SvgdTarget, xs: Float64Array[]): Matrix {
  const n = xs.length;
  const d = xs[0].length;
  const S = new Matrix(n, d);
  if ('gradLogP' in target) {
    for (let i = 0; i < n; i++) {
      const g = target.gradLogP(xs[i]);
      if (g == null || g.length !== d)
        throw new ShapeError(
          `gradLogP must return a vector of length ${d}, got ${g == null ? String(g) : g.length}`,
          'gradLogP',
        );
      for (let c = 0; c < d; c++) S.data[i * d + c] = g[c];
    }
  } else {
    const flat = new Float64Array(n * d);
    for (let i = 0; i < n; i++) flat.set(xs[i], i * d);
    S.data.set(tensorHooks('target').scores((X) => target.logDensityTensor(X), flat, n, d));
  }
  for (let k = 0; k < S.data.length; k++) {
    if (!Number.isFinite(S.data[k]))
      throw new ValueError(`the score ∇log p is not finite at particle ${Math.floor(k / d)}`, 'gradLogP');
  }
  return S;
}

/**
 * Runs SVGD from the particles `x0` (n × d) towards p and returns the particles.
 *
 * ```ts
 * const r = svgd({ gradLogP: (x) => x.map((v) => -v) }, x0, { maxSteps: 500, learningRate: 0.05 });
 * ```
 */
export function svgd(
  target: SvgdTarget,
  x0: ArrayLike<ArrayLike<number>>,
  options: SvgdOptions = {},
): ParticleResult {
  const t0 = performance.now();
  if (
    target == null ||
    typeof target !== 'object' ||
    (!('gradLogP' in target) && !('logDensityTensor' in target))
  ) {
    throw new ValueError(
      `target must be {gradLogP} or {logDensityTensor}, got ${describe(target)}`,
      'target',
    );
  }
  const fn = 'gradLogP' in target ? target.gradLogP : target.logDensityTensor;
  if (typeof fn !== 'function')
    throw new ValueError(
      `target.${'gradLogP' in target ? 'gradLogP' : 'logDensityTensor'} must be a function, got ${describe(fn)}`,
      'target',
    );
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
  const iterations = o.maxSteps;
  const tol = o.tol;
  const kernel = o.kernel;
  const historyEvery = o.historyEvery;
  const opt = particleStepper(o.step, o.learningRate);
  const tensorBackend = o.kernelBackend === 'tensor';
  const flat = new Float64Array(n * d);
  let state = opt.init(flat);
  const history: ParticleResult['history'] = [];
  let it = 0;
  let maxPhi = Infinity;
  let gradCalls = 0;
  for (; it < iterations; it++) {
    const S = scores(target, xs);
    gradCalls += n;
    // float64: the median-heuristic h on the same pairwise distances as φ (tensor's svgdDirectionRbf)
    const phi = tensorBackend
      ? tensorHooks('kernelBackend').svgdDirection(xs, S.data, bandwidthOf(kernel, xs))
      : svgdDirectionRbf(Matrix.of(xs), S, kernel.bandwidth).direction.data;
    maxPhi = 0;
    for (let k = 0; k < phi.length; k++) maxPhi = Math.max(maxPhi, Math.abs(phi[k]));
    if (historyEvery > 0 && it % historyEvery === 0) history.push({ step: it, maxPhi });
    if (maxPhi < tol) break;
    const r = opt.update(phi, state);
    state = r.state;
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) xs[i][c] += r.updates[i * d + c];
  }
  return {
    particles: xs,
    steps: it,
    gradientEvaluations: gradCalls,
    evaluations: 0,
    lastStepNorm: maxPhi,
    history,
    timeMs: performance.now() - t0,
    stopReason: it < iterations ? 'converged' : 'maxSteps',
  };
}
