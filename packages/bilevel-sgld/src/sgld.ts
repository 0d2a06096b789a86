/**
 * Stochastic gradient Langevin dynamics (Welling & Teh 2011) in float64:
 *
 *   θ_{t+1} = θ_t − η ∇L(θ_t) + √(2ητ) ξ_t,   ξ_t ~ N(0, I)
 *
 * (Welling–Teh's θ ← θ + (ε/2)∇log p + N(0, ε) with η = ε/2, τ = 1). Its stationary law targets
 * p ∝ exp(−L/τ); on a quadratic L = ½(θ−μ)ᵀA(θ−μ) the chain is a Gaussian AR(1) with mean μ,
 * covariance τ(A − ηA²/2)⁻¹ and lag-1 autocorrelation 1 − ηa per eigen-direction (paper notes
 * §2.2, DERIVED; tested). Chains run from their own streams `rng.fold('chain', c)` of the shared
 * seeded {@link Rng}: same seed, same bits; seed 0 is an ordinary seed (no tfjs seeding).
 * @module
 */
import {
  type RunResult,
  Rng,
  type Seed,
  ValueError,
  describe,
  option,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import { divergenceGuard } from './innerDescent';
import { readStarts } from './problem';
import { type ResolvedStepSize, type StepSize, readStepSize } from './stepSize';

/** Chain settings shared by the sampler and every SGLD hypergradient estimator. */
export interface ChainOptions {
  /** Step size η (required; stable for η·λ_max(H) < 2, accurate for η·λ_max ≲ 1). */
  learningRate: number;
  /** Temperature τ ≥ 0 of p ∝ exp(−L/τ) (default 1: the Bayesian posterior of a sum-of-losses L; 0 = gradient descent). */
  temperature?: number;
  /** Steps discarded before the first kept sample (default 100). */
  burnIn?: number;
  /** Samples kept per chain (default 100). */
  samples?: number;
  /** Keep every `thin`-th state after burn-in (default 1). */
  thin?: number;
  /** Independent chains (default 4); standard errors are across chains. */
  chains?: number;
  /** Seed of the shared {@link Rng} (default 0). */
  seed?: Seed;
}

/**
 * Chain settings of the SGLD hypergradient estimators: {@link ChainOptions} whose step may also be
 * the curvature rule `{ type: 'curvature', scale }` (η = scale / L̂(θ₀, λ) at every estimate; see
 * `StepSize`).
 */
export interface EstimatorChainOptions extends Omit<ChainOptions, 'learningRate'> {
  /** Step size: a number η, or `{ type: 'curvature', scale }` (required). */
  learningRate: StepSize;
}

/** Resolved {@link ChainOptions}. */
export interface ResolvedChainOptions {
  learningRate: number;
  temperature: number;
  burnIn: number;
  samples: number;
  thin: number;
  chains: number;
  seed: Seed;
}

/** Resolved {@link EstimatorChainOptions}. */
export type ResolvedEstimatorChainOptions = Omit<ResolvedChainOptions, 'learningRate'> & { learningRate: ResolvedStepSize };

/** The option schema of {@link EstimatorChainOptions} (estimators extend it; `sgld` takes a number step). */
export const chainOptionSchema = {
  learningRate: option.custom(readStepSize, { required: true }),
  temperature: option.number({ min: 0, default: 1 }),
  burnIn: option.integer({ min: 0, default: 100 }),
  samples: option.integer({ min: 1, default: 100 }),
  thin: option.integer({ min: 1, default: 1 }),
  chains: option.integer({ min: 1, default: 4 }),
  seed: option.seed(),
};

/**
 * One SGLD step θ − η g + √(2ητ) ξ with ξ drawn from `rng` (written to `out`, default a new
 * array; `out` may be `theta`).
 */
export function sgldStep(
  theta: ArrayLike<number>,
  gradient: ArrayLike<number>,
  learningRate: number,
  temperature: number,
  rng: Rng,
  out?: Float64Array,
): Float64Array {
  const t = readVector(theta, 'theta');
  const g = readVector(gradient, 'gradient', { length: t.length });
  const o = resolveOptions({ learningRate, temperature }, {
    learningRate: option.number({ gt: 0, required: true }),
    temperature: option.number({ min: 0, required: true }),
  });
  if (!(rng instanceof Rng)) throw new ValueError(`rng must be an Rng, got ${describe(rng)}`, 'rng');
  if (out !== undefined && (!(out instanceof Float64Array) || out.length !== t.length)) {
    throw new ValueError(`out must be a Float64Array of length ${t.length}, got ${describe(out)}`, 'out');
  }
  const res = out ?? new Float64Array(t.length);
  stepInto(t, g, o.learningRate, o.temperature, rng, res);
  return res;
}

/** The unchecked step (hot loop): res = θ − ηg + √(2ητ)ξ; `noise` is a scratch buffer. */
function stepInto(
  theta: Float64Array,
  g: Float64Array,
  eta: number,
  tau: number,
  rng: Rng,
  res: Float64Array,
  noise?: Float64Array,
): void {
  const s = Math.sqrt(2 * eta * tau);
  if (s > 0) {
    const xi = noise ?? new Float64Array(theta.length);
    rng.fillNormal(xi);
    for (let i = 0; i < theta.length; i++) res[i] = theta[i] - eta * g[i] + s * xi[i];
  } else {
    for (let i = 0; i < theta.length; i++) res[i] = theta[i] - eta * g[i];
  }
}

/**
 * What an estimator does along a chain: `beforeStep(θ_t, g_t)` sees the state and its inner
 * gradient before each step (forward recursions update their auxiliaries from θ_t here);
 * `sample(θ)` sees every kept state.
 */
export interface ChainVisitor {
  beforeStep?(theta: Float64Array, gradient: Float64Array, step: number): void;
  sample(theta: Float64Array, index: number): void;
}

/**
 * Runs one chain from `theta` (modified in place to the final state): burn-in, then `samples`
 * kept states every `thin` steps. Returns the number of gradient evaluations (= steps).
 */
export function runChain(
  gradient: (theta: Float64Array) => Float64Array,
  theta: Float64Array,
  o: ResolvedChainOptions,
  rng: Rng,
  visitor: ChainVisitor,
): number {
  return runChains((ts) => [gradient(ts[0])], [theta], o, [rng], [visitor]);
}

/**
 * Runs K chains in lockstep (chain c from `thetas[c]` on its own stream `rngs[c]`, modified in
 * place): each step asks `gradients` for all K gradients at once (a batched oracle: one tensor
 * pass or one matrix product), then steps every chain. Each chain sees exactly the states, noise
 * and visits it would see alone. Returns the number of gradient evaluations (K × steps).
 */
export function runChains(
  gradients: (thetas: Float64Array[]) => Float64Array[],
  thetas: Float64Array[],
  o: ResolvedChainOptions,
  rngs: Rng[],
  visitors: ChainVisitor[],
): number {
  const total = o.burnIn + o.samples * o.thin;
  const next = thetas.map((t) => new Float64Array(t.length));
  const noise = thetas.map((t) => new Float64Array(t.length));
  let kept = 0;
  for (let t = 0; t < total; t++) {
    const gs = t === 0 ? gradients(thetas) : divergenceGuard(() => gradients(thetas), t, o.learningRate, 'learningRate');
    const after = t + 1 - o.burnIn;
    const keep = after > 0 && after % o.thin === 0;
    for (let c = 0; c < thetas.length; c++) {
      const theta = thetas[c];
      visitors[c].beforeStep?.(theta, gs[c], t);
      stepInto(theta, gs[c], o.learningRate, o.temperature, rngs[c], next[c], noise[c]);
      let norm = 0;
      for (let i = 0; i < theta.length; i++) norm += next[c][i] * next[c][i];
      if (!Number.isFinite(norm)) {
        throw new ValueError(
          `learningRate ${o.learningRate} is too large: the chain diverged at step ${t} (needs η·λmax(H) < 2)`,
          'learningRate',
        );
      }
      theta.set(next[c]);
      if (keep) visitors[c].sample(theta, kept);
    }
    if (keep) kept++;
  }
  return total * thetas.length;
}

/** Options of {@link sgld}. */
export interface SgldOptions extends ChainOptions {
  /** Keep every sample in the result (default true; false keeps only the running moments). */
  keepSamples?: boolean;
  /** Called with every kept sample (a copy) and its chain and index; returning `false` stops the run. */
  onSample?: (theta: Float64Array, info: { chain: number; index: number }) => unknown;
}

/** One history entry of {@link sgld}: after chain `chain` ended (its last step is `step`). */
export interface SgldHistoryEntry {
  step: number;
  chain: number;
}

/** Result of {@link sgld}. */
export interface SgldResult extends RunResult<SgldHistoryEntry> {
  /** Kept samples, per chain (empty arrays when `keepSamples` is false). */
  samples: Float64Array[][];
  /** Mean of all kept samples. */
  mean: Float64Array;
  /** Covariance of all kept samples (row-major d×d, divisor n − 1). */
  covariance: Float64Array;
  /** Final state of each chain (warm starts). */
  states: Float64Array[];
}

/**
 * Samples p ∝ exp(−L/τ) with SGLD: `chains` independent chains from `theta0` (one vector or one
 * per chain; default zeros of `dim`), each with its own seeded stream.
 *
 * ```ts
 * const r = sgld((x) => x.map((v, i) => [1, 4][i] * v), [0, 0], { learningRate: 0.1, samples: 2000 });
 * r.covariance; // ≈ [1/(1 − 0.05), 0, 0, 1/(4(1 − 0.2))]
 * ```
 */
export function sgld(
  gradient: (theta: Float64Array) => ArrayLike<number>,
  theta0: ArrayLike<number> | ArrayLike<number>[],
  options: SgldOptions,
): SgldResult {
  const start = Date.now();
  if (typeof gradient !== 'function') throw new ValueError(`gradient must be a function, got ${describe(gradient)}`, 'gradient');
  const o = resolveOptions(options, {
    ...chainOptionSchema,
    learningRate: option.number({ gt: 0, required: true }),
    keepSamples: option.boolean({ default: true }),
    onSample: option.func<NonNullable<SgldOptions['onSample']>>(),
  });
  const first = Array.isArray(theta0) && typeof theta0[0] === 'object' ? theta0[0] : theta0;
  const d = readVector(first, Array.isArray(theta0) && typeof theta0[0] === 'object' ? 'theta0[0]' : 'theta0').length;
  const starts = readStarts(theta0, d, o.chains);
  const grad = (theta: Float64Array): Float64Array => {
    const g = gradient(Float64Array.from(theta));
    return readVector(g, 'gradient(theta)', { length: d, copy: true });
  };
  const root = new Rng(o.seed);
  const samples: Float64Array[][] = [];
  // moments of θ − shift (shift = the first kept sample) for accuracy when |mean| ≫ spread
  const sum = new Float64Array(d);
  const cross = new Float64Array(d * d);
  let shift: Float64Array | undefined;
  let n = 0;
  let evaluations = 0;
  let stopped = false;
  const history: SgldHistoryEntry[] = [];
  for (let c = 0; c < o.chains && !stopped; c++) {
    const kept: Float64Array[] = [];
    samples.push(kept);
    evaluations += runChain(grad, starts[c], o, root.fold('chain', c), {
      sample(theta, index) {
        if (stopped) return;
        shift ??= Float64Array.from(theta);
        for (let i = 0; i < d; i++) {
          const a = theta[i] - shift[i];
          sum[i] += a;
          for (let j = 0; j <= i; j++) cross[i * d + j] += a * (theta[j] - shift[j]);
        }
        n++;
        if (o.keepSamples) kept.push(Float64Array.from(theta));
        if (o.onSample && o.onSample(Float64Array.from(theta), { chain: c, index }) === false) stopped = true;
      },
    });
    history.push({ step: evaluations - 1, chain: c });
  }
  const centred = sum.map((s) => s / n);
  const mean = centred.map((m, i) => m + (shift?.[i] ?? 0));
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = n > 1 ? (cross[i * d + j] - n * centred[i] * centred[j]) / (n - 1) : 0;
      covariance[i * d + j] = v;
      covariance[j * d + i] = v;
    }
  }
  return {
    samples,
    mean,
    covariance,
    states: starts,
    history,
    evaluations,
    timeMs: Date.now() - start,
    stopReason: stopped ? 'callback' : 'maxSteps',
  };
}
