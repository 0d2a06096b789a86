/**
 * `bilevel-batched-chains`: K SGLD chains in lockstep with a batched gradient oracle (one tape
 * over the K nn trees and one read-back; one gemm for ridge) against the same chains with one
 * oracle call per chain, interleaved in one run: ms per estimate and tensor peak per estimate.
 * @module
 */
import { type BenchContext, type BenchRecord, type Experiment, median, recordMedian } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { disposeTree, meanSquaredError, mlp } from '@descent/nn';
import type { HypergradientEstimator } from '../src/estimator';
import type { BilevelProblem } from '../src/problem';
import { ridgeData, ridgeProblem } from '../src/ridge';
import { sgldCovariance } from '../src/sgldCovariance';
import { sgldFirstOrder } from '../src/sgldFirstOrder';
import { nnBilevelProblem, treeWeightDecay, weightDecayDim } from '../src/tf/nnProblem';
import { tensorPeak } from './mlpTasks';

const PAPER = 'Kim & Hospedales 2025 (AAAI-25), arXiv:2410.10417 (recursion reconstructed)';

/** The problem without its batched oracle (one `innerGradient` call per chain and step). */
const unbatched = (p: BilevelProblem): BilevelProblem => ({ ...p, innerGradients: undefined });

export const batchedChains: Experiment = {
  name: 'bilevel-batched-chains',
  paper: PAPER,
  claim:
    'K SGLD chains as one batched computation per step (nn: one tape over the K parameter trees and one read-back; ridge: one K×d·d×d gemm) vs one oracle call per chain: time and tensor peak per estimate, same estimates (covariance C and adjoint B).',
  seeds: { quick: 1, full: 3 },
  async run(ctx: BenchContext): Promise<BenchRecord[]> {
    await ready();
    const full = ctx.profile === 'full';
    const records: BenchRecord[] = [];
    const reps = full ? 5 : 2;
    // nn: tanh MLP 1-40-40-1 on 10 points, per-tensor log decays
    const model = mlp({ sizes: [1, 40, 40, 1], activation: 'tanh' });
    const r = ctx.rng.fold('data');
    const xs = Float32Array.from({ length: 10 }, () => r.uniformIn(-1, 1));
    const X = tf.tensor2d(xs, [10, 1]);
    const Y = tf.tensor2d(xs.map((v) => Math.sin(3 * v)), [10, 1]);
    const params = model.init(ctx.seed);
    const nn = nnBilevelProblem({
      params,
      hyperDim: weightDecayDim(params, 'tensor'),
      batchChains: true,
      innerLoss: (q, l) => tf.add(meanSquaredError(model.apply(q, X), Y), treeWeightDecay(q, l)),
      outerLoss: (q) => meanSquaredError(model.apply(q, X), Y),
    });
    const theta0 = nn.fromTree(params);
    disposeTree(params);
    const ridge = ridgeProblem(ridgeData({ dim: 50, nTrain: 100, nVal: 100, seed: ctx.seed }), { batchChains: true });
    const ridgeLambda = new Float64Array(50).fill(1);
    const cases: { label: string; problem: BilevelProblem; lambda: Float64Array; theta0?: Float64Array; eta: number; chains: number }[] = [
      { label: 'nn MLP 1-40-40-1', problem: nn, lambda: new Float64Array(nn.hyperDim).fill(-6), theta0, eta: 0.05, chains: 8 },
      { label: 'ridge d = 50', problem: ridge, lambda: ridgeLambda, theta0: ridge.innerMinimizer(ridgeLambda), eta: 0.002, chains: 16 },
    ];
    for (const c of cases) {
      const chain = { learningRate: c.eta, temperature: 1e-3, burnIn: 0, samples: full ? 50 : 10, chains: c.chains, seed: ctx.seed };
      // the tensor peak is one step's transient: measured on a 2-sample estimate (tf.profile keeps
      // a record per kernel)
      const ests: [string, HypergradientEstimator, HypergradientEstimator][] = [
        ['covariance (C)', sgldCovariance(chain), sgldCovariance({ ...chain, samples: 2 })],
        ['adjoint (B)', sgldFirstOrder(chain), sgldFirstOrder({ ...chain, samples: 2 })],
      ];
      for (const [name, est, short] of ests) {
        const times: Record<'batched' | 'per chain', number[]> = { batched: [], 'per chain': [] };
        for (let k = 0; k < reps; k++) {
          for (const mode of ['batched', 'per chain'] as const) {
            const problem = mode === 'batched' ? c.problem : unbatched(c.problem);
            const t0 = performance.now();
            est.estimate(problem, c.lambda, { theta0: c.theta0 });
            times[mode].push(performance.now() - t0);
          }
        }
        const a = est.estimate(c.problem, c.lambda, { theta0: c.theta0 }).hypergradient;
        const b = est.estimate(unbatched(c.problem), c.lambda, { theta0: c.theta0 }).hypergradient;
        let rel = 0;
        let scale = 0;
        for (let j = 0; j < a.length; j++) {
          rel = Math.max(rel, Math.abs(a[j] - b[j]));
          scale = Math.max(scale, Math.abs(b[j]));
        }
        const params = { problem: c.label, K: c.chains };
        const mb = median(times.batched);
        const mp = median(times['per chain']);
        records.push({ method: `${name}, batched`, metric: 'ms per estimate', value: mb, unit: 'ms', params });
        records.push({ method: `${name}, per chain`, metric: 'ms per estimate', value: mp, unit: 'ms', params });
        records.push({ method: `${name}`, metric: 'speed-up (per chain ÷ batched)', value: mp / mb, params });
        records.push({ method: `${name}`, metric: 'max |Δ hypergradient| / max |g|', value: rel / scale, params });
        if (c.problem === nn) {
          records.push({ method: `${name}, batched`, metric: 'tensor peak bytes per estimate', value: await tensorPeak(() => short.estimate(c.problem, c.lambda, { theta0: c.theta0 })), unit: 'B', params });
          records.push({ method: `${name}, per chain`, metric: 'tensor peak bytes per estimate', value: await tensorPeak(() => short.estimate(unbatched(c.problem), c.lambda, { theta0: c.theta0 })), unit: 'B', params });
        }
      }
    }
    tf.dispose([X, Y]);
    return records;
  },
  verdict(records: BenchRecord[]): string {
    const parts: string[] = [];
    for (const problem of ['nn MLP 1-40-40-1', 'ridge d = 50']) {
      for (const name of ['covariance (C)', 'adjoint (B)']) {
        const s = recordMedian(records, { method: name, metric: 'speed-up (per chain ÷ batched)', params: { problem } }) ?? Number.NaN;
        parts.push(`${problem} ${name} ${s.toFixed(2)}×`);
      }
    }
    return `INFO: speed-up of lockstep chains with a batched gradient oracle (per-chain ms ÷ batched ms, same run, interleaved): ${parts.join('; ')}`;
  },
};
