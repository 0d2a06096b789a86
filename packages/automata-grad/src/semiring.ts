/**
 * Semirings (K, ⊕, ⊗, 0̄, 1̄) as plain-number and tensor twins, after automatix's
 * `nfa/semirings.py` (Balakrishnan et al., arXiv 2410.11156): max-plus, max-min, Boolean,
 * log (soft max-plus with temperature τ), soft max-min (τ) and counting.
 *
 * Plain-number operations use the exact 0̄/1̄ (possibly ±∞). Tensor operations use finite
 * sentinels (±1e9) for ∓∞, so that no logSumExp or subtraction ever sees ∞ (tfjs returns NaN
 * for logSumExp of all −∞, forward and backward).
 * @module
 */
import { ValueError, assertPositive, describe, readOptions } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import { checkAxis, checkSemiringValue, checkTensor } from './check';
import { hardMax, softMax2, softMaxReduce, softMin2 } from './tensorOps';

/** Names of the built-in semirings. */
export type SemiringName = 'maxPlus' | 'maxMin' | 'boolean' | 'log' | 'softMaxMin' | 'counting';

/** The finite stand-in for −∞ (the semiring zero of the max-semirings) in tensors. */
export const NEG_SENTINEL = -1e9;
/** The finite stand-in for +∞ (the semiring one of the max-min semirings) in tensors. */
export const POS_SENTINEL = 1e9;

/** A semiring with plain-number and tensor operations. */
export interface Semiring {
  readonly name: SemiringName;
  /** Temperature of the smooth semirings (log, softMaxMin); undefined for the others. */
  readonly tau?: number;
  /** True if ⊕/⊗ satisfy all semiring laws (false for softMaxMin: ⊗ does not distribute over ⊕). */
  readonly isTrueSemiring: boolean;
  /** a ⊕ a = a (max-plus, max-min, Boolean). */
  readonly idempotent: boolean;
  /** Whether gradients through the tensor operations are meaningful. */
  readonly differentiable: boolean;
  /** Guard weights are 0/1 indicators (Boolean, counting) instead of real-valued distances. */
  readonly indicatorWeights: boolean;
  /** Exact 0̄ and 1̄ (may be ±Infinity). */
  readonly zero: number;
  readonly one: number;
  /** Finite 0̄ and 1̄ used in tensors. */
  readonly zeroSentinel: number;
  readonly oneSentinel: number;
  /** a ⊕ b on numbers. */
  plus(a: number, b: number): number;
  /** a ⊗ b on numbers. */
  times(a: number, b: number): number;
  /** Elementwise a ⊕ b on tensors (broadcasting). */
  plusT(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** Elementwise a ⊗ b on tensors (broadcasting). */
  timesT(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** ⊕-reduction over `axis` (removed). */
  sumT(x: tf.Tensor, axis: number): tf.Tensor;
  /** Keeps tensor values ≥ the 0̄ sentinel (stops sentinel sums drifting to −T·1e9); identity if not needed. */
  clampT(x: tf.Tensor): tf.Tensor;
}

/**
 * The semiring with argument checks on every operation, frozen: plain values must be in the
 * carrier (finite, or the semiring's own infinite 0̄/1̄: −∞ for max-plus/log/max-min/soft max-min,
 * +∞ for max-min/soft max-min), tensors live and numeric, axes in range; anything else is a
 * ValueError naming `a`, `b`, `x` or `axis`.
 */
function withChecks(s: Semiring): Semiring {
  // the carrier's infinities: −∞ where it is 0̄, +∞ where it is 1̄
  const inf = { neg: s.zero === -Infinity, pos: s.one === Infinity };
  return Object.freeze({
    ...s,
    plus: (a: number, b: number) => {
      checkSemiringValue(a, 'a', inf);
      checkSemiringValue(b, 'b', inf);
      return s.plus(a, b);
    },
    times: (a: number, b: number) => {
      checkSemiringValue(a, 'a', inf);
      checkSemiringValue(b, 'b', inf);
      return s.times(a, b);
    },
    plusT: (a: tf.Tensor, b: tf.Tensor) => {
      checkTensor(a, 'a');
      checkTensor(b, 'b');
      return s.plusT(a, b);
    },
    timesT: (a: tf.Tensor, b: tf.Tensor) => {
      checkTensor(a, 'a');
      checkTensor(b, 'b');
      return s.timesT(a, b);
    },
    sumT: (x: tf.Tensor, axis: number) => {
      checkTensor(x, 'x');
      checkAxis(axis, x.rank);
      return s.sumT(x, axis);
    },
    clampT: (x: tf.Tensor) => {
      checkTensor(x, 'x');
      return s.clampT(x);
    },
  });
}

function lse2(a: number, b: number, tau: number): number {
  const m = Math.max(a, b);
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  return m + tau * Math.log(Math.exp((a - m) / tau) + Math.exp((b - m) / tau));
}

const clampNeg = (x: tf.Tensor) => tf.maximum(x, NEG_SENTINEL);
const identity = (x: tf.Tensor) => x;

/**
 * (max, +): 0̄ = −∞, 1̄ = 0. With violation weights W = 0 iff the trajectory is accepted and
 * otherwise minus the smallest total violation over accepting runs (the paper code's choice).
 */
export const maxPlus: Semiring = withChecks({
  name: 'maxPlus' as const,
  isTrueSemiring: true,
  idempotent: true,
  differentiable: true,
  indicatorWeights: false,
  zero: -Infinity,
  one: 0,
  zeroSentinel: NEG_SENTINEL,
  oneSentinel: 0,
  plus: (a: number, b: number) => Math.max(a, b),
  times: (a: number, b: number) => a + b,
  plusT: (a: tf.Tensor, b: tf.Tensor) => tf.maximum(a, b),
  timesT: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sumT: (x: tf.Tensor, axis: number) => hardMax(x, axis),
  clampT: clampNeg,
});

/**
 * (max, min): 0̄ = −∞, 1̄ = +∞ (bottleneck). With signed weights (−d) W is the best run's
 * worst-step margin, positive iff the trajectory is accepted with margin.
 */
export const maxMin: Semiring = withChecks({
  name: 'maxMin' as const,
  isTrueSemiring: true,
  idempotent: true,
  differentiable: true,
  indicatorWeights: false,
  zero: -Infinity,
  one: Infinity,
  zeroSentinel: NEG_SENTINEL,
  oneSentinel: POS_SENTINEL,
  plus: (a: number, b: number) => Math.max(a, b),
  times: (a: number, b: number) => Math.min(a, b),
  plusT: (a: tf.Tensor, b: tf.Tensor) => tf.maximum(a, b),
  timesT: (a: tf.Tensor, b: tf.Tensor) => tf.minimum(a, b),
  sumT: (x: tf.Tensor, axis: number) => hardMax(x, axis),
  clampT: identity,
});

/** ({0,1}, ∨, ∧): guard weights are indicators; W = 1 iff accepted. Not differentiable. */
export const booleanSemiring: Semiring = withChecks({
  name: 'boolean' as const,
  isTrueSemiring: true,
  idempotent: true,
  differentiable: false,
  indicatorWeights: true,
  zero: 0,
  one: 1,
  zeroSentinel: 0,
  oneSentinel: 1,
  plus: (a: number, b: number) => Math.max(a, b),
  times: (a: number, b: number) => Math.min(a, b),
  plusT: (a: tf.Tensor, b: tf.Tensor) => tf.maximum(a, b),
  timesT: (a: tf.Tensor, b: tf.Tensor) => tf.minimum(a, b),
  sumT: (x: tf.Tensor, axis: number) => tf.max(x, axis),
  clampT: identity,
});

/** (ℝ, +, ×): with indicator weights W counts the accepting runs (overflows for long horizons). */
export const counting: Semiring = withChecks({
  name: 'counting' as const,
  isTrueSemiring: true,
  idempotent: false,
  differentiable: true,
  indicatorWeights: true,
  zero: 0,
  one: 1,
  zeroSentinel: 0,
  oneSentinel: 1,
  plus: (a: number, b: number) => a + b,
  times: (a: number, b: number) => a * b,
  plusT: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  timesT: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  sumT: (x: tf.Tensor, axis: number) => tf.sum(x, axis),
  clampT: identity,
});

function checkTau(tau: unknown): number {
  assertPositive('tau', tau);
  return tau as number;
}

/** Options of the smooth semirings. */
export interface TemperatureOptions {
  /** Temperature τ > 0 (default 1, automatix's implicit value). */
  tau?: number;
}

/**
 * Log semiring (ℝ ∪ {−∞}, ⊕ = τ·log(e^{a/τ} + e^{b/τ}), ⊗ = +): smooth max-plus. A true
 * semiring, so the matrix product computes τ·log Σ_runs exp(W(run)/τ) exactly and
 * 0 ≤ W_τ − W_maxPlus ≤ τ·log(#accepting runs) ≤ τ·T·log|Q|.
 */
export function logSemiring(options: TemperatureOptions = {}): Semiring {
  const { tau = 1 } = readOptions<TemperatureOptions>(options);
  const t = checkTau(tau);
  return withChecks({
    name: 'log' as const,
    tau: t,
    isTrueSemiring: true,
    idempotent: false,
    differentiable: true,
    indicatorWeights: false,
    zero: -Infinity,
    one: 0,
    zeroSentinel: NEG_SENTINEL,
    oneSentinel: 0,
    plus: (a: number, b: number) => lse2(a, b, t),
    times: (a: number, b: number) => a + b,
    plusT: (a: tf.Tensor, b: tf.Tensor) => softMax2(a, b, t),
    timesT: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
    sumT: (x: tf.Tensor, axis: number) => softMaxReduce(x, axis, t),
    clampT: clampNeg,
  });
}

/**
 * Soft max-min: ⊕ = τ·logsumexp(·/τ), ⊗ = −τ·logsumexp(−·/τ) (automatix's LSEMaxMin with a
 * temperature). NOT a semiring: ⊗ does not distribute over ⊕, so the matrix product is not
 * associative and tree and scan reductions differ by O(τ); the operator uses `scan` by default.
 */
export function softMaxMin(options: TemperatureOptions = {}): Semiring {
  const { tau = 1 } = readOptions<TemperatureOptions>(options);
  const t = checkTau(tau);
  return withChecks({
    name: 'softMaxMin' as const,
    tau: t,
    isTrueSemiring: false,
    idempotent: false,
    differentiable: true,
    indicatorWeights: false,
    zero: -Infinity,
    one: Infinity,
    zeroSentinel: NEG_SENTINEL,
    oneSentinel: POS_SENTINEL,
    plus: (a: number, b: number) => lse2(a, b, t),
    times: (a: number, b: number) => -lse2(-a, -b, t),
    plusT: (a: tf.Tensor, b: tf.Tensor) => softMax2(a, b, t),
    timesT: (a: tf.Tensor, b: tf.Tensor) => softMin2(a, b, t),
    sumT: (x: tf.Tensor, axis: number) => softMaxReduce(x, axis, t),
    clampT: identity,
  });
}

/** Resolves a semiring given by name (with `tau` for the smooth ones) or passes one through. */
export function resolveSemiring(s: Semiring | SemiringName, tau?: number): Semiring {
  if (typeof s === 'object' && s !== null && typeof (s as Semiring).plus === 'function') return s as Semiring;
  switch (s) {
    case 'maxPlus':
      return maxPlus;
    case 'maxMin':
      return maxMin;
    case 'boolean':
      return booleanSemiring;
    case 'counting':
      return counting;
    case 'log':
      return logSemiring({ tau: tau ?? 1 });
    case 'softMaxMin':
      return softMaxMin({ tau: tau ?? 1 });
    default:
      throw new ValueError(
        `semiring must be one of maxPlus, maxMin, boolean, counting, log, softMaxMin or a Semiring, got ${describe(s)}`,
        'semiring',
      );
  }
}
