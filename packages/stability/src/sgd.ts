/**
 * Projected stochastic gradient descent with the strongly-convex step size:
 *
 *   i_t ~ Unif[n],   w_{t+1} = Π_R(w_t − η_t ∇f(w_t; z_{i_t})),   η_t = 1/(μ(t + t₀)),
 *
 * μ = λ, t₀ = ⌈L_max/μ⌉ (L_max the largest per-sample smoothness, so η_t ≤ 1/L_max), sampling
 * with replacement. The number of steps is T = n (one pass) or T = n² (the iteration count the
 * reviewers quote for the high-probability O(1/n²) bound), or any number. The output is the
 * last iterate (default) or the average of the second half of the iterates.
 * @module
 */
import {
  type Schedule,
  type VectorLike,
  assertSchedule,
  evaluateSchedule,
  option,
  readInteger,
  resolveOptions,
} from '@descent/tensor';
import type { Algorithm, FitResult } from './algorithm';
import { FitHistory, historyEveryOption } from './fitHistory';
import { projectInPlace } from './ball';
import {
  type Dataset,
  type RiskProblem,
  maxSampleSmoothness,
  readDataset,
  readProblem,
  readRng,
  readWeights,
} from './problem';

/** T = n, T = n² or a number. */
type SgdSteps = 'n' | 'n2' | number;

function readSteps(v: unknown, name: string): SgdSteps {
  return v === 'n' || v === 'n2' ? v : readInteger(v, name, { min: 0 });
}

function readSchedule(v: unknown, name: string): Schedule {
  assertSchedule(name, v);
  return v;
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Steps T: `'n'` (default), `'n2'` (n²) or a number; SGD runs exactly T steps. Renamed from `steps`. */
  maxSteps?: 'n' | 'n2' | number;
  /** Step size: a constant or a function of the 0-based step (default 1/(μ(t + t₀)), see module). */
  learningRate?: Schedule;
  /** Radius R of the ball {‖w‖ ≤ R} to project on (default Infinity: no projection). */
  radius?: number;
  /** Starting point (default 0, projected). */
  init?: VectorLike;
  /** Record F_S (n per record, not counted in `evaluations`) every this many steps (default 0: off). */
  historyEvery?: number;
  /** `'last'` iterate (default) or `'suffix'`: the mean of iterates T/2 … T. */
  output?: 'last' | 'suffix';
}

/**
 * SGD with step 1/(μt) as an {@link Algorithm}; the index sequence comes from the `rng` given
 * to `fit`, so S and S^(i) can be trained with the same coins.
 *
 * ```ts
 * const p = new LeastSquaresProblem();
 * const { w } = sgd({ maxSteps: 'n2' }).fit(p, p.sample(200, new Rng(1)), new Rng(2));
 * ```
 */
export function sgd(options: SgdOptions = {}): Algorithm {
  const {
    maxSteps: steps,
    output,
    radius,
    learningRate: lr,
    init,
    historyEvery,
  } = resolveOptions(
    options,
    {
      maxSteps: option.custom(readSteps, { default: 'n' as SgdSteps }),
      learningRate: option.custom(readSchedule),
      radius: option.number({ gt: 0, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
      init: option.vector(),
      output: option.oneOf(['last', 'suffix'], { default: 'last' }),
      historyEvery: historyEveryOption,
    },
    { name: 'sgd options', renamed: { steps: 'maxSteps' } },
  );
  const label = steps === 'n' ? 'T=n' : steps === 'n2' ? 'T=n²' : `T=${steps}`;
  return {
    name: `SGD ${label}`,
    fit(problem: RiskProblem, data: Dataset, rng): FitResult {
      readProblem(problem);
      readDataset(data, problem.d);
      readRng(rng);
      const t0Ms = performance.now();
      const { n, d, X, y } = data;
      const T = steps === 'n' ? n : steps === 'n2' ? n * n : steps;
      const mu = problem.lambda;
      const t0 = Math.ceil(maxSampleSmoothness(problem, data) / mu);
      const w = init === undefined ? new Float64Array(d) : readWeights(init, d, 'init').slice();
      projectInPlace(w, radius);
      const c = problem.center;
      const avg = new Float64Array(d);
      const from = output === 'suffix' ? Math.floor(T / 2) : T;
      const log = new FitHistory(historyEvery, problem, data);
      for (let t = 0; t < T; t++) {
        log.record(t, w);
        const eta = lr === undefined ? 1 / (mu * (t + t0)) : evaluateSchedule(lr, t);
        const i = rng.int(n);
        const o = i * d;
        let u = 0;
        for (let j = 0; j < d; j++) u += w[j] * X[o + j];
        const g = problem.dphi(u, y[i]);
        for (let j = 0; j < d; j++) w[j] -= eta * (g * X[o + j] + mu * (w[j] - c[j]));
        projectInPlace(w, radius);
        if (t >= from) for (let j = 0; j < d; j++) avg[j] += w[j];
      }
      let out = w;
      if (output === 'suffix' && T > from) {
        for (let j = 0; j < d; j++) avg[j] /= T - from;
        out = avg;
      }
      log.record(T, out, true); // the returned weights (the suffix average when output = 'suffix')
      return {
        w: out,
        steps: T,
        evaluations: T,
        history: log.history,
        timeMs: performance.now() - t0Ms,
        stopReason: 'maxSteps',
      };
    },
  };
}
