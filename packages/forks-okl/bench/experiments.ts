/**
 * The bench experiment of @descent/forks-okl: FORKS against its baselines (notes §6.3).
 * @module
 */
import { type BenchContext, type BenchRecord, type Experiment, Matrix, medianHeuristic } from '@descent/tensor';
import {
  Bogd,
  BpaS,
  Fogd,
  Forks,
  KernelOgd,
  KernelPegasos,
  type KernelSpec,
  Nogd,
  type OnlineBinaryLearner,
  Ons,
  Projectron,
  ProsNKons,
  Rbp,
  SkeGd,
  type Stream,
  adversarialBlocks,
  codRnaLike,
  evaluateOnline,
  paperUpdateCycle,
  permuteStream,
  rbfBlobs,
  recsysLike,
  standardize,
} from '../src/index';
import { loadDataset } from '../src/node';

/** Learner names in table order. */
export const learnerNames = [
  'FORKS',
  'FORKS-fullSVD',
  'SkeGD',
  'PROS-N-KONS',
  'NOGD',
  'FOGD',
  'BOGD',
  'Projectron',
  'BPA-S',
  'RBP',
  'KernelOGD',
  'KernelPegasos',
  'ONS-linear',
] as const;
type LearnerName = (typeof learnerNames)[number];

const UNBUDGETED: LearnerName[] = ['KernelOGD', 'KernelPegasos'];

/** Builds one learner with the shared settings (one kernel width per dataset for every method). */
export function makeLearner(name: LearnerName, kernel: KernelSpec, budget: number, N: number, seed: number, updateCycle = paperUpdateCycle(N, budget)): OnlineBinaryLearner {
  switch (name) {
    case 'FORKS':
      return new Forks({ kernel, budget, updateCycle, seed });
    case 'FORKS-fullSVD':
      return new Forks({ kernel, budget, updateCycle, seed, decomposition: 'full' });
    case 'SkeGD':
      return new SkeGd({ kernel, budget, updateCycle, seed });
    case 'PROS-N-KONS':
      return new ProsNKons({ kernel, budget, seed });
    case 'NOGD':
      return new Nogd({ kernel, budget });
    case 'FOGD':
      return new Fogd({ kernel, numFrequencies: Math.ceil(budget / 2), seed });
    case 'BOGD':
      return new Bogd({ kernel, budget, lambda: 1 / (N * N), seed });
    case 'Projectron':
      return new Projectron({ kernel, budget });
    case 'BPA-S':
      return new BpaS({ kernel, budget });
    case 'RBP':
      return new Rbp({ kernel, budget, seed });
    case 'KernelOGD':
      return new KernelOgd({ kernel });
    case 'KernelPegasos':
      return new KernelPegasos({ kernel, lambda: 1 / N });
    case 'ONS-linear':
      return new Ons();
  }
}

/** σ = median pairwise distance of the first 200 rows (the same width for every method). */
export function kernelFor(s: Stream): KernelSpec {
  const m = Math.min(200, s.X.length);
  const sigma = medianHeuristic(Matrix.from(s.X.slice(0, m)), { variant: 'median' });
  return { type: 'gaussian', sigma };
}

interface DatasetSpec {
  name: string;
  budget: number;
  unbudgeted: boolean;
  /**
   * ρ as the reference drivers set it: ⌊0.005(N − B)⌋ on the adversarial stream
   * (ad_experiment.cpp), ⌊0.3N⌋ on the fixed-budget comparison (OL_experiment.cpp), used here for
   * every non-adversarial stream (on short streams 0.005(N − B) restarts FORKS every few margin
   * errors; see the README's ρ table).
   */
  adversarial?: boolean;
  make(seed: number): Stream;
}

function datasets(profile: 'quick' | 'full'): DatasetSpec[] {
  const quick = profile === 'quick';
  const german = standardize(loadDataset('german'));
  const list: DatasetSpec[] = [
    { name: 'german-adversarial', budget: 100, unbudgeted: !quick, adversarial: true, make: (seed) => adversarialBlocks(german, { blocks: 500, repeats: 10, seed }) },
    { name: 'breast-cancer', budget: 50, unbudgeted: true, make: (seed) => permuteStream(standardize(loadDataset('breast-cancer')), seed) },
    { name: 'cod-rna-like', budget: quick ? 100 : 200, unbudgeted: false, make: (seed) => standardize(codRnaLike(quick ? 2000 : 20000, seed)) },
    { name: 'rbf-drift', budget: 100, unbudgeted: false, make: (seed) => rbfBlobs({ n: quick ? 2000 : 10000, dim: 4, driftEvery: quick ? 700 : 2500, noise: 0.02, seed }) },
    { name: 'recsys-like', budget: 100, unbudgeted: false, make: (seed) => recsysLike({ n: quick ? 1200 : 10000, seed }) },
  ];
  if (!quick) {
    list.push(
      { name: 'digits-odd-even', budget: 100, unbudgeted: true, make: (seed) => permuteStream(standardize(loadDataset('digits-odd-even')), seed) },
      { name: 'mnist-3-vs-8', budget: 100, unbudgeted: true, make: (seed) => permuteStream(standardize(loadDataset('mnist-3-vs-8')), seed) },
    );
  }
  return list;
}

/** Least-squares slope of log(y) on log(x). */
export function logLogSlope(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  return s.length ? s[Math.floor(s.length / 2)] : Number.NaN;
}

function accuracyPart(ctx: BenchContext, out: BenchRecord[], from: number, to: number): void {
  const specs = datasets(ctx.profile);
  specs.forEach((spec, di) => {
    const s = spec.make(ctx.seed);
    const kernel = kernelFor(s);
    // quick profile: the full-SVD ablation runs only in the TISVD part (it costs a fresh SVD per sketch update)
    const names = learnerNames.filter((n) => (spec.unbudgeted || !UNBUDGETED.includes(n)) && (ctx.profile === 'full' || n !== 'FORKS-fullSVD'));
    names.forEach((name, li) => {
      ctx.progress(from + ((to - from) * (di + li / names.length)) / specs.length, `${spec.name}: ${name}`);
      const N = s.X.length;
      const rho = spec.adversarial ? paperUpdateCycle(N, spec.budget) : Math.floor(0.3 * N);
      const learner = makeLearner(name, kernel, spec.budget, N, ctx.seed, rho);
      const ev = evaluateOnline(learner, s, { recordEvery: Math.max(1, Math.floor(s.X.length / 10)) });
      const params = { dataset: spec.name };
      out.push({ method: name, metric: 'mistakeRate', value: ev.mistakeRate, params });
      out.push({ method: name, metric: 'mistakeRateAfterWarmup', value: ev.mistakeRateAfterWarmup, params });
      out.push({ method: name, metric: 'timeMs', value: ev.timeMs, params, unit: 'ms' });
      if (spec.name === 'german-adversarial') {
        for (const p of ev.history) out.push({ method: name, metric: 'adversarialWindowMistakeRate', value: p.windowMistakeRate, params: { round: p.round } });
      }
    });
  });
}

function scalingPart(ctx: BenchContext, out: BenchRecord[], from: number, to: number): void {
  const quick = ctx.profile === 'quick';
  const budgets = quick ? [50, 100, 200, 400] : [50, 100, 200, 400, 800];
  const extra = quick ? 800 : 4000;
  budgets.forEach((B, bi) => {
    const s = standardize(codRnaLike(B * 4 + extra, ctx.seed + 1000 * bi));
    const kernel = kernelFor(s);
    // SkeGD's full SVD per sketch update makes B = 400 too slow for the quick profile
    const methods = quick && B > 200 ? (['FORKS', 'PROS-N-KONS'] as const) : (['FORKS', 'SkeGD', 'PROS-N-KONS'] as const);
    for (const m of methods) {
      ctx.progress(from + ((to - from) * bi) / budgets.length, `scaling B=${B}: ${m}`);
      // ρ = 0.05(N − B) (10× the paper's 0.005): the median per-round time measures ordinary
      // rounds; fewer sketch updates keep the run short without changing that median
      const updateCycle = paperUpdateCycle(s.X.length, B, 0.05);
      // k fixed at 10 so that the per-round cost isolates the dependence on B (s_p = 0.75B, s_m = 0.15B)
      const learner =
        m === 'FORKS'
          ? new Forks({ kernel, budget: B, rank: 10, updateCycle, seed: ctx.seed })
          : m === 'SkeGD'
            ? new SkeGd({ kernel, budget: B, rank: 10, updateCycle, seed: ctx.seed })
            : new ProsNKons({ kernel, budget: B, gamma: 0.01, seed: ctx.seed });
      const ev = evaluateOnline(learner, s, { recordEvery: s.X.length });
      // steady state: rounds after the warm-up, or (PROS-N-KONS) after the dictionary stopped growing
      const steady = ev.roundUs.subarray(Math.floor(s.X.length * 0.75));
      const params = { B };
      out.push({ method: m, metric: 'roundUs', value: median(steady), params, unit: 'µs' });
      out.push({ method: m, metric: 'meanRoundUs', value: ev.meanRoundUs, params, unit: 'µs' });
      if (learner instanceof ProsNKons) out.push({ method: m, metric: 'dictionarySize', value: learner.size, params });
      if (B === 200 && m === 'FORKS') out.push({ method: m, metric: 'roundsPerSecondAtB200', value: (1e6 * s.X.length) / (ev.timeMs * 1000) });
    }
  });
}

function tisvdPart(ctx: BenchContext, out: BenchRecord[], from: number, to: number): void {
  const quick = ctx.profile === 'quick';
  const N = quick ? 2000 : 20000;
  const cs = quick ? [0.05, 0.01, 0.004] : [0.5, 0.3, 0.1, 0.05, 0.01, 0.005, 0.001, 0.0005];
  // OL_ISVD.cpp settings (full profile): B = 200, s_p = 150, s_m = 100, k = 15; quick: halved
  const sizes = quick ? { budget: 100, sketchSize: 75, sampleSize: 50, rank: 10 } : { budget: 200, sketchSize: 150, sampleSize: 100, rank: 15 };
  const s = standardize(codRnaLike(N, ctx.seed + 7));
  const kernel = kernelFor(s);
  cs.forEach((c, ci) => {
    const rho = Math.max(1, Math.floor(c * N));
    const variants = [
      ['FORKS (TISVD)', 'tisvd', 'pinv'],
      ['FORKS (full SVD)', 'full', 'pinv'],
      ['FORKS (TISVD, Cholesky Q)', 'tisvd', 'cholesky'],
    ] as const;
    for (const [method, decomposition, projectionSolver] of variants) {
      ctx.progress(from + ((to - from) * ci) / cs.length, `TISVD ablation c=${c}: ${method}`);
      const f = new Forks({ kernel, ...sizes, updateCycle: rho, seed: ctx.seed, decomposition, projectionSolver });
      const ev = evaluateOnline(f, s, { recordEvery: N, timeRounds: false });
      out.push({ method, metric: 'ablationTimeMs', value: ev.timeMs, params: { c }, unit: 'ms' });
      out.push({ method, metric: 'ablationMistakeRate', value: ev.mistakeRate, params: { c } });
      out.push({ method, metric: 'sketchUpdates', value: f.sketchUpdateCount, params: { c } });
    }
  });
}

function meanOf(records: BenchRecord[], method: string, metric: string, filter: (r: BenchRecord) => boolean = () => true): number {
  const v = records.filter((r) => r.method === method && r.metric === metric && filter(r)).map((r) => r.value);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
}

/** The verdict: slope of per-round time in B (FORKS ≈ 1, PROS-N-KONS ≥ 2) and adversarial robustness. */
export function verdict(records: BenchRecord[]): string {
  // The log-log slope of the median per-round time in B: over B ≥ 100 (at B = 50 constant
  // overhead dominates) and over the two largest budgets (closest to the asymptotic exponent,
  // which the claim is about; this one decides).
  const slopes = (m: string) => {
    const Bs = [...new Set(records.filter((r) => r.method === m && r.metric === 'roundUs').map((r) => r.params?.B as number))].filter((B) => B >= 100).sort((a, b) => a - b);
    const ys = Bs.map((B) => median(records.filter((r) => r.method === m && r.metric === 'roundUs' && r.params?.B === B).map((r) => r.value)));
    return { all: logLogSlope(Bs, ys), top: logLogSlope(Bs.slice(-2), ys.slice(-2)), range: `${Bs[Bs.length - 2]}→${Bs[Bs.length - 1]}` };
  };
  const F = slopes('FORKS');
  const P = slopes('PROS-N-KONS');
  const adv = (m: string) => meanOf(records, m, 'mistakeRate', (r) => r.params?.dataset === 'german-adversarial');
  const f = adv('FORKS');
  const others = ['SkeGD', 'NOGD', 'PROS-N-KONS'].map((m) => [m, adv(m)] as const);
  const bestOther = Math.min(...others.map(([, v]) => v));
  const rps = meanOf(records, 'FORKS', 'roundsPerSecondAtB200');
  const linear = F.top <= 1.3;
  const quadratic = P.top >= 1.7;
  const robust = f < bestOther;
  const tag = linear && quadratic && robust ? 'PASS' : 'FAIL';
  return `${tag} per-round time log-log slope in B over ${F.range} (all B ≥ 100): FORKS ${F.top.toFixed(2)} (${F.all.toFixed(2)}) (claim ≈ 1, need ≤ 1.3), PROS-N-KONS ${P.top.toFixed(2)} (${P.all.toFixed(2)}) (claim ≥ 2, need ≥ 1.7); german-adversarial mistake rate FORKS ${f.toFixed(3)} vs ${others.map(([m, v]) => `${m} ${v.toFixed(3)}`).join(', ')}; FORKS ${rps.toFixed(0)} rounds/s at B = 200`;
}

/** The experiments `apps/bench` runs for this package. */
export const experiments: Experiment[] = [
  {
    name: 'forks-okl',
    paper: 'Wen, Zhang, Wei, Hou, Li, Zhang 2025, arXiv:2410.11188 (IJCAI 2025)',
    claim:
      'FORKS keeps second-order accuracy with per-round time linear in the budget (PROS-N-KONS: at least quadratic), TISVD is cheaper than a full SVD, and FORKS is robust on adversarial streams.',
    seeds: { quick: 2, full: 10 },
    plots: [
      { metric: 'roundUs', x: 'B', logX: true, logY: true, title: 'median per-round time vs budget B' },
      { metric: 'ablationTimeMs', x: 'c', logX: true, logY: true, title: 'TISVD vs full SVD: total time vs update cycle ρ = c·N' },
      { metric: 'adversarialWindowMistakeRate', x: 'round', title: 'german-adversarial: mistake rate per window of 500 rounds' },
    ],
    run(ctx) {
      const out: BenchRecord[] = [];
      accuracyPart(ctx, out, 0, 0.6);
      scalingPart(ctx, out, 0.6, 0.85);
      tisvdPart(ctx, out, 0.85, 1);
      ctx.progress(1, 'done');
      return out;
    },
    verdict,
  },
];
