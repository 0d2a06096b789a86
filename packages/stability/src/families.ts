/**
 * The regimes of the rate experiments, as problem families n ↦ problem:
 *
 * | family | F(w*) | expected excess-risk rate |
 * |---|---|---|
 * | least squares `'fixed'`: σ² = 0.25, c = w₀ | σ²/2, constant | 1/n |
 * | least squares `'low'`: σ² = 1/n, c = w₀ | 1/(2n) | 1/n² (the paper's regime) |
 * | least squares `'biased'`: σ² = 1/n, c = 0, ‖w₀‖ = 3 | ≈ 0.41, constant (regularisation bias) | 1/n: small label noise alone is not enough |
 * | logistic `'fixed'`: r = 1, c = w₀ | ≈ 0.356, constant | 1/n |
 * | logistic `'low'`: r = r_n with F(w*) = 1/n, c = w₀ | 1/n | 1/n² |
 *
 * The 'biased' control separates the paper's condition, F(w*) = O(1/n), from "the labels are
 * nearly noiseless": its labels are as clean as in 'low', but the regularised optimum still has
 * Θ(1) gradient noise, and the rate stays 1/n. Its default truth has norm 3 (not 1) so that the
 * bias term ≈ 0.14/n of the excess risk dominates the label-noise term ≈ 2.3/n² from n ≈ 20 on
 * (with ‖w₀‖ = 1 the crossover is at n ≈ 150 and the measured slopes mix the two rates).
 * @module
 */
import { ValueError, assertPositive, describe, readEnum, readNumber } from '@descent/tensor';
import { LeastSquaresProblem, type LeastSquaresOptions } from './leastSquares';
import { LogisticProblem, type LogisticOptions } from './logistic';
import type { ProblemFamily } from './problem';

/** The least-squares regimes, see the module table. */
export type LeastSquaresRegime = 'fixed' | 'low' | 'biased';
/** The logistic regimes, see the module table. */
export type LogisticRegime = 'fixed' | 'low';

/** Options of {@link leastSquaresFamily}: the problem's options except the two the regime sets. */
export interface LeastSquaresFamilyOptions extends Omit<LeastSquaresOptions, 'center' | 'noiseVariance'> {
  /** σ² of the `'fixed'` regime (default 0.25). */
  noiseVariance?: number;
  /** a in σ² = a/n of the `'low'` and `'biased'` regimes (default 1). */
  noiseScale?: number;
}

/** Options of {@link logisticFamily}: the problem's options except the two the regime sets. */
export interface LogisticFamilyOptions extends Omit<LogisticOptions, 'center' | 'separation'> {
  /** r of the `'fixed'` regime (default 1). */
  separation?: number;
  /** a in F(w*) = a/n of the `'low'` regime (default 1). */
  riskScale?: number;
}

/** The options object, refusing `center`: the regime sets it. */
function readFamilyOptions<T extends object>(options: T): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
  }
  if ('center' in options && (options as { center?: unknown }).center !== undefined) {
    throw new ValueError('center is set by the regime; it is not an option of a problem family', 'center');
  }
  return options;
}

/**
 * Regularised least squares in one of three regimes (module table).
 *
 * ```ts
 * const low = leastSquaresFamily('low');
 * low.problem(400).optimalRisk; // 1/800
 * ```
 */
export function leastSquaresFamily(
  regime: LeastSquaresRegime,
  options: LeastSquaresFamilyOptions = {},
): ProblemFamily {
  readEnum(regime, 'regime', ['fixed', 'low', 'biased']);
  const { noiseVariance = 0.25, noiseScale = 1, ...rest } = readFamilyOptions(options);
  readNumber(noiseVariance, 'noiseVariance', { min: 0 });
  readNumber(noiseScale, 'noiseScale', { min: 0 });
  const shared = new LeastSquaresProblem(rest); // validates the shared options now
  const biasedTruth = new Float64Array(shared.d).fill(3 / Math.sqrt(shared.d));
  const name =
    regime === 'fixed'
      ? `least squares, σ² = ${noiseVariance} (fixed noise)`
      : regime === 'low'
        ? `least squares, σ² = ${noiseScale}/n (low noise)`
        : `least squares, σ² = ${noiseScale}/n, c = 0 (biased optimum)`;
  return {
    name,
    problem(n: number) {
      assertPositive('n', n);
      if (regime === 'fixed') return new LeastSquaresProblem({ ...rest, noiseVariance, center: 'truth' });
      if (regime === 'low')
        return new LeastSquaresProblem({ ...rest, noiseVariance: noiseScale / n, center: 'truth' });
      return new LeastSquaresProblem({
        truth: biasedTruth,
        ...rest,
        noiseVariance: noiseScale / n,
        center: 'zero',
      });
    },
  };
}

/**
 * Regularised logistic regression on a Gaussian mixture in one of two regimes (module table).
 * The separations r_n of the `'low'` regime are solved once per n and cached.
 *
 * ```ts
 * logisticFamily('low').problem(1000).optimalRisk; // 1e-3
 * ```
 */
export function logisticFamily(regime: LogisticRegime, options: LogisticFamilyOptions = {}): ProblemFamily {
  readEnum(regime, 'regime', ['fixed', 'low']);
  const { separation = 1, riskScale = 1, ...rest } = readFamilyOptions(options);
  readNumber(separation, 'separation', { min: 0 });
  readNumber(riskScale, 'riskScale', { gt: 0 });
  const cache = new Map<number, LogisticProblem>();
  const fixed =
    regime === 'fixed' ? new LogisticProblem({ ...rest, separation, center: 'truth' }) : undefined;
  const name =
    regime === 'fixed'
      ? `logistic, r = ${separation} (fixed F(w*))`
      : `logistic, F(w*) = ${riskScale}/n (low risk)`;
  return {
    name,
    problem(n: number) {
      assertPositive('n', n);
      if (fixed) return fixed;
      let p = cache.get(n);
      if (!p) {
        const r = LogisticProblem.separationForOptimalRisk(Math.min(riskScale / n, 0.5));
        p = new LogisticProblem({ ...rest, separation: r, center: 'truth' });
        cache.set(n, p);
      }
      return p;
    },
  };
}
