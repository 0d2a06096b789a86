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
  ShapeError,
  type TensorLike,
  ValueError,
  assertInteger,
  assertPositive,
  chain,
  rbf,
  scaleByLearningRate,
  scaleByRms,
  svgdDirection,
} from '@descent/tensor';
import type { RBFKernel } from './kernel';
import { resolveBandwidth } from './kernel';
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
  iterations?: number;
  /** Step size ε (default 1e-3). */
  stepSize?: number;
  /**
   * `'adagrad'` (default): the reference RMS-style AdaGrad with momentum (decay 0.9, fudge 1e-6)
   * via @descent/tensor `scaleByRms`; `'plain'`: x ← x + εφ; or any ascent
   * GradientTransformation applied to φ (updates are added).
   */
  step?: ParticleStep;
  /** RBF bandwidth (default `{ std: 'median' }`, recomputed every iteration). */
  kernel?: RBFKernel;
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

/** Result of a particle method. */
export interface ParticleResult {
  /** The final particles. */
  particles: Float64Array[];
  /** Iterations run. */
  iterations: number;
  /** Score (gradient) evaluations: n per iteration. */
  gradientEvaluations: number;
  /** Density evaluations (0 for SVGD; n per iteration for GF-SVGD). */
  evaluations: number;
  /** max|φ| of the last iteration. */
  lastStepNorm: number;
  /** Optional trace: iteration and max|φ|. */
  history: { iteration: number; maxPhi: number }[];
  timeMs: number;
}

/** Resolves a {@link ParticleStep} for total parameter length n·d. */
export function particleStepper(step: ParticleStep, stepSize: number): GradientTransformation<unknown> {
  if (step === 'adagrad')
    return chain(scaleByRms({ decay: 0.9, eps: 1e-6 }), scaleByLearningRate(stepSize, { flipSign: false }));
  if (step === 'plain') return chain(scaleByLearningRate(stepSize, { flipSign: false }));
  if (step && typeof step.init === 'function' && typeof step.update === 'function') return step;
  throw new ValueError(
    `step must be 'adagrad', 'plain' or a GradientTransformation, got ${String(step)}`,
    'step',
  );
}

/** Validates initial particles: n ≥ 1 points of a common dimension with finite entries. */
export function checkParticles(x0: ArrayLike<ArrayLike<number>>, name = 'x0'): Float64Array[] {
  if (x0 == null || typeof x0.length !== 'number' || x0.length < 1)
    throw new ValueError(`${name} must hold at least one particle, got ${String(x0)}`, name);
  const d = x0[0]?.length;
  if (!(d >= 1)) throw new ShapeError(`${name}[0] must be a non-empty vector`, name);
  return Array.from({ length: x0.length }, (_, i) => {
    const x = x0[i];
    if (x == null || x.length !== d)
      throw new ShapeError(
        `${name}[${i}] must have length ${d}, got ${x == null ? String(x) : x.length}`,
        name,
      );
    const v = Float64Array.from(x);
    for (let c = 0; c < d; c++)
      if (!Number.isFinite(v[c]))
        throw new ValueError(`${name}[${i}] must be finite, got ${v[c]} at index ${c}`, name);
    return v;
  });
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
 * const r = svgd({ gradLogP: (x) => x.map((v) => -v) }, x0, { iterations: 500, stepSize: 0.05 });
 * ```
 */
export function svgd(
  target: SvgdTarget,
  x0: ArrayLike<ArrayLike<number>>,
  options: SvgdOptions = {},
): ParticleResult {
  const t0 = performance.now();
  if (target == null || (!('gradLogP' in target) && !('logDensityTensor' in target))) {
    throw new ValueError('target must be {gradLogP} or {logDensityTensor}', 'target');
  }
  const xs = checkParticles(x0);
  const n = xs.length;
  const d = xs[0].length;
  const iterations = options.iterations ?? 1000;
  assertInteger('iterations', iterations, 0);
  const stepSize = options.stepSize ?? 1e-3;
  assertPositive('stepSize', stepSize);
  const tol = options.tol ?? 0;
  assertPositive('tol', tol, true);
  const kernel = options.kernel ?? { std: 'median' };
  const historyEvery = options.historyEvery ?? 0;
  const opt = particleStepper(options.step ?? 'adagrad', stepSize);
  const backend = options.kernelBackend ?? 'float64';
  if (backend !== 'float64' && backend !== 'tensor')
    throw new ValueError(
      `kernelBackend must be 'float64' or 'tensor', got ${JSON.stringify(backend)}`,
      'kernelBackend',
    );
  const tensorBackend = backend === 'tensor';
  const flat = new Float64Array(n * d);
  let state = opt.init(flat);
  const history: ParticleResult['history'] = [];
  let it = 0;
  let maxPhi = Infinity;
  let gradCalls = 0;
  for (; it < iterations; it++) {
    const S = scores(target, xs);
    gradCalls += n;
    const h = resolveBandwidth(kernel, xs);
    const phi = tensorBackend
      ? tensorHooks('kernelBackend').svgdDirection(xs, S.data, h)
      : svgdDirection(rbf({ bandwidth: h }), Matrix.of(xs), S).data;
    maxPhi = 0;
    for (let k = 0; k < phi.length; k++) maxPhi = Math.max(maxPhi, Math.abs(phi[k]));
    if (historyEvery > 0 && it % historyEvery === 0) history.push({ iteration: it, maxPhi });
    if (maxPhi < tol) break;
    const r = opt.update(phi, state);
    state = r.state;
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) xs[i][c] += r.updates[i * d + c];
  }
  return {
    particles: xs,
    iterations: it,
    gradientEvaluations: gradCalls,
    evaluations: 0,
    lastStepNorm: maxPhi,
    history,
    timeMs: performance.now() - t0,
  };
}
