/**
 * Sharpness metrics at a point: SAM-sharpness at ρ, m-sharpness, and a bundle with the top
 * Hessian eigenvalues (Lanczos) and the Hutchinson trace from @descent/nn.
 *
 * SAM-sharpness (Foret et al. 2021): max_{‖ε‖≤ρ} L(w + ε) − L(w), approximated by one ascent step
 * L(w + ε̂) − L(w) with ε̂ = ρ∇L/‖∇L‖ (or ASAM's / USAM's ε̂). m-sharpness: the size-weighted mean
 * of that quantity over sub-batches of m examples, each with its own ε̂ (Foret et al. §4.1).
 * @module
 */
import { ValueError, assertInteger, describe, readOptions } from '@descent/tensor';
import {
  type CurvatureObjective,
  type Dataset,
  type LossFn,
  type Model,
  type ParamTree,
  addTrees,
  assertDataset,
  assertParamTree,
  disposeTree,
  hessianEigs,
  hutchinsonTrace,
  objectiveParts,
  objectiveValue,
  valueAndGradTree,
} from '@descent/nn';
import { type SamMode, perturbation } from './perturbation';
import { tf } from './tf';

/** Options of {@link samSharpness}. */
export interface SamSharpnessOptions {
  /** ρ (default 0.05 for SAM, 0.5 for ASAM; required for USAM). */
  rho?: number;
  /** The perturbation (default `'sam'`). */
  mode?: SamMode;
  /** ASAM's offset (default 0.01). */
  asamOffset?: number;
}

/** What {@link samSharpness} returns. */
export interface SamSharpness {
  /** L(w + ε̂) − L(w). */
  sharpness: number;
  /** L(w). */
  loss: number;
  /** L(w + ε̂). */
  perturbedLoss: number;
  /** ‖∇L(w)‖. */
  gradNorm: number;
}

/** Value and gradient of an objective given as parts (their sum). */
function partsValueAndGrad(f: CurvatureObjective, params: ParamTree): { value: number; grads: ParamTree } {
  let value = 0;
  let grads: ParamTree | null = null;
  try {
    for (const part of objectiveParts(f)) {
      const r = valueAndGradTree(part)(params);
      value += r.value;
      if (grads === null) grads = r.grads;
      else {
        const next = addTrees(grads, r.grads);
        disposeTree(grads);
        disposeTree(r.grads);
        grads = next;
      }
    }
  } catch (e) {
    disposeTree(grads);
    throw e;
  }
  return { value, grads: grads as ParamTree };
}

/**
 * SAM-sharpness L(w + ε̂) − L(w) of `f` (a function of the weights, or parts whose sum it is,
 * e.g. `datasetObjective(model, loss, data)`) at `params`.
 *
 * ```ts
 * const { sharpness } = samSharpness(datasetObjective(model, loss, train), params, { rho: 0.05 });
 * ```
 */
export function samSharpness(
  f: CurvatureObjective,
  params: ParamTree,
  options: SamSharpnessOptions = {},
): SamSharpness {
  assertParamTree('params', params);
  const { value, grads } = partsValueAndGrad(f, params);
  let eps: ParamTree | null = null;
  let moved: ParamTree | null = null;
  try {
    const p = perturbation(options.mode ?? 'sam', grads, params, {
      rho: options.rho,
      offset: options.asamOffset,
    });
    eps = p.epsilon;
    moved = addTrees(params, eps);
    const perturbedLoss = objectiveValue(f, moved);
    return { sharpness: perturbedLoss - value, loss: value, perturbedLoss, gradNorm: p.gradNorm };
  } finally {
    disposeTree(grads);
    disposeTree(eps);
    disposeTree(moved);
  }
}

/** Options of {@link mSharpness}. */
export interface MSharpnessOptions extends SamSharpnessOptions {
  /** Sub-batch size m (required): consecutive examples of `data` in their stored order. */
  m: number;
}

/** What {@link mSharpness} returns. */
export interface MSharpness {
  /** Σᵢ (nᵢ/n)·[Lᵢ(w + ε̂ᵢ) − Lᵢ(w)]. */
  sharpness: number;
  /** The SAM-sharpness of each sub-batch. */
  perSubBatch: Float64Array;
}

/**
 * m-sharpness: the size-weighted mean SAM-sharpness over sub-batches of `m` examples, each with
 * its own perturbation. m = n is the SAM-sharpness of the full-data loss; m = 1 is the mean of the
 * per-example sharpnesses.
 */
export function mSharpness(
  model: Model,
  loss: LossFn,
  data: Dataset,
  params: ParamTree,
  options: MSharpnessOptions,
): MSharpness {
  if (model == null || typeof model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(model)}`, 'model');
  if (typeof loss !== 'function')
    throw new ValueError(`loss must be a loss function, got ${describe(loss)}`, 'loss');
  const n = assertDataset('data', data);
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be { m, rho?, mode? }, got ${describe(options)}`, 'options');
  assertInteger('m', options.m, 1);
  const k = Math.ceil(n / options.m);
  const per = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    const start = i * options.m;
    const size = Math.min(options.m, n - start);
    const xi = tf.slice(data.x, start, size);
    const yi = tf.slice(data.y, start, size);
    try {
      per[i] = samSharpness((p) => loss(model.apply(p, xi), yi), params, options).sharpness;
    } finally {
      xi.dispose();
      yi.dispose();
    }
    total += (size / n) * per[i];
  }
  return { sharpness: total, perSubBatch: per };
}

/** Options of {@link sharpnessMetrics}. */
export interface SharpnessMetricsOptions extends SamSharpnessOptions {
  /** Number of top Hessian eigenvalues (default 2, as Zhou et al.'s `neigs`; 0 skips Lanczos). */
  eigs?: number;
  /** Hutchinson probes (default 20; 0 skips the trace). */
  probes?: number;
  /** Seed of the Lanczos start and the probes (default 0). */
  seed?: number | string;
  /** Lanczos tolerance (default 1e-3: float32 HVPs). */
  tol?: number;
  /** Lanczos Krylov dimension (default nn's). */
  maxIter?: number;
}

/** What {@link sharpnessMetrics} returns. */
export interface SharpnessMetrics {
  /** The top eigenvalues of ∇²f, descending. */
  topEigenvalues: Float64Array;
  /** Hutchinson's estimate of tr ∇²f (NaN with `probes: 0`). */
  trace: number;
  /** Its standard error. */
  traceStdError: number;
  /** SAM-sharpness at ρ. */
  samSharpness: number;
  /** f(w). */
  loss: number;
  /** Hessian-vector products spent. */
  hvps: number;
}

/**
 * Top-k Hessian eigenvalues (Lanczos on exact HVPs), Hutchinson trace and SAM-sharpness of `f`
 * at `params` in one call.
 *
 * ```ts
 * const s = sharpnessMetrics(datasetObjective(model, loss, probeSet), params, { eigs: 2, probes: 20 });
 * s.topEigenvalues[0]; // λ_max
 * ```
 */
export function sharpnessMetrics(
  f: CurvatureObjective,
  params: ParamTree,
  options: SharpnessMetricsOptions = {},
): SharpnessMetrics {
  readOptions(options);
  const eigs = options.eigs ?? 2;
  const probes = options.probes ?? 20;
  assertInteger('eigs', eigs, 0);
  assertInteger('probes', probes, 0);
  if (probes === 1) throw new ValueError('probes must be 0 or >= 2 (for a standard error), got 1', 'probes');
  const seed = options.seed ?? 0;
  let hvps = 0;
  let topEigenvalues: Float64Array = new Float64Array(0);
  if (eigs > 0) {
    const r = hessianEigs(f, params, eigs, { seed, tol: options.tol ?? 1e-3, maxIter: options.maxIter });
    topEigenvalues = r.values;
    hvps += r.hvps;
  }
  let trace = Number.NaN;
  let traceStdError = Number.NaN;
  if (probes > 0) {
    const r = hutchinsonTrace(f, params, { probes, seed });
    trace = r.trace;
    traceStdError = r.stdError;
    hvps += probes;
  }
  const s = samSharpness(f, params, options);
  return { topEigenvalues, trace, traceStdError, samSharpness: s.sharpness, loss: s.loss, hvps };
}
