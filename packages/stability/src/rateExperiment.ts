/**
 * The experiment driver: for each n, draw `repetitions` independent samples S of size n from
 * the family's problem at n, train A(S), and record the exact excess risk F(A(S)) − F(w*) and
 * the gradient generalisation gap ‖∇F(A(S)) − ∇F_S(A(S))‖. The paper's bounds hold with high
 * probability, so the summary has high quantiles (default 50%, 95%, 99%) as well as the mean,
 * and a log–log slope for each. A companion sweep estimates the gradient stability β̂(n).
 *
 * Randomness: repetition r at size n uses `Rng(seed).fold('rate', n, r)`; the sample comes
 * from its `fold('data')` and the algorithm's coins from its `fold('algorithm')`, so every
 * algorithm sees the same samples for the same seed and results do not depend on run order.
 * @module
 */
import {
  Rng,
  type Seed,
  ValueError,
  assertInRange,
  assertInteger,
  describe,
  fitPowerLaw,
  option,
  quantile,
  type PowerLawFit,
  resolveOptions,
} from '@descent/tensor';
import type { Algorithm } from './algorithm';
import { type GradientStabilityOptions, gradientStability } from './gradientStability';
import { type ProblemFamily, empiricalGradient } from './problem';

/** Options of {@link rateExperiment}. */
export interface RateExperimentOptions {
  /** The problem at each n. */
  family: ProblemFamily;
  /** The learning algorithm A. */
  algorithm: Algorithm;
  /** Sample sizes (integers ≥ 2, increasing). */
  ns: ArrayLike<number>;
  /** Independent samples per n (default 100, the notes' test setting). */
  repetitions?: number;
  /** Quantile levels of the summaries (default [0.5, 0.95, 0.99]). */
  quantiles?: number[];
  /** Seed (default 0). */
  seed?: Seed;
  /** Called after each n with the fraction done and a message. */
  onProgress?: (fraction: number, message: string) => void;
}

/** Summary of one quantity over the repetitions at one n. */
export interface Summary {
  mean: number;
  /** Quantiles at the experiment's `quantileLevels`. */
  quantiles: number[];
}

/** The measurements at one sample size. */
export interface RatePoint {
  n: number;
  /** F(w*) of the problem at this n. */
  optimalRisk: number;
  /** F(A(S)) − F(w*), one per repetition. */
  excess: number[];
  /** ‖∇F(A(S)) − ∇F_S(A(S))‖, one per repetition. */
  gradientGap: number[];
  excessSummary: Summary;
  gradientGapSummary: Summary;
  /** Mean iterations of A. */
  meanSteps: number;
}

/** Result of {@link rateExperiment}: JSON-serialisable. */
export interface RateResult {
  algorithm: string;
  family: string;
  quantileLevels: number[];
  repetitions: number;
  points: RatePoint[];
  /** Log–log slopes of the excess risk: of the mean and of each quantile. */
  slopes: { mean: PowerLawFit; quantiles: PowerLawFit[] };
  /** Log–log slopes of the gradient generalisation gap (mean and quantiles). */
  gradientGapSlopes: { mean: PowerLawFit; quantiles: PowerLawFit[] };
}

function readNs(ns: unknown): number[] {
  if (
    ns == null ||
    typeof (ns as ArrayLike<number>).length !== 'number' ||
    (ns as ArrayLike<number>).length === 0
  ) {
    throw new ValueError(`ns must be a non-empty array of sample sizes, got ${describe(ns)}`, 'ns');
  }
  const out = Array.from(ns as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    assertInteger(`ns[${i}]`, out[i], 2);
    if (i > 0 && out[i] <= out[i - 1])
      throw new ValueError(`ns must be increasing, got ${out[i - 1]} then ${out[i]}`, 'ns');
  }
  return out;
}

function readFamily(family: unknown, name: string): ProblemFamily {
  if (!family || typeof (family as ProblemFamily).problem !== 'function') {
    throw new ValueError(`${name} must be a ProblemFamily {name, problem(n)}, got ${describe(family)}`, name);
  }
  return family as ProblemFamily;
}

function readAlgorithm(algorithm: unknown, name: string): Algorithm {
  if (!algorithm || typeof (algorithm as Algorithm).fit !== 'function') {
    throw new ValueError(`${name} must be an Algorithm {name, fit}, got ${describe(algorithm)}`, name);
  }
  return algorithm as Algorithm;
}

function readLevels(levels: unknown): number[] {
  if (!Array.isArray(levels))
    throw new ValueError(
      `quantiles must be an array of levels in [0, 1], got ${describe(levels)}`,
      'quantiles',
    );
  for (let i = 0; i < levels.length; i++) assertInRange(`quantiles[${i}]`, levels[i], 0, 1);
  return levels.slice();
}

function summarize(values: number[], levels: number[]): Summary {
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    quantiles: levels.map((q) => quantile(values, q)),
  };
}

function fitAll(
  ns: number[],
  summaries: Summary[],
  levels: number[],
): { mean: PowerLawFit; quantiles: PowerLawFit[] } {
  return {
    mean: fitPowerLaw(
      ns,
      summaries.map((s) => s.mean),
    ),
    quantiles: levels.map((_, k) =>
      fitPowerLaw(
        ns,
        summaries.map((s) => s.quantiles[k]),
      ),
    ),
  };
}

/**
 * Excess risk of `algorithm` against n on `family`, with quantiles over repetitions and fitted
 * log–log slopes.
 *
 * ```ts
 * const r = rateExperiment({ family: leastSquaresFamily('low'), algorithm: erm(), ns: [100, 400, 1600], repetitions: 50 });
 * r.slopes.mean.slope; // ≈ −2
 * ```
 */
export function rateExperiment(options: RateExperimentOptions): RateResult {
  const o = resolveOptions(
    options,
    {
      family: option.custom(readFamily, { required: true }),
      algorithm: option.custom(readAlgorithm, { required: true }),
      ns: option.custom(readNs, { required: true }),
      repetitions: option.integer({ min: 1, default: 100 }),
      quantiles: option.custom(readLevels, { default: [0.5, 0.95, 0.99] }),
      seed: option.seed(),
      onProgress: option.func<(fraction: number, message: string) => void>(),
    },
    { name: 'rateExperiment options' },
  );
  const { family, algorithm, ns, repetitions, onProgress } = o;
  const levels = o.quantiles;
  const root = new Rng(o.seed);
  const points: RatePoint[] = [];
  for (let k = 0; k < ns.length; k++) {
    const n = ns[k];
    const problem = family.problem(n);
    const excess: number[] = [];
    const gradientGap: number[] = [];
    let steps = 0;
    for (let r = 0; r < repetitions; r++) {
      const rng = root.fold('rate', n, r);
      const data = problem.sample(n, rng.fold('data'));
      const fit = algorithm.fit(problem, data, rng.fold('algorithm'));
      excess.push(problem.excessRisk(fit.w));
      const gS = empiricalGradient(problem, data, fit.w);
      const g = problem.populationGradient(fit.w);
      let gap = 0;
      for (let j = 0; j < problem.d; j++) gap += (g[j] - gS[j]) ** 2;
      gradientGap.push(Math.sqrt(gap));
      steps += fit.steps;
    }
    points.push({
      n,
      optimalRisk: problem.optimalRisk,
      excess,
      gradientGap,
      excessSummary: summarize(excess, levels),
      gradientGapSummary: summarize(gradientGap, levels),
      meanSteps: steps / repetitions,
    });
    onProgress?.((k + 1) / ns.length, `${algorithm.name} on ${family.name}: n = ${n}`);
  }
  return {
    algorithm: algorithm.name,
    family: family.name,
    quantileLevels: levels,
    repetitions,
    points,
    slopes: fitAll(
      ns,
      points.map((p) => p.excessSummary),
      levels,
    ),
    gradientGapSlopes: fitAll(
      ns,
      points.map((p) => p.gradientGapSummary),
      levels,
    ),
  };
}

/** Options of {@link stabilityExperiment}. */
export interface StabilityExperimentOptions extends GradientStabilityOptions {
  family: ProblemFamily;
  algorithm: Algorithm;
  ns: ArrayLike<number>;
  /** Independent training sets per n (default 3); β̂(n) is the max over them. */
  datasets?: number;
  seed?: Seed;
  onProgress?: (fraction: number, message: string) => void;
}

/** β̂ at one n. */
export interface StabilityPoint {
  n: number;
  /** β̂(n): max over data sets, replacements and probes. */
  beta: number;
  /** n·β̂(n): constant when β ∝ 1/n. */
  betaTimesN: number;
  /** max ‖A(S) − A(S^(i))‖. */
  parameterChange: number;
}

/** Result of {@link stabilityExperiment}. */
export interface StabilityResult {
  algorithm: string;
  family: string;
  points: StabilityPoint[];
  /** Log–log slope of β̂(n) (−1 for uniform stability O(1/n)). */
  slope: PowerLawFit;
}

/**
 * β̂(n) of `algorithm` on `family` by replace-one retraining ({@link gradientStability}).
 * Data set s at size n uses `Rng(seed).fold('stability', n, s)`.
 *
 * ```ts
 * const r = stabilityExperiment({ family: leastSquaresFamily('fixed'), algorithm: erm(), ns: [100, 400, 1600] });
 * r.points.map((p) => p.betaTimesN); // roughly constant
 * ```
 */
export function stabilityExperiment(options: StabilityExperimentOptions): StabilityResult {
  const o = resolveOptions(
    options,
    {
      family: option.custom(readFamily, { required: true }),
      algorithm: option.custom(readAlgorithm, { required: true }),
      ns: option.custom(readNs, { required: true }),
      datasets: option.integer({ min: 1, default: 3 }),
      replacements: option.integer({ min: 1 }),
      probes: option.integer({ min: 0 }),
      coins: option.integer({ min: 1 }),
      seed: option.seed(),
      onProgress: option.func<(fraction: number, message: string) => void>(),
    },
    { name: 'stabilityExperiment options' },
  );
  const { family, algorithm, ns, datasets, onProgress, ...rest } = o;
  const root = new Rng(o.seed);
  const points: StabilityPoint[] = [];
  for (let k = 0; k < ns.length; k++) {
    const n = ns[k];
    const problem = family.problem(n);
    let beta = 0;
    let parameterChange = 0;
    for (let s = 0; s < datasets; s++) {
      const rng = root.fold('stability', n, s);
      const data = problem.sample(n, rng.fold('data'));
      const r = gradientStability(problem, algorithm, data, rng, {
        replacements: rest.replacements,
        probes: rest.probes,
        coins: rest.coins,
      });
      beta = Math.max(beta, r.beta);
      parameterChange = Math.max(parameterChange, r.parameterChange);
    }
    points.push({ n, beta, betaTimesN: beta * n, parameterChange });
    onProgress?.((k + 1) / ns.length, `β̂ of ${algorithm.name} on ${family.name}: n = ${n}`);
  }
  return {
    algorithm: algorithm.name,
    family: family.name,
    points,
    slope: fitPowerLaw(
      ns,
      points.map((p) => p.beta),
    ),
  };
}
