/**
 * Bench experiment `robust-phase-attacks` (issue 16): the headline `robustPhaseRetrieval` against
 * every method of the package on the structured attack family of `attackFamily()` (identical and
 * clustered spike rows, orthogonal / aligned / oblique, consistent or decoy responses, with and
 * without response outliers, plus the classic attacks), η from 1% to 10%, noiseless and under
 * Student-t(4.5) noise; and the convergence of WF (float32 and float64 products) and robust WF.
 */
import {
  type BenchContext,
  type BenchRecord,
  ConvergenceError,
  type Experiment,
  selectRecords,
} from '@descent/tensor';
import {
  type AttackSpec,
  type PhaseProblem,
  type SolveResult,
  attackFamily,
  contaminate,
  makeGaussianProblem,
  medianRWF,
  medianTWF,
  relativeError,
  reshapedWF,
  robustPhaseRetrieval,
  robustWF,
  truncatedWF,
  wirtingerFlow,
} from '../src/index';

/** relErr recorded for a method that threw (diverged) or exceeded it. */
const FAIL_CAP = 10;

const BASELINES: Record<string, (p: PhaseProblem, eta: number, seed: number) => SolveResult> = {
  wf: (p, _e, seed) => wirtingerFlow(p.A, p.y, { seed }),
  twf: (p, _e, seed) => truncatedWF(p.A, p.y, { seed }),
  rwf: (p, _e, seed) => reshapedWF(p.A, p.y, { seed }),
  'median-twf': (p, _e, seed) => medianTWF(p.A, p.y, { seed }),
  'median-rwf': (p, _e, seed) => medianRWF(p.A, p.y, { seed }),
};

function attempt<R extends SolveResult>(solve: () => R): { r: R | null; threw: boolean } {
  try {
    return { r: solve(), threw: false };
  } catch (e) {
    if (e instanceof ConvergenceError) return { r: null, threw: true };
    throw e;
  }
}

interface Profile {
  attacks: AttackSpec[];
  etas: number[];
  ns: number[];
  noises: Array<'none' | 'student'>;
  convergenceN: { wf: number[]; robust: number[] };
}

function profileOf(quick: boolean): Profile {
  const family = attackFamily();
  return quick
    ? {
        // every third attack of the family, two contamination levels, noiseless
        attacks: family.filter((_, i) => i % 3 === 0),
        etas: [0.03, 0.1],
        ns: [32],
        noises: ['none'],
        convergenceN: { wf: [128, 256], robust: [64] },
      }
    : {
        attacks: family,
        etas: [0.01, 0.02, 0.05, 0.1],
        ns: [32, 64],
        noises: ['none', 'student'],
        convergenceN: { wf: [128, 256, 512], robust: [64, 128] },
      };
}

function run(ctx: BenchContext): BenchRecord[] {
  const P = profileOf(ctx.profile === 'quick');
  const out: BenchRecord[] = [];
  const seed = ctx.seed;
  const total = P.noises.length * P.ns.length * P.etas.length * P.attacks.length + 1;
  let done = 0;
  for (const noise of P.noises) {
    for (const n of P.ns) {
      const clean = makeGaussianProblem({
        n,
        seed,
        noise: noise === 'student' ? { kind: 'student', scale: 0.1 } : undefined,
      });
      for (const eta of P.etas) {
        for (const attack of P.attacks) {
          const p = contaminate(clean, { eta, kind: attack.kind, spike: attack.spike, seed });
          const params = { attack: attack.name, eta, n, noise };
          const errs: Record<string, number> = {};
          for (const [method, solve] of Object.entries(BASELINES)) {
            const a = attempt(() => solve(p, eta, seed));
            errs[method] = a.r ? Math.min(relativeError(a.r.x, p.x), FAIL_CAP) : FAIL_CAP;
          }
          const h = attempt(() => robustPhaseRetrieval(p.A, p.y, { eta, seed, xTrue: p.x }));
          const head = h.r ? Math.min(relativeError(h.r.x, p.x), FAIL_CAP) : FAIL_CAP;
          if (h.r) {
            out.push({ method: 'headline', metric: 'time', value: h.r.timeMs, params, unit: 'ms' });
            // robust WF alone = the headline's robust-WF candidates, chosen as robustWF chooses (by
            // the robust objective): the same runs bit for bit (tested), not run twice
            const own = h.r.candidates
              .filter((c) => c.method.startsWith('robust-wf') && c.stopReason !== 'diverged')
              .sort((a, b) => a.objective - b.objective)[0];
            errs['robust-wf[trimmed]'] = own ? Math.min(relativeError(own.x, p.x), FAIL_CAP) : FAIL_CAP;
            const steps = h.r.candidates.filter((c) => c.method.startsWith('robust-wf')).map((c) => c.steps);
            out.push({ method: 'robust-wf[trimmed]', metric: 'steps', value: Math.max(...steps), params });
          } else errs['robust-wf[trimmed]'] = FAIL_CAP;
          const best = Math.min(...Object.values(errs));
          for (const [method, e] of Object.entries(errs))
            out.push({ method, metric: 'relErr', value: e, params });
          out.push({ method: 'headline', metric: 'relErr', value: head, params });
          out.push({ method: 'best baseline', metric: 'relErr', value: best, params });
          out.push({
            method: 'headline',
            metric: 'ratio_to_best',
            value: head / Math.max(best, 1e-300),
            params,
          });
          const lost = noise === 'none' ? head > Math.max(1.1 * best, best + 1e-6) : head > 1.25 * best;
          out.push({ method: 'headline', metric: 'lost_to_best', value: lost ? 1 : 0, params });
          out.push({ method: 'headline', metric: 'threw', value: h.threw ? 1 : 0, params });
          ctx.progress(++done / total, `${noise} n=${n} η=${eta} ${attack.name}`);
        }
      }
    }
  }
  // convergence: WF with float32 (the default from m·n = 131072) and float64 products, robust WF
  for (const n of P.convergenceN.wf) {
    const p = makeGaussianProblem({ n, seed: seed + 100 });
    for (const products of ['float32-simd', 'float64-simd'] as const) {
      const r = wirtingerFlow(p.A, p.y, { products });
      const params = { n, products };
      out.push({ method: 'wf', metric: 'steps', value: r.steps, params });
      out.push({ method: 'wf', metric: 'converged', value: r.converged ? 1 : 0, params });
      out.push({ method: 'wf', metric: 'relErr', value: relativeError(r.x, p.x), params });
    }
  }
  for (const n of P.convergenceN.robust) {
    const p = makeGaussianProblem({ n, seed: seed + 200 });
    const r = robustWF(p.A, p.y, { seed });
    const params = { n, products: 'auto' };
    out.push({ method: 'robust-wf[trimmed]', metric: 'steps', value: r.steps, params });
    out.push({ method: 'robust-wf[trimmed]', metric: 'converged', value: r.converged ? 1 : 0, params });
    out.push({ method: 'robust-wf[trimmed]', metric: 'relErr', value: relativeError(r.x, p.x), params });
    out.push({ method: 'robust-wf[trimmed]', metric: 'time', value: r.timeMs, params, unit: 'ms' });
  }
  ctx.progress(1, 'convergence');
  return out;
}

function verdict(records: BenchRecord[]): string {
  const sel = (method: string, metric: string) => selectRecords(records, { method, metric });
  const lost = sel('headline', 'lost_to_best');
  const nLost = lost.filter((r) => r.value > 0).length;
  const threw = sel('headline', 'threw').filter((r) => r.value > 0).length;
  const ratios = sel('headline', 'ratio_to_best').map((r) => r.value);
  const worst = Math.max(...ratios);
  const robustFails = sel('robust-wf[trimmed]', 'relErr').filter(
    (r) => r.params?.noise === 'none' && r.value > 1e-3,
  ).length;
  const mrwfFails = sel('median-rwf', 'relErr').filter(
    (r) => r.params?.noise === 'none' && r.value > 1e-3,
  ).length;
  const noiseless = sel('headline', 'relErr').filter((r) => r.params?.noise === 'none');
  const wfConv = sel('wf', 'converged');
  const ok = nLost === 0 && threw === 0;
  return `${ok ? 'PASS' : 'FAIL'} headline lost to the best method in ${nLost} of ${lost.length} cases (worst ratio ${worst.toFixed(2)}), threw in ${threw}; noiseless: headline max relErr ${Math.max(...noiseless.map((r) => r.value)).toExponential(1)}, robust WF alone failed (> 1e-3) in ${robustFails} and median-RWF in ${mrwfFails} of ${noiseless.length}; WF converged ${wfConv.filter((r) => r.value > 0).length}/${wfConv.length} (float32 and float64)`;
}

/** The attack-family experiment. */
export const attackFamilyExperiment: Experiment = {
  name: 'robust-phase-attacks',
  paper:
    'Buna & Rebeschini 2024, Robust Gradient Descent for Phase Retrieval, arXiv:2410.10623 (AISTATS 2025); issue 16',
  claim:
    'The headline robustPhaseRetrieval never does worse than the best method of the package on the same data, across structured covariate attacks (identical and clustered spike rows, orthogonal/aligned/oblique, consistent or decoy responses, mixed with response outliers) for η from 1% to 10%; WF and robust WF report convergence in float32 and float64.',
  seeds: { quick: 1, full: 2 },
  plots: [{ metric: 'relErr', x: 'eta', logY: true, title: 'relErr vs η (median over attacks and seeds)' }],
  run,
  verdict,
};
