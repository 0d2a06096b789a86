/**
 * One CMA-ES search distribution N(m, σ²C) as plain float64 state, and the pure steps that
 * sample from it and update it (Hansen's tutorial arXiv:1604.00772 with active weights; the
 * update of SV-CMA-ES, section 2.1 of the notes, is the same step with an extra mean shift).
 * Shared by {@link CMAES} (P = 1) and {@link SVCMAES} (P populations).
 * @module
 */
import { type BlobReader, eigh, Matrix, type Rng } from '@descent/tensor';
import { type ResolvedBounds, boundViolation } from './bounds';
import type { CmaParameters } from './cmaParameters';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { exp, max, min, sqrt } = Math;
const F64 = Float64Array;
const POS_INF = Number.POSITIVE_INFINITY;

/** The serialisable state of one CMA-ES population (row-major d×d matrices). */
export interface CmaPopulationState {
  /** Mean m. */
  mean: Float64Array;
  /** Step size σ. */
  sigma: number;
  /** Covariance C (row-major d×d). */
  C: Float64Array;
  /** Evolution path of the step size p_σ. */
  pSigma: Float64Array;
  /** Evolution path of the rank-one update p_c. */
  pC: Float64Array;
  /** Eigenvectors of C as columns (row-major d×d): C = B D² Bᵀ. */
  B: Float64Array;
  /** Square roots of the eigenvalues of C (ascending). */
  D: Float64Array;
  /** C^{-1/2} = B D⁻¹ Bᵀ (row-major d×d). */
  invSqrtC: Float64Array;
  /** Generations completed (g). */
  generation: number;
  /** Generation of the last eigendecomposition. */
  eigenGeneration: number;
}

/** A fresh population: C = I, p_σ = p_c = 0. */
export function createPopulation(mean: ArrayLike<number>, sigma: number): CmaPopulationState {
  const d = mean.length;
  const I = identity(d);
  return {
    mean: F64.from(mean),
    sigma,
    C: I.slice(),
    pSigma: new F64(d),
    pC: new F64(d),
    B: I.slice(),
    D: new F64(d).fill(1),
    invSqrtC: I,
    generation: 0,
    eigenGeneration: 0,
  };
}

function identity(d: number): Float64Array {
  const I = new F64(d * d);
  for (let i = 0; i < d; i++) I[i * d + i] = 1;
  return I;
}

/**
 * Refreshes B, D and C^{-1/2} from C if the lazy interval has passed (or `force`).
 * C is first symmetrised; eigenvalues are floored at 1e-14·max(eig) (float64 analogue of
 * evosax's 1e-8 floor, guards against the negative eigenvalues of cmaes issue #36).
 */
export function refreshEigen(state: CmaPopulationState, params: CmaParameters, force = false): void {
  if (!force && state.generation - state.eigenGeneration < params.eigenInterval) return;
  const d = params.dim;
  const C = state.C;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = 0.5 * (C[i * d + j] + C[j * d + i]);
      C[i * d + j] = s;
      C[j * d + i] = s;
    }
  }
  const { values, vectors } = eigh(new Matrix(d, d, C.slice()));
  const maxEig = max(values[d - 1], Number.MIN_VALUE);
  const floor = maxEig * 1e-14;
  const D = state.D;
  const B = state.B;
  B.set(vectors.data);
  for (let i = 0; i < d; i++) D[i] = sqrt(max(values[i], floor));
  const W = state.invSqrtC;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (B[i * d + k] * B[j * d + k]) / D[k];
      W[i * d + j] = s;
      W[j * d + i] = s;
    }
  }
  state.eigenGeneration = state.generation;
}

/** y = B (D ∘ z) for a standard normal z: one draw from N(0, C). */
export function sampleStep(
  state: CmaPopulationState,
  z: Float64Array,
  out = new F64(z.length),
): Float64Array {
  const d = z.length;
  const { B, D } = state;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += B[i * d + k] * D[k] * z[k];
    out[i] = s;
  }
  return out;
}

/** λ candidates x_k = m + σ y_k, y_k ~ N(0, C), drawn from `rng`. Returns x_k and y_k. */
export function samplePopulation(
  state: CmaPopulationState,
  lambda: number,
  rng: Rng,
): { xs: Float64Array[]; ys: Float64Array[] } {
  const d = state.mean.length;
  const xs: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const z = new F64(d);
  for (let k = 0; k < lambda; k++) {
    rng.fillNormal(z);
    const y = sampleStep(state, z);
    const x = new F64(d);
    for (let i = 0; i < d; i++) x[i] = state.mean[i] + state.sigma * y[i];
    xs.push(x);
    ys.push(y);
  }
  return { xs, ys };
}

/** Indices 0..n-1 sorted by increasing fitness; NaN ranks last; ties keep index order (stable). */
export function argsortFitness(fitness: ArrayLike<number>): number[] {
  // insertion sort of indices (λ is small); NaN compares as +∞, ties keep index order
  const n = fitness.length;
  const idx: number[] = new Array(n);
  const key: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = fitness[i];
    key[i] = Number.isNaN(v) ? POS_INF : v;
  }
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j > 0 && key[idx[j - 1]] > key[i]) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = i;
  }
  return idx;
}

/** Δ = Σ_{k≤μ} w_k y_{k:λ}: the weighted recombination of the steps, positive weights only. */
export function recombine(params: CmaParameters, ysRanked: Float64Array[]): Float64Array {
  const d = params.dim;
  const delta = new F64(d);
  for (let k = 0; k < params.lambda; k++) {
    const w = params.weights[k];
    if (w <= 0) continue;
    const y = ysRanked[k];
    for (let i = 0; i < d; i++) delta[i] += w * y[i];
  }
  return delta;
}

/** Step-size bounds of {@link updatePopulation}. */
export interface StepSizeBounds {
  /** Lower clip of σ (evosax `std_min`, default 0). */
  stdMin: number;
  /** Upper clip of σ (evosax `std_max`, default 1e8). */
  stdMax: number;
}

/**
 * One CMA-ES generation given the ranked steps y_{1:λ}, …, y_{λ:λ} (best first) and the
 * combined step ỹ (= Δ for plain CMA-ES, Δ + α·r/σ for SV-CMA-ES):
 *
 * - m ← m + c_m σ ỹ
 * - p_σ ← (1−c_σ) p_σ + √(c_σ(2−c_σ)μ_eff) C^{-1/2} ỹ
 * - h_σ = [‖p_σ‖ / √(1−(1−c_σ)^{2(g+1)}) < (1.4 + 2/(d+1)) χ_d] (tutorial) or
 *   [‖p_σ‖² / (1−(1−c_σ)^{2(g+1)}) / d − 1 < 1 + 4/(d+1)] (pycma)
 * - p_c ← (1−c_c) p_c + h_σ √(c_c(2−c_c)μ_eff) ỹ
 * - C ← (1 + c_1 δ(h_σ) − c_1 − c_μ Σw) C + c_1 p_c p_cᵀ + c_μ Σ_k w°_k y_k y_kᵀ,
 *   w°_k = w_k (w_k ≥ 0) or w_k d/‖C^{-1/2} y_k‖² (active CMA)
 * - σ ← σ exp((c_σ/d_σ)(‖p_σ‖/χ_d − 1)) (exponent clipped to [−1, 1] with pycma), then σ clipped
 *   to [stdMin, stdMax]
 *
 * Mutates `state`; then refreshes the eigendecomposition lazily.
 */
export function updatePopulation(
  state: CmaPopulationState,
  params: CmaParameters,
  ysRanked: Float64Array[],
  yTilde: Float64Array,
  bounds: StepSizeBounds,
): void {
  const d = params.dim;
  const { cm, cs, cc, c1, cmu, ds, chiN, muEff, weights, lambda } = params;
  const { mean, pSigma, pC, C, invSqrtC } = state;
  const sigma = state.sigma;
  for (let i = 0; i < d; i++) mean[i] += cm * sigma * yTilde[i];
  // p_σ
  const csFactor = sqrt(cs * (2 - cs) * muEff);
  let psNorm2 = 0;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += invSqrtC[i * d + k] * yTilde[k];
    pSigma[i] = (1 - cs) * pSigma[i] + csFactor * s;
    psNorm2 += pSigma[i] * pSigma[i];
  }
  const psNorm = sqrt(psNorm2);
  const g = state.generation;
  const hSigma =
    params.preset === 'pycma'
      ? psNorm2 / (1 - (1 - cs) ** (2 * (g + 1))) / d - 1 < 1 + 4 / (d + 1)
        ? 1
        : 0
      : psNorm / sqrt(1 - (1 - cs) ** (2 * (g + 1))) < (1.4 + 2 / (d + 1)) * chiN
        ? 1
        : 0;
  const ccFactor = hSigma * sqrt(cc * (2 - cc) * muEff);
  for (let i = 0; i < d; i++) pC[i] = (1 - cc) * pC[i] + ccFactor * yTilde[i];
  const delta = (1 - hSigma) * cc * (2 - cc);
  // w°_k
  const wc = new F64(lambda);
  for (let k = 0; k < lambda; k++) {
    const w = weights[k];
    if (w >= 0) {
      wc[k] = w;
    } else {
      const y = ysRanked[k];
      let n2 = 0;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += invSqrtC[i * d + j] * y[j];
        n2 += s * s;
      }
      wc[k] = n2 > 0 ? (w * d) / n2 : 0;
    }
  }
  const decay = 1 + c1 * delta - c1 - cmu * params.sumWeights;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let rankMu = 0;
      for (let k = 0; k < lambda; k++) {
        if (wc[k] === 0) continue;
        rankMu += wc[k] * ysRanked[k][i] * ysRanked[k][j];
      }
      const v = decay * C[i * d + j] + c1 * pC[i] * pC[j] + cmu * rankMu;
      C[i * d + j] = v;
      C[j * d + i] = v;
    }
  }
  let logStep = (cs / ds) * (psNorm / chiN - 1);
  if (params.preset === 'pycma') logStep = min(1, max(-1, logStep)); // pycma clips |Δ log σ| ≤ 1
  const newSigma = sigma * exp(logStep);
  state.sigma = min(max(newSigma, bounds.stdMin), bounds.stdMax);
  state.generation = g + 1;
  refreshEigen(state, params);
}

/** Copies a population state (all arrays fresh). */
export function clonePopulation(s: CmaPopulationState): CmaPopulationState {
  return {
    mean: s.mean.slice(),
    sigma: s.sigma,
    C: s.C.slice(),
    pSigma: s.pSigma.slice(),
    pC: s.pC.slice(),
    B: s.B.slice(),
    D: s.D.slice(),
    invSqrtC: s.invSqrtC.slice(),
    generation: s.generation,
    eigenGeneration: s.eigenGeneration,
  };
}

/** Plain-JSON form of a population state. */
export interface CmaPopulationJSON {
  mean: number[];
  sigma: number;
  C: number[];
  pSigma: number[];
  pC: number[];
  generation: number;
  eigenGeneration: number;
  B: number[];
  D: number[];
  invSqrtC: number[];
}

/** Serialises a population state (numbers round-trip exactly through JSON). */
export function populationToJSON(s: CmaPopulationState): CmaPopulationJSON {
  return {
    mean: Array.from(s.mean),
    sigma: s.sigma,
    C: Array.from(s.C),
    pSigma: Array.from(s.pSigma),
    pC: Array.from(s.pC),
    generation: s.generation,
    eigenGeneration: s.eigenGeneration,
    B: Array.from(s.B),
    D: Array.from(s.D),
    invSqrtC: Array.from(s.invSqrtC),
  };
}

/**
 * Reads a population state written by {@link populationToJSON}, validating every field for
 * dimension d (lengths, finiteness, σ > 0, D > 0, C exactly symmetric, generations consistent).
 */
export function readPopulation(r: BlobReader, d: number): CmaPopulationState {
  const mean = r.vector('mean', { length: d });
  const sigma = r.number('sigma', { gt: 0 });
  const C = r.vector('C', { length: d * d });
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      if (C[i * d + j] !== C[j * d + i])
        throw r
          .at('C')
          .at(j * d + i)
          .valueError(`equal to C[${i * d + j}] (C is symmetric)`);
    }
  }
  const generation = r.integer('generation', { min: 0 });
  return {
    mean,
    sigma,
    C,
    pSigma: r.vector('pSigma', { length: d }),
    pC: r.vector('pC', { length: d }),
    B: r.vector('B', { length: d * d }),
    D: r.vector('D', { length: d, gt: 0 }),
    invSqrtC: r.vector('invSqrtC', { length: d * d }),
    generation,
    eigenGeneration: r.integer('eigenGeneration', { min: 0, max: generation }),
  };
}

/** How {@link rankedSteps} learns from bounded candidates with the `'penalty'` handling. */
export interface PenaltyRanking {
  /** The unclipped samples the strategy learns from. */
  raw: Float64Array[];
  /** The box. */
  box: ResolvedBounds;
  /** Weight w of w·‖x − clip(x)‖². */
  weight: number;
}

/**
 * Ranks one population's candidates by fitness and returns the ranked steps
 * y_{k:λ} = (x_{k:λ} − m)/σ (best first), their positive-weight recombination Δ and the order.
 * With `penalty`, the strategy learns from the unclipped samples with the penalised fitness
 * f + w·‖x − clip(x)‖²; otherwise from the evaluated candidates `xs` (any points: injection).
 * Shared by {@link CMAES} and {@link SVCMAES}.
 */
export function rankedSteps(
  state: CmaPopulationState,
  params: CmaParameters,
  xs: ArrayLike<ArrayLike<number>>,
  fitness: Float64Array,
  penalty?: PenaltyRanking,
): { ys: Float64Array[]; delta: Float64Array; order: number[] } {
  const lambda = fitness.length;
  const d = params.dim;
  let learnFrom = xs;
  let f = fitness;
  if (penalty) {
    learnFrom = penalty.raw;
    f = new F64(lambda);
    for (let k = 0; k < lambda; k++)
      f[k] = fitness[k] + penalty.weight * boundViolation(penalty.raw[k], penalty.box);
  }
  const order = argsortFitness(f);
  const { mean, sigma } = state;
  const ys = order.map((k) => {
    const x = learnFrom[k];
    const y = new F64(d);
    for (let i = 0; i < d; i++) y[i] = (x[i] - mean[i]) / sigma;
    return y;
  });
  return { ys, delta: recombine(params, ys), order };
}
