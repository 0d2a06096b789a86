/**
 * The tensor-path experiments (`@descent/bilevel-sgld/tf` on `@descent/nn`): hyperparameters of
 * MLPs tuned by every hypergradient estimator through one `bilevelTrain` loop, several seeds.
 *
 * - `bilevel-mlp-sinusoid-decay`: a few-shot sinusoid regressor (K = 10 noisy shots of
 *   y = a·sin(x − φ), a ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5]; the paper notes §3.2 item 4 task
 *   family) as a tanh MLP 1-40-40-1 with one log weight decay per tensor (p = 6), tuned on 10
 *   validation shots, scored on 100 test points; baseline grid search over one scalar decay with the
 *   same inner budget.
 * - `bilevel-mlp-hyper-cleaning`: hyper-cleaning (Franceschi et al. 2017) of a ReLU MLP 64-32-10 on
 *   the sklearn digits with 50% of the training labels corrupted, per-example weights σ(λᵢ).
 *
 * Every estimate's tensor peak (tf.profile's peak minus the bytes alive before the call, as lezo's
 * `measureStep`) and its float64 state (by construction) are recorded per method.
 * @module
 */
import { type BenchContext, type BenchRecord, type Experiment, adam, recordMedian } from '@descent/tensor';
import { ready } from '@descent/tensor/tf';
import { bilevelTrain } from '../src/bilevelTrain';
import type { HypergradientEstimator } from '../src/estimator';
import { iftCG, iftNeumann } from '../src/ift';
import { ignoreHypergradient, t1t2 } from '../src/oneStep';
import { sgldCovariance } from '../src/sgldCovariance';
import { sgldFirstOrder } from '../src/sgldFirstOrder';
import { unrolledReverse } from '../src/unrolled';
import type { StepSize } from '../src/stepSize';
import { sinusoidDecayTask } from '../src/tf/sinusoidDecayTask';
import { atFixedLambda, cleaningTask, tensorPeak } from './mlpTasks';

const PAPER = 'Kim & Hospedales 2025 (AAAI-25), arXiv:2410.10417 (recursion reconstructed)';

interface Method {
  label: string;
  est: HypergradientEstimator;
  /** float64 bytes the estimator keeps per estimate beyond θ (by construction: d, T·d, …). */
  stateBytes: number;
}

/** The methods shared by both experiments (same inner budget T per outer step). */
function methods(eta: StepSize, T: number, d: number, tau: number, chains: number): Method[] {
  const inner = { innerSteps: T, innerLearningRate: eta };
  const sg = { learningRate: eta, temperature: tau, burnIn: 0, samples: T, chains };
  return [
    { label: 'ignore (λ fixed)', est: ignoreHypergradient(inner), stateBytes: 0 },
    { label: 'IFT CG, K = 10', est: iftCG({ ...inner, maxIter: 10 }), stateBytes: 8 * 4 * d },
    { label: 'IFT Neumann, K = 20', est: iftNeumann({ ...inner, terms: 20 }), stateBytes: 8 * 3 * d },
    { label: 'truncated RMD, K = 5', est: unrolledReverse({ ...inner, truncate: 5 }), stateBytes: 8 * (T + 2) * d },
    { label: 'T1-T2', est: t1t2(inner), stateBytes: 8 * 2 * d },
    { label: `SGLD adjoint (B), τ = ${tau.toExponential(0)}`, est: sgldFirstOrder(sg), stateBytes: 8 * 3 * d * chains },
    { label: `SGLD covariance (C), τ = ${tau.toExponential(0)}`, est: sgldCovariance(sg), stateBytes: 8 * 2 * d * chains },
  ];
}

const sinusoid: Experiment = {
  name: 'bilevel-mlp-sinusoid-decay',
  paper: PAPER,
  claim:
    'Per-tensor weight-decay tuning of a tanh MLP 1-40-40-1 few-shot sinusoid regressor (10 support shots with noise 0.3·a, 10 validation shots, 100 test points; p = 6 log decays) by the SGLD hypergradients (B, C) and the deterministic baselines (IFT-CG, IFT-Neumann, truncated RMD, T1-T2) through one outer loop, against grid search over one scalar decay with the same inner budget: test MSE relative to the grid.',
  seeds: { quick: 1, full: 5 },
  async run(ctx: BenchContext): Promise<BenchRecord[]> {
    await ready();
    const full = ctx.profile === 'full';
    const task = sinusoidDecayTask({ rng: ctx.rng.fold('task'), initSeed: ctx.seed });
    const { problem, hyperDim: p } = task;
    const d = problem.dim;
    const lambda0 = new Float64Array(p).fill(Math.log(1e-3));
    // the inner step of every method and of the grid: the curvature rule (η = 1/L̂ at the current λ,
    // at most 0.5), so growing decays cannot make it unstable (a fixed 1/λmax(λ0) diverged on seed 2)
    const eta: StepSize = { type: 'curvature', scale: 1, maxStep: 0.5, warmIterations: 3 };
    const T = 10;
    const outerSteps = full ? 25 : 12;
    // a shared warm start: GD at λ0 (the same for every method)
    const theta0 = atFixedLambda(problem, lambda0, task.theta0, full ? 60 : 40, 10, eta);
    const refit = (lambda: Float64Array, from: Float64Array) => atFixedLambda(problem, lambda, from, 10, 10, eta);
    const mse = (theta: Float64Array, split: 'val' | 'test') => task.mse(theta, split);
    const records: BenchRecord[] = [];
    const push = (method: string, metric: string, value: number, unit?: string) => records.push({ method, metric, value, unit });
    // grid search over one scalar log decay, same inner budget (outerSteps·T GD steps) + refit
    let best = { val: Number.POSITIVE_INFINITY, test: Number.NaN, decay: Number.NaN };
    const gridT0 = performance.now();
    const grid = full ? [-6, -5, -4, -3, -2, -1, 0] : [-6, -4, -2, 0];
    for (const g of grid) {
      const l = new Float64Array(p).fill(g * Math.LN10);
      const theta = refit(l, atFixedLambda(problem, l, theta0, outerSteps, T, eta));
      const val = mse(theta, 'val');
      if (val < best.val) best = { val, test: mse(theta, 'test'), decay: g };
    }
    push('grid search (scalar decay)', 'test MSE', best.test);
    push('grid search (scalar decay)', 'test MSE / grid', 1);
    push('grid search (scalar decay)', 'validation MSE', best.val);
    push('grid search (scalar decay)', 'ms per outer step', (performance.now() - gridT0) / outerSteps, 'ms');
    const list = methods(eta, T, d, 1e-4, 2);
    for (const [k, { label, est, stateBytes }] of list.entries()) {
      ctx.progress(k / list.length, label);
      const t0 = performance.now();
      const r = bilevelTrain(problem, {
        estimator: est,
        lambda0,
        theta0,
        logSpace: false,
        maxSteps: outerSteps,
        optimizer: adam({ learningRate: 0.3 }),
        seed: ctx.seed,
      });
      const ms = (performance.now() - t0) / outerSteps;
      const theta = refit(r.lambda, r.states[0]);
      const test = mse(theta, 'test');
      push(label, 'test MSE', test);
      push(label, 'test MSE / grid', test / best.test);
      push(label, 'validation MSE', mse(theta, 'val'));
      const steps = r.history.map((h) => h.learningRate ?? Number.NaN);
      push(label, 'inner step η, first outer step', steps[0]);
      push(label, 'inner step η, last outer step', steps[steps.length - 1]);
      push(label, 'mean log10 decay', r.lambda.reduce((s, v) => s + v, 0) / p / Math.LN10);
      push(label, 'ms per outer step', ms, 'ms');
      push(label, 'tensor peak bytes per estimate', await tensorPeak(() => est.estimate(problem, r.lambda, { theta0: theta })), 'B');
      push(label, 'float64 state bytes', stateBytes, 'B');
    }
    task.dispose();
    push('setup', 'd (weights)', d);
    return records;
  },
  verdict(records: BenchRecord[]): string {
    const labels = [...new Set(records.map((r) => r.method))].filter((l) => l !== 'setup');
    const med = (l: string) => recordMedian(records, { method: l, metric: 'test MSE / grid' }) ?? Number.NaN;
    const rows = labels.map((l) => ({ l, m: med(l) }));
    const b = rows.find((r) => r.l.startsWith('SGLD adjoint'));
    const det = rows.filter((r) => !r.l.startsWith('SGLD') && !r.l.startsWith('grid') && !r.l.startsWith('ignore'));
    const bestDet = Math.min(...det.map((r) => r.m));
    const text = rows.map((r) => `${r.l} ${r.m.toFixed(2)}`).join('; ');
    return `INFO: median test MSE relative to grid search over one scalar decay: ${text}; SGLD adjoint (B) ${b !== undefined && b.m <= bestDet ? 'matches or beats' : 'is worse than'} the best deterministic baseline (${bestDet.toFixed(2)})`;
  },
};

const cleaningMlp: Experiment = {
  name: 'bilevel-mlp-hyper-cleaning',
  paper: PAPER,
  claim:
    'Hyper-cleaning of a ReLU MLP 64-32-10 on the sklearn digits (300 training digits, 50% of the labels corrupted; 100 clean validation digits): per-example weights σ(λᵢ) tuned by the SGLD and deterministic hypergradients through one outer loop; test accuracy, corrupted-label detection F1 (σ(λᵢ) < ½), time and tensor peak per estimate.',
  seeds: { quick: 1, full: 5 },
  async run(ctx: BenchContext): Promise<BenchRecord[]> {
    await ready();
    const full = ctx.profile === 'full';
    const nTrain = 300;
    const task = await cleaningTask(ctx.seed, nTrain, 32);
    const problem = task.problem;
    const d = problem.dim;
    const zero = new Float64Array(nTrain);
    // the curvature rule (η = 1/L̂ at the current θ, λ; at most 1): the ReLU net's curvature grows as it fits
    const eta: StepSize = { type: 'curvature', scale: 1, maxStep: 1, warmIterations: 3 };
    const theta0 = atFixedLambda(problem, zero, task.initial, full ? 30 : 15, 10, eta);
    const T = 10;
    const outerSteps = full ? 25 : 10;
    const records: BenchRecord[] = [];
    const push = (method: string, metric: string, value: number, unit?: string) => records.push({ method, metric, value, unit });
    const list = methods(eta, T, d, 1 / nTrain, 2);
    for (const [i, { label, est, stateBytes }] of list.entries()) {
      ctx.progress(i / list.length, label);
      const t0 = performance.now();
      const r = bilevelTrain(problem, {
        estimator: est,
        lambda0: zero,
        theta0,
        logSpace: false,
        maxSteps: outerSteps,
        optimizer: adam({ learningRate: 0.1 }),
        seed: ctx.seed,
      });
      const ms = (performance.now() - t0) / outerSteps;
      const theta = atFixedLambda(problem, r.lambda, r.states[0], 10, 10, eta);
      const acc = task.testAccuracy(theta);
      push(label, 'test accuracy', acc);
      push(label, 'corruption F1', task.corruptionF1(r.lambda));
      push(label, 'validation loss', problem.outerValue(theta, r.lambda));
      push(label, 'ms per outer step', ms, 'ms');
      push(label, 'tensor peak bytes per estimate', await tensorPeak(() => est.estimate(problem, r.lambda, { theta0: theta })), 'B');
      push(label, 'float64 state bytes', stateBytes, 'B');
    }
    task.dispose();
    push('setup', 'd (weights)', d);
    return records;
  },
  verdict(records: BenchRecord[]): string {
    const labels = [...new Set(records.map((r) => r.method))].filter((l) => l !== 'setup');
    const get = (l: string, metric: string) => recordMedian(records, { method: l, metric }) ?? Number.NaN;
    const text = labels.map((l) => `${l} acc ${get(l, 'test accuracy').toFixed(3)} F1 ${get(l, 'corruption F1').toFixed(2)}`).join('; ');
    return `INFO: ${text}`;
  },
};

/** The tensor-path experiments. */
export const nnExperiments: Experiment[] = [sinusoid, cleaningMlp];
