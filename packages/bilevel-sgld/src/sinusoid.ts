/**
 * Few-shot sinusoid regression as meta-learning (Finn et al. 2017's task family; iMAML's proximal
 * inner loss, Rajeswaran et al. 2019; paper notes §3.2 item 4), on a model linear in D fixed
 * random Fourier features φ(x) = √(2/D)·cos(ωⱼx + bⱼ) (so every oracle is exact in float64; the
 * MLP version needs the tensor path, not built). M meta-training tasks y = a·sin(x − φ₀),
 * a ∈ [0.1, 5], φ₀ ∈ [0, π], x ∈ [−5, 5], K support and Q query points each:
 *
 *   L_T(θ, λ) = Σ_m ½‖Φ_m θ_m − y_m‖² + (γ/2)‖θ_m − λ‖²   (θ = [θ_1; …; θ_M], λ = the meta-learned prior mean)
 *   L_V(θ)    = (1/(MQ)) Σ_m ½‖Φ^q_m θ_m − y^q_m‖²
 *
 * H = blockdiag(Φ_mᵀΦ_m + γI), B = −γ[I; …; I]; the exact hypergradient is
 * ∇F = Σ_m γ A_m⁻¹ ∇_{θ_m}L_V at θ_m* = A_m⁻¹(Φ_mᵀy_m + γλ), A_m = Φ_mᵀΦ_m + γI.
 * @module
 */
import { Matrix, Rng, type Seed, cholesky, choleskySolve, option, readVector, resolveOptions } from '@descent/tensor';
import type { BilevelProblem } from './problem';

/** Options of {@link sinusoidFewShot}. */
export interface SinusoidOptions {
  /** Meta-training tasks M (default 20). */
  tasks?: number;
  /** Support points K per task (default 5). */
  shots?: number;
  /** Query points Q per task (default 20). */
  queries?: number;
  /** Random Fourier features D (default 40). */
  features?: number;
  /** Feature frequency scale: ω ~ N(0, bandwidth⁻²) (default 1.5). */
  bandwidth?: number;
  /** Proximal strength γ (default 1). */
  gamma?: number;
  /** Seed of the features and tasks (default 0). */
  seed?: Seed;
}

/** The few-shot problem with its exact oracles. */
export interface SinusoidProblem extends BilevelProblem {
  /** D (= p). */
  readonly features: number;
  /** M. */
  readonly tasks: number;
  /** The adapted θ* (all tasks) for prior mean λ. */
  innerMinimizer(lambda: ArrayLike<number>): Float64Array;
  /** F(λ) = L_V(θ*(λ)). */
  objective(lambda: ArrayLike<number>): number;
  /** ∇F(λ) (closed form). */
  hypergradient(lambda: ArrayLike<number>): Float64Array;
  /** Mean query MSE after adapting to `count` fresh tasks (seeded) from prior mean λ. */
  metaTestLoss(lambda: ArrayLike<number>, count: number, seed: Seed): number;
}

/** The few-shot sinusoid meta-learning problem (see the module comment). */
export function sinusoidFewShot(options: SinusoidOptions = {}): SinusoidProblem {
  const o = resolveOptions(options, {
    tasks: option.integer({ min: 1, max: 10000, default: 20 }),
    shots: option.integer({ min: 1, max: 10000, default: 5 }),
    queries: option.integer({ min: 1, max: 10000, default: 20 }),
    features: option.integer({ min: 1, max: 2000, default: 40 }),
    bandwidth: option.number({ gt: 0, default: 1.5 }),
    gamma: option.number({ gt: 0, default: 1 }),
    seed: option.seed(),
  });
  const D = o.features;
  const M = o.tasks;
  const rng = new Rng(o.seed);
  const omega = rng.fold('omega').normalArray(D, 0, 1 / o.bandwidth);
  const phase = rng.fold('phase').fillUniform(new Float64Array(D), 0, 2 * Math.PI);
  const phi = (x: number, out: Float64Array, at: number) => {
    for (let j = 0; j < D; j++) out[at + j] = Math.sqrt(2 / D) * Math.cos(omega[j] * x + phase[j]);
  };
  interface Task {
    S: Float64Array; // K × D support features
    y: Float64Array;
    Q: Float64Array; // Q × D query features
    yq: Float64Array;
  }
  const drawTask = (r: Rng): Task => {
    const a = r.uniformIn(0.1, 5);
    const p0 = r.uniformIn(0, Math.PI);
    const make = (n: number, key: string) => {
      const xs = r.fold(key).fillUniform(new Float64Array(n), -5, 5);
      const F = new Float64Array(n * D);
      for (let i = 0; i < n; i++) phi(xs[i], F, i * D);
      return { F, y: xs.map((x) => a * Math.sin(x - p0)) };
    };
    const s = make(o.shots, 'support');
    const q = make(o.queries, 'query');
    return { S: s.F, y: s.y, Q: q.F, yq: q.y };
  };
  const train = Array.from({ length: M }, (_, m) => drawTask(rng.fold('task', m)));
  /** Φᵀ(Φθ − y) for rows F (n × D) at θ offset `at`. */
  const residualGrad = (F: Float64Array, y: Float64Array, theta: Float64Array, at: number, scale: number, out: Float64Array) => {
    const n = y.length;
    for (let i = 0; i < n; i++) {
      let r = -y[i];
      for (let j = 0; j < D; j++) r += F[i * D + j] * theta[at + j];
      r *= scale;
      for (let j = 0; j < D; j++) out[at + j] += r * F[i * D + j];
    }
  };
  const gram = (t: Task) => {
    const A = new Matrix(D, D);
    for (let i = 0; i < o.shots; i++) {
      for (let j = 0; j < D; j++) for (let l = 0; l < D; l++) A.data[j * D + l] += t.S[i * D + j] * t.S[i * D + l];
    }
    for (let j = 0; j < D; j++) A.data[j * D + j] += o.gamma;
    return cholesky(A);
  };
  const factors = train.map(gram);
  const adapt = (t: Task, L: Matrix, l: Float64Array) => {
    const rhs = new Float64Array(D);
    for (let i = 0; i < o.shots; i++) for (let j = 0; j < D; j++) rhs[j] += t.S[i * D + j] * t.y[i];
    for (let j = 0; j < D; j++) rhs[j] += o.gamma * l[j];
    return choleskySolve(L, rhs);
  };
  const d = M * D;
  const th = (theta: ArrayLike<number>) => readVector(theta, 'theta', { length: d });
  const lam = (lambda: ArrayLike<number>) => readVector(lambda, 'lambda', { length: D });
  const queryLoss = (tasks: Task[], theta: Float64Array) => {
    let s = 0;
    tasks.forEach((t, m) => {
      for (let i = 0; i < t.yq.length; i++) {
        let r = -t.yq[i];
        for (let j = 0; j < D; j++) r += t.Q[i * D + j] * theta[m * D + j];
        s += 0.5 * r * r;
      }
    });
    return s / (tasks.length * o.queries);
  };
  const problem: SinusoidProblem = {
    dim: d,
    hyperDim: D,
    features: D,
    tasks: M,
    innerGradient(theta, lambda) {
      const t = th(theta);
      const l = lam(lambda);
      const g = new Float64Array(d);
      train.forEach((task, m) => {
        residualGrad(task.S, task.y, t, m * D, 1, g);
      });
      for (let m = 0; m < M; m++) for (let j = 0; j < D; j++) g[m * D + j] += o.gamma * (t[m * D + j] - l[j]);
      return g;
    },
    innerHyperGradient(theta, lambda) {
      const t = th(theta);
      const l = lam(lambda);
      const g = new Float64Array(D);
      for (let m = 0; m < M; m++) for (let j = 0; j < D; j++) g[j] -= o.gamma * (t[m * D + j] - l[j]);
      return g;
    },
    outerValue(theta, lambda) {
      lam(lambda);
      return queryLoss(train, th(theta));
    },
    outerGradient(theta, lambda) {
      lam(lambda);
      const t = th(theta);
      const g = new Float64Array(d);
      train.forEach((task, m) => {
        residualGrad(task.Q, task.yq, t, m * D, 1 / (M * o.queries), g);
      });
      return g;
    },
    outerHyperGradient(theta, lambda) {
      th(theta);
      lam(lambda);
      return new Float64Array(D);
    },
    innerHvp(theta, lambda, v) {
      th(theta);
      lam(lambda);
      const w = readVector(v, 'v', { length: d });
      const out = new Float64Array(d);
      train.forEach((task, m) => {
        residualGrad(task.S, new Float64Array(o.shots), w, m * D, 1, out);
      });
      for (let k = 0; k < d; k++) out[k] += o.gamma * w[k];
      return out;
    },
    innerMixedVjp(theta, lambda, v) {
      th(theta);
      lam(lambda);
      const w = readVector(v, 'v', { length: d });
      const out = new Float64Array(D);
      for (let m = 0; m < M; m++) for (let j = 0; j < D; j++) out[j] -= o.gamma * w[m * D + j];
      return out;
    },
    innerMixedJvp(theta, lambda, u) {
      th(theta);
      lam(lambda);
      const w = readVector(u, 'u', { length: D });
      const out = new Float64Array(d);
      for (let m = 0; m < M; m++) for (let j = 0; j < D; j++) out[m * D + j] = -o.gamma * w[j];
      return out;
    },
    innerMinimizer(lambda) {
      const l = lam(lambda);
      const out = new Float64Array(d);
      train.forEach((task, m) => {
        out.set(adapt(task, factors[m], l), m * D);
      });
      return out;
    },
    objective(lambda) {
      return queryLoss(train, problem.innerMinimizer(lambda));
    },
    hypergradient(lambda) {
      const l = lam(lambda);
      const star = problem.innerMinimizer(l);
      const gv = Float64Array.from(problem.outerGradient(star, l));
      const out = new Float64Array(D);
      train.forEach((_, m) => {
        const z = choleskySolve(factors[m], gv.subarray(m * D, (m + 1) * D));
        for (let j = 0; j < D; j++) out[j] += o.gamma * z[j];
      });
      return out;
    },
    metaTestLoss(lambda, count, seed) {
      const l = lam(lambda);
      const n = option.integer({ min: 1, max: 100000, required: true }).read(count, 'count');
      const r = new Rng(option.seed().read(seed, 'seed'));
      const tasks = Array.from({ length: n }, (_, m) => drawTask(r.fold('test-task', m)));
      const theta = new Float64Array(n * D);
      tasks.forEach((t, m) => {
        theta.set(adapt(t, gram(t), l), m * D);
      });
      return queryLoss(tasks, theta);
    },
  };
  return problem;
}
