/**
 * The CMA-ES strategy constants: Hansen's tutorial (arXiv:1604.00772, Table 1 and eqs. 49–53, as
 * evosax) or pycma 4.5.0's defaults, with active (negative) recombination weights.
 * @module
 */
import { assertInteger, assertPositive, readEnum, readOptions } from '@descent/tensor';

/** All constants of one CMA-ES population of size λ in dimension d. */
export interface CmaParameters {
  /** Dimension d. */
  dim: number;
  /** Population size λ. */
  lambda: number;
  /** Parent number μ = ⌊λ/2⌋. */
  mu: number;
  /**
   * Recombination weights w_1..w_λ by rank (best first): the μ positive ones sum to 1, the
   * λ−μ negative ones sum to −α_min (active CMA).
   */
  weights: Float64Array;
  /** Σ_j w_j over all λ weights (enters the decay factor of C). */
  sumWeights: number;
  /** Variance-effective selection mass μ_eff of the positive weights. */
  muEff: number;
  /** μ_eff⁻ of the negative weights. */
  muEffMinus: number;
  /** Learning rate of the mean, c_m. */
  cm: number;
  /** Cumulation constant of the step-size path, c_σ. */
  cs: number;
  /** Damping of the step-size update, d_σ. */
  ds: number;
  /** Cumulation constant of the rank-one path, c_c. */
  cc: number;
  /** Learning rate of the rank-one update, c_1. */
  c1: number;
  /** Learning rate of the rank-μ update, c_μ. */
  cmu: number;
  /** E‖N(0, I_d)‖ ≈ √d (1 − 1/(4d) + 1/(21d²)). */
  chiN: number;
  /** Generations between eigendecompositions (lazy update: ⌈1/((c_1+c_μ)·d·10)⌉, at least 1). */
  eigenInterval: number;
  /** Which constant set: `'pycma'` (pycma 4.5.0 defaults) or `'tutorial'` (Hansen 2016 / evosax). */
  preset: CmaPreset;
}

/**
 * The constant set. `'tutorial'`: Hansen's tutorial (arXiv:1604.00772, Table 1) as used by
 * evosax (and so by the SV-CMA-ES reference code). `'pycma'`: the defaults of pycma 4.5.0, which
 * differ in c_μ (+0.25 in the numerator), c_1 (× min(1, λ/6)), c_σ ((μ_eff+2)/(d+μ_eff+3), ≤ 0.5),
 * d_σ (dimension-attenuated μ_eff term), the exact χ_d, the squared-norm h_σ test and the clip
 * of |Δ log σ| ≤ 1 per generation.
 */
export type CmaPreset = (typeof CMA_PRESETS)[number];

/** The constant sets. */
export const CMA_PRESETS = ['pycma', 'tutorial'] as const;

/** E‖N(0, I_d)‖ exactly, by χ_1 = √(2/π), χ_{n+1} = n/χ_n. */
export function expectedNormalNorm(dim: number): number {
  assertInteger('dim', dim, 1, 1e7);
  let c = Math.sqrt(2 / Math.PI);
  for (let n = 1; n < dim; n++) c = n / c;
  return c;
}

/** The default population size 4 + ⌊3 ln d⌋ (pycma, Hansen's tutorial). */
export function defaultPopSize(dim: number): number {
  assertInteger('dim', dim, 1);
  return 4 + Math.floor(3 * Math.log(dim));
}

/** Options of {@link cmaParameters}. */
export interface CmaParameterOptions {
  /** Learning rate of the mean c_m (default 1). */
  cm?: number;
  /** Use negative weights in the covariance update (active CMA, default true as in pycma). */
  active?: boolean;
  /** Parent number μ (default ⌊λ/2⌋, the elite ratio 0.5 of evosax and pycma). */
  mu?: number;
  /** Constant set (default `'pycma'`). */
  preset?: CmaPreset;
}

/**
 * The CMA-ES constants for dimension `dim` and population size `lambda` (defaults of Hansen's
 * tutorial, identical to pycma 4.x's `CMAOptions` defaults and evosax's `cma_es.py`).
 */
export function cmaParameters(dim: number, lambda: number, options: CmaParameterOptions = {}): CmaParameters {
  readOptions(options);
  assertInteger('dim', dim, 1);
  assertInteger('popSize', lambda, 2, 1e6);
  const cm = options.cm ?? 1;
  assertPositive('cMean', cm);
  const mu = options.mu ?? Math.floor(lambda / 2);
  assertInteger('mu', mu, 1, lambda);
  const active = options.active ?? true;
  const preset = options.preset ?? 'pycma';
  readEnum(preset, 'preset', CMA_PRESETS);
  const n = dim;
  // w'_i = ln((λ+1)/2) − ln i
  const raw = new Float64Array(lambda);
  for (let i = 0; i < lambda; i++) raw[i] = Math.log((lambda + 1) / 2) - Math.log(i + 1);
  let sPos = 0;
  let sPos2 = 0;
  let sNeg = 0;
  let sNeg2 = 0;
  for (let i = 0; i < lambda; i++) {
    if (i < mu) {
      sPos += raw[i];
      sPos2 += raw[i] * raw[i];
    } else if (raw[i] < 0) {
      sNeg += raw[i];
      sNeg2 += raw[i] * raw[i];
    }
  }
  const muEff = (sPos * sPos) / sPos2;
  const muEffMinus = sNeg2 > 0 ? (sNeg * sNeg) / sNeg2 : 0;
  const alphaCov = 2;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  let cs: number;
  let c1: number;
  let cmu: number;
  let ds: number;
  let chiN: number;
  if (preset === 'tutorial') {
    cs = (muEff + 2) / (n + muEff + 5);
    c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
    cmu = Math.min(1 - c1, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
    ds = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
    chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  } else {
    cs = Math.min(0.5, (muEff + 2) / (n + muEff + 3));
    c1 = (Math.min(1, lambda / 6) * alphaCov) / ((n + 1.3) ** 2 + muEff);
    cmu = Math.min(
      1 - c1,
      (alphaCov * (0.25 + muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2),
    );
    const dampIn = Math.max(1, 3 * (1 - 0.5 ** (n / 9)));
    ds = 1 + 2 * Math.max(0, dampIn * Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
    chiN = expectedNormalNorm(n);
  }
  // negative weights scaled to sum to −α_min (tutorial eq. 53)
  const alphaMuMinus = 1 + c1 / cmu;
  const alphaMuEffMinus = 1 + (2 * muEffMinus) / (muEff + 2);
  const alphaPosDef = (1 - c1 - cmu) / (n * cmu);
  const alphaMin = Math.min(alphaMuMinus, alphaMuEffMinus, alphaPosDef);
  const weights = new Float64Array(lambda);
  let sumWeights = 0;
  for (let i = 0; i < lambda; i++) {
    if (i < mu) weights[i] = raw[i] / sPos;
    else weights[i] = active && raw[i] < 0 ? (alphaMin * raw[i]) / -sNeg : 0;
    sumWeights += weights[i];
  }
  // pycma: decompose once ≥ 1/((c_1+c_μ)·d·10) generations have passed since the last one
  const eigenInterval = Math.max(1, Math.ceil(1 / ((c1 + cmu) * n * 10)));
  return {
    dim,
    lambda,
    mu,
    weights,
    sumWeights,
    muEff,
    muEffMinus,
    cm,
    cs,
    ds,
    cc,
    c1,
    cmu,
    chiN,
    eigenInterval,
    preset,
  };
}
