/**
 * The empirical uniform stability in gradients (the paper's Definition: replacing one training
 * example changes ∇f(A(S); z) by at most β for every z), estimated by replace-one retraining:
 *
 *   β̂ = max over replaced i and probe points z of ‖∇f(A(S); z) − ∇f(A(S^(i)); z)‖,
 *
 * where S^(i) replaces z_i by a fresh z'_i, the probes are fresh samples plus z_i and z'_i, and
 * A runs on S and S^(i) with the same internal randomness. For a randomised algorithm (SGD) the
 * stability is in expectation over its coins, sup_z E_A‖∇f(A(S); z) − ∇f(A(S^(i)); z)‖: the
 * change at each probe is averaged over `coins` independent runs before the maximum over
 * probes. A lower estimate of the supremum over all S and z.
 * @module
 */
import { Rng, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import type { Algorithm } from './algorithm';
import { type Dataset, type RiskProblem, readDataset, readProblem, replaceSampleUnchecked } from './problem';

/** Options of {@link gradientStability}. */
export interface GradientStabilityOptions {
  /** Replaced indices i (default 5). */
  replacements?: number;
  /** Fresh probe points z (default 200), plus the replaced pair. */
  probes?: number;
  /**
   * Independent runs of the algorithm's randomness averaged per probe (default 1; use ≈ 10 for
   * SGD, whose single-run change is zero whenever the replaced index is never drawn).
   */
  coins?: number;
}

/** Result of {@link gradientStability}. */
export interface GradientStabilityResult {
  /** β̂: the largest gradient change seen. */
  beta: number;
  /** The largest change per replacement. */
  perReplacement: number[];
  /** max ‖A(S) − A(S^(i))‖ (parameter stability). */
  parameterChange: number;
}

/**
 * Adds ‖(φ'(⟨w,x⟩,y) − φ'(⟨w',x⟩,y))·x + λ(w − w')‖ / runs to `acc[i]` for every row i of
 * the probe set (the gradient change at each probe, averaged over runs).
 */
function accumulateGradientChange(
  problem: RiskProblem,
  probes: Dataset,
  w: Float64Array,
  w2: Float64Array,
  runs: number,
  acc: Float64Array,
): void {
  const { n, d, X, y } = probes;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let u = 0;
    let u2 = 0;
    for (let j = 0; j < d; j++) {
      u += w[j] * X[o + j];
      u2 += w2[j] * X[o + j];
    }
    const dg = problem.dphi(u, y[i]) - problem.dphi(u2, y[i]);
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = dg * X[o + j] + problem.lambda * (w[j] - w2[j]);
      s += v * v;
    }
    acc[i] += Math.sqrt(s) / runs;
  }
}

/**
 * β̂ of `algorithm` on `data` (see module). Randomness: replaced indices from
 * `rng.fold('index', r)`, replacements from `rng.fold('replacement', r)`, probes from
 * `rng.fold('probes')`, the algorithm's coins from `rng.fold('algorithm', c)` (the same for S
 * and S^(i)).
 *
 * ```ts
 * const p = new LeastSquaresProblem();
 * gradientStability(p, erm(), p.sample(400, new Rng(1)), new Rng(2)).beta; // ≈ c/n
 * ```
 */
export function gradientStability(
  problem: RiskProblem,
  algorithm: Algorithm,
  data: Dataset,
  rng: Rng,
  options: GradientStabilityOptions = {},
): GradientStabilityResult {
  const { replacements, probes, coins } = resolveOptions(
    options,
    {
      replacements: option.integer({ min: 1, default: 5 }),
      probes: option.integer({ min: 0, default: 200 }),
      coins: option.integer({ min: 1, default: 1 }),
    },
    { name: 'gradientStability options' },
  );
  if (!(rng instanceof Rng)) throw new ValueError(`rng must be an Rng, got ${describe(rng)}`, 'rng');
  readProblem(problem);
  readDataset(data, problem.d);
  const d = problem.d;
  const ws = Array.from(
    { length: coins },
    (_, c) => algorithm.fit(problem, data, rng.fold('algorithm', c)).w,
  );
  const fresh = probes > 0 ? problem.sample(probes, rng.fold('probes')) : undefined;
  const perReplacement: number[] = [];
  let parameterChange = 0;
  for (let r = 0; r < replacements; r++) {
    const i = rng.fold('index', r).int(data.n);
    const z = problem.sample(1, rng.fold('replacement', r));
    const S2 = replaceSampleUnchecked(data, i, z);
    const zi: Dataset = { n: 1, d, X: data.X.slice(i * d, (i + 1) * d), y: data.y.slice(i, i + 1) };
    const accPair = new Float64Array(2);
    const accFresh = new Float64Array(fresh ? fresh.n : 0);
    for (let c = 0; c < coins; c++) {
      const w = ws[c];
      const w2 = algorithm.fit(problem, S2, rng.fold('algorithm', c)).w;
      let dw = 0;
      for (let j = 0; j < d; j++) dw += (w[j] - w2[j]) ** 2;
      parameterChange = Math.max(parameterChange, Math.sqrt(dw));
      accumulateGradientChange(problem, z, w, w2, coins, accPair.subarray(0, 1));
      accumulateGradientChange(problem, zi, w, w2, coins, accPair.subarray(1, 2));
      if (fresh) accumulateGradientChange(problem, fresh, w, w2, coins, accFresh);
    }
    let m = Math.max(accPair[0], accPair[1]);
    for (const v of accFresh) if (v > m) m = v;
    perReplacement.push(m);
  }
  return { beta: Math.max(...perReplacement), perReplacement, parameterChange };
}
