/**
 * `bilevel-mlp-meta-sinusoid`: few-shot sinusoid regression as META-LEARNING of a tanh MLP prior
 * (`mlpMetaPrior`: iMAML's proximal inner loss, paper notes §3.2 item 4) — every hypergradient
 * estimator meta-learns the prior mean θ₀ through one `bilevelTrain` loop on fresh seeded
 * meta-batches; scored by the meta-test query MSE on fresh tasks after K-shot adaptation from the
 * learned prior, against adaptation from the random init (no meta-training), from a zero prior, and
 * from the first-order (FOMAML-style) meta-gradient's prior.
 * @module
 */
import { type BenchContext, type BenchRecord, type Experiment, adam, recordMedian } from '@descent/tensor';
import { ready } from '@descent/tensor/tf';
import { bilevelTrain } from '../src/bilevelTrain';
import type { HypergradientEstimator } from '../src/estimator';
import { iftCG, iftNeumann } from '../src/ift';
import { dartsFirstOrder, ignoreHypergradient, t1t2 } from '../src/oneStep';
import { sgldCovariance } from '../src/sgldCovariance';
import { sgldFirstOrder } from '../src/sgldFirstOrder';
import { unrolledReverse } from '../src/unrolled';
import { mlpMetaPrior } from '../src/tf/mlpMetaPrior';

const PAPER = 'Kim & Hospedales 2025 (AAAI-25), arXiv:2410.10417 (recursion reconstructed); iMAML (Rajeswaran et al. 2019) proximal inner loss';

/** Labels of the reference rows (no meta-training). */
const RANDOM_INIT = 'random init (no meta-training)';
const ZERO_PRIOR = 'zero prior';
const FIRST_ORDER = 'first order (FOMAML-style)';

/** The settings of one profile. */
function metaSettings(full: boolean) {
  return {
    /** tasks per meta-batch M */
    metaBatch: 4,
    /** inner (and meta-test adaptation) gradient steps T, or SGLD samples per chain */
    innerSteps: 5,
    outerSteps: full ? 60 : 20,
    /** fresh meta-test tasks */
    testTasks: full ? 32 : 12,
    /** SGLD chains */
    chains: 1,
    /** also meta-learn one log precision per tensor (SGLD adjoint B) */
    precisionRow: full,
    /** SGLD temperature τ (on L_T = Σ ½ r² + proximal term) */
    temperature: 1e-3,
    /** outer Adam learning rate on θ₀ */
    outerLearningRate: 0.01,
  };
}

const metaSinusoid: Experiment = {
  name: 'bilevel-mlp-meta-sinusoid',
  paper: PAPER,
  claim:
    'Few-shot sinusoid regression (K = 10 shots, a ∈ [0.1, 5], φ ∈ [0, π]) as meta-learning of a tanh MLP 1-40-40-1 prior mean with the iMAML proximal inner loss (γ = 1), fresh seeded meta-batches every outer step: meta-test query MSE on fresh tasks after T = 5 adaptation steps from the prior meta-learned by the SGLD hypergradients (B, C) and the deterministic ones (IFT-CG, IFT-Neumann, full RMD = MAML through T steps, T1-T2), against adaptation from the random init, from a zero prior, and from the first-order meta-gradient.',
  seeds: { quick: 1, full: 5 },
  async run(ctx: BenchContext): Promise<BenchRecord[]> {
    await ready();
    const s = metaSettings(ctx.profile === 'full');
    const problem = mlpMetaPrior({ metaBatch: s.metaBatch, shots: 10, queries: 10, seed: ctx.seed });
    // the same tasks with λ = [θ₀; log γ per tensor] (γ from 1)
    const withPrecision = s.precisionRow
      ? mlpMetaPrior({ metaBatch: s.metaBatch, shots: 10, queries: 10, seed: ctx.seed, learnPrecision: true })
      : undefined;
    const records: BenchRecord[] = [];
    const push = (method: string, metric: string, value: number, unit?: string) => records.push({ method, metric, value, unit });
    try {
      const lambda0 = problem.initialLambda({ seed: ctx.seed });
      // inner step 1/λmax, λmax at the prior and after a cautious adaptation (it grows as the tasks are fitted)
      const l0 = problem.innerLmax(lambda0);
      const adapted = ignoreHypergradient({ innerSteps: 30, innerLearningRate: 0.25 / l0 }).estimate(problem, lambda0).states[0];
      const eta = 1 / Math.max(l0, problem.innerLmax(lambda0, adapted));
      const T = s.innerSteps;
      const inner = { innerSteps: T, innerLearningRate: eta };
      const test = { tasks: s.testTasks, seed: `meta-test-${ctx.seed}`, steps: T, learningRate: eta };
      const reference = problem.metaTestLoss(lambda0, test);
      push(RANDOM_INIT, 'meta-test MSE', reference);
      push(RANDOM_INIT, 'meta-test MSE / random init', 1);
      const zero = problem.metaTestLoss(problem.initialLambda({ prior: 'zero' }), test);
      push(ZERO_PRIOR, 'meta-test MSE', zero);
      push(ZERO_PRIOR, 'meta-test MSE / random init', zero / reference);
      // SGLD: T burn-in steps (the adaptation; B's adjoint runs along them) + 2 kept samples per chain
      const sg = { learningRate: eta, temperature: s.temperature, burnIn: T, samples: 2, chains: s.chains };
      const methods: Array<[string, HypergradientEstimator, boolean?]> = [
        [FIRST_ORDER, dartsFirstOrder(inner)],
        ['IFT CG, K = 5', iftCG({ ...inner, maxIter: 5 })],
        ['IFT Neumann, K = 10', iftNeumann({ ...inner, terms: 10 })],
        [`RMD through T = ${T} (MAML)`, unrolledReverse(inner)],
        ['truncated RMD, K = 2', unrolledReverse({ ...inner, truncate: 2 })],
        ['T1-T2', t1t2(inner)],
        [`SGLD adjoint (B), τ = ${s.temperature}`, sgldFirstOrder(sg)],
        [`SGLD covariance (C), τ = ${s.temperature}`, sgldCovariance(sg)],
      ];
      if (withPrecision) methods.push([`SGLD adjoint (B) + per-tensor log precision, τ = ${s.temperature}`, sgldFirstOrder(sg), true]);
      for (const [k, [label, estimator, precision]] of methods.entries()) {
        ctx.progress(k / methods.length, label);
        const P = precision && withPrecision ? withPrecision : problem;
        P.setMetaBatch(0);
        const t0 = performance.now();
        let lambda: Float64Array;
        let last = Number.NaN;
        try {
          const r = bilevelTrain(P, {
            estimator,
            lambda0: P.initialLambda({ seed: ctx.seed }),
            logSpace: false,
            warmStart: false, // fresh tasks every outer step: every inner run starts at the prior (δ = 0)
            maxSteps: s.outerSteps,
            optimizer: adam({ learningRate: s.outerLearningRate }),
            seed: ctx.seed,
            onStep: ({ step }) => P.setMetaBatch(step + 1),
          });
          lambda = r.lambda;
          const tail = r.history.slice(-10).map((h) => h.outerValue);
          last = tail.reduce((a, b) => a + b, 0) / tail.length;
        } catch (e) {
          ctx.log(`${label}: ${(e as Error).message}`);
          push(label, 'diverged', 1);
          continue;
        }
        const ms = (performance.now() - t0) / s.outerSteps;
        const mse = P.metaTestLoss(lambda, test);
        if (precision) push(label, 'mean log10 precision', lambda.slice(P.priorDim).reduce((a, v) => a + v, 0) / (lambda.length - P.priorDim) / Math.LN10);
        push(label, 'meta-test MSE', mse);
        push(label, 'meta-test MSE / random init', mse / reference);
        push(label, 'meta-train query MSE (last 10 batches)', last);
        push(label, 'ms per outer step', ms, 'ms');
      }
      push('setup', 'd0 (weights per model)', problem.priorDim);
      push('setup', 'inner step η', eta);
    } finally {
      problem.dispose();
      withPrecision?.dispose();
    }
    return records;
  },
  verdict(records: BenchRecord[]): string {
    const labels = [...new Set(records.map((r) => r.method))].filter((l) => l !== 'setup');
    const med = (l: string) => recordMedian(records, { method: l, metric: 'meta-test MSE / random init' }) ?? Number.NaN;
    const text = labels.map((l) => `${l} ${med(l).toFixed(3)}`).join('; ');
    const b = labels.find((l) => l.startsWith('SGLD adjoint'));
    const bm = b === undefined ? Number.NaN : med(b);
    const fo = med(FIRST_ORDER);
    const zero = med(ZERO_PRIOR);
    const learned = bm < 1 && bm < zero;
    return `${learned ? 'PASS' : 'FAIL'}: meta-test MSE relative to the random init (median over seeds): ${text}; the SGLD adjoint (B) prior ${learned ? 'beats' : 'does not beat'} the random init and the zero prior, and is ${bm <= fo ? 'at least as good as' : 'worse than'} the first-order meta-gradient (${fo.toFixed(3)})`;
  },
};

/** The meta-learning experiment. */
export const mlpMetaExperiments: Experiment[] = [metaSinusoid];
