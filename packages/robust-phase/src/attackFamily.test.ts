/**
 * The headline entry point against the structured attack family (issue 16): identical and
 * clustered spike rows, orthogonal to, aligned with or oblique to the signal, with responses
 * consistent with the signal or with a decoy, alone or mixed with response outliers, plus the
 * classic attacks; η from 1% to 10%, n ∈ {16, 32}, seeds swept (each attack meets both sizes and
 * two contamination levels). robustPhaseRetrieval must never do worse than the best method of the
 * package on the same data:
 * - noiseless: relErr ≤ max(1.1·best, best + 1e-6) (every method that succeeds reaches ~1e-9);
 * - Student-t(4.5) noise of scale 0.1: relErr ≤ 1.25·best (the oracle best over seven methods is
 *   itself a noisy minimum; measured worst ratio 1.10 at n = 32).
 */
import { ConvergenceError } from '@descent/tensor';
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
} from './index';

const FAMILY = attackFamily();
const ETAS = [0.01, 0.03, 0.05, 0.1];

/** relErr of a baseline; a baseline that throws (diverges) counts as failed (relErr ∞). */
function errorOf(solve: () => SolveResult, x: Float64Array): number {
  try {
    return relativeError(solve().x, x);
  } catch (e) {
    if (e instanceof ConvergenceError) return Number.POSITIVE_INFINITY;
    throw e;
  }
}

interface Case {
  attack: AttackSpec;
  n: number;
  eta: number;
  seed: number;
}

function problemOf(c: Case, noise?: { kind: 'student'; scale: number }): PhaseProblem {
  const clean = makeGaussianProblem({ n: c.n, seed: c.seed, noise });
  return contaminate(clean, { eta: c.eta, kind: c.attack.kind, spike: c.attack.spike, seed: c.seed });
}

/** Headline and every method of the package on one problem; robust WF's error is read from the
 * headline's candidates, which are robustWF's own runs (checked bit for bit below). */
function compare(p: PhaseProblem, eta: number) {
  const x = p.x;
  const head = robustPhaseRetrieval(p.A, p.y, { eta, xTrue: x });
  const robustCandidates = head.candidates.filter((c) => c.method.startsWith('robust-wf'));
  const errors: Record<string, number> = {
    wf: errorOf(() => wirtingerFlow(p.A, p.y), x),
    twf: errorOf(() => truncatedWF(p.A, p.y), x),
    rwf: errorOf(() => reshapedWF(p.A, p.y), x),
    'median-twf': errorOf(() => medianTWF(p.A, p.y), x),
    'median-rwf': errorOf(() => medianRWF(p.A, p.y), x),
    'robust-wf': Math.min(...robustCandidates.map((c) => c.relErr ?? Number.POSITIVE_INFINITY)),
  };
  const best = Math.min(...Object.values(errors));
  return { headline: relativeError(head.x, x), best, errors, head };
}

describe('robustPhaseRetrieval never loses to the package’s own methods (noiseless, 58 cases)', () => {
  const cases: Case[] = [];
  FAMILY.forEach((attack, a) => {
    for (const seed of [1, 2]) {
      cases.push({ attack, seed, n: [16, 32][(a + seed) % 2], eta: ETAS[(a + 2 * seed) % 4] });
    }
  });
  it.each(cases.map((c) => [`${c.attack.name} η=${c.eta} n=${c.n} seed ${c.seed}`, c] as const))(
    '%s',
    (_name, c) => {
      const p = problemOf(c);
      const { headline, best, errors } = compare(p, c.eta);
      if (!(headline <= Math.max(1.1 * best, best + 1e-6))) {
        throw new Error(`headline ${headline} vs best ${best}: ${JSON.stringify(errors)}`);
      }
      expect(headline).toBeLessThan(1e-6);
    },
  );
});

describe('robustPhaseRetrieval under Student-t(4.5) noise (scale 0.1) and the attack family (n = 32)', () => {
  const cases: Case[] = FAMILY.map((attack, a) => ({ attack, seed: 3, n: 32, eta: ETAS[a % 4] }));
  it('is within 1.25× the best method of the package on every attack', () => {
    const ratios = cases.map((c) => {
      const { headline, best } = compare(problemOf(c, { kind: 'student', scale: 0.1 }), c.eta);
      return { name: `${c.attack.name} η=${c.eta}`, ratio: headline / best };
    });
    const worst = ratios.reduce((w, r) => (r.ratio > w.ratio ? r : w));
    expect(worst.ratio).toBeLessThanOrEqual(1.25);
  });
});

describe("noise of unknown mean (log-normal · 0.5) and the attack family: noise: 'unknown' (n = 32)", () => {
  // every fourth attack, η rotating; "best" over every method of the package, the zero-mean
  // pipeline included (all are biased by the noise offset; the unknown-noise polish fits it)
  const cases: Case[] = FAMILY.filter((_, a) => a % 4 === 0).map((attack, a) => ({
    attack,
    seed: 5,
    n: 32,
    eta: ETAS[a % 4],
  }));
  it('the unknown-noise pipeline is within 1.25× the best method of the package on every attack', () => {
    for (const c of cases) {
      const clean = makeGaussianProblem({ n: c.n, seed: c.seed, noise: { kind: 'lognormal', scale: 0.5 } });
      const p = contaminate(clean, { eta: c.eta, kind: c.attack.kind, spike: c.attack.spike, seed: c.seed });
      const zeroMean = compare(p, c.eta);
      const best = Math.min(zeroMean.best, zeroMean.headline);
      const unknown = relativeError(robustPhaseRetrieval(p.A, p.y, { eta: c.eta, noise: 'unknown' }).x, p.x);
      if (!(unknown <= 1.25 * best)) throw new Error(`${c.attack.name}: unknown ${unknown} vs best ${best}`);
    }
  });
});

describe('the headline runs robustWF itself', () => {
  it("its robust candidates are robustWF's runs, bit for bit (same starts, same seed)", () => {
    const c: Case = { attack: FAMILY[0], n: 16, eta: 0.05, seed: 4 };
    const p = problemOf(c);
    const own = robustWF(p.A, p.y, { eta: c.eta, seed: 4 });
    const head = robustPhaseRetrieval(p.A, p.y, { eta: c.eta, seed: 4 });
    const mine = (own.candidates ?? []).map((k) => Array.from(k.x));
    const theirs = head.candidates
      .filter((k) => k.method.startsWith('robust-wf'))
      .map((k) => Array.from(k.x));
    expect(theirs).toEqual(mine);
  });
});

describe("the issue's covariate attack (identical orthogonal spike, decoy responses, with response outliers)", () => {
  const spike = FAMILY.find((f) => f.name === 'spike/orthogonal/identical/decoy+R') as AttackSpec;
  it.each([0.08, 0.1])(
    'η = %s, n = 64: no exception at the default or the true η, x recovered to 1e-6 on seeds 1–2',
    (eta) => {
      for (const seed of [1, 2]) {
        const p = problemOf({ attack: spike, n: 64, eta, seed });
        for (const e of [undefined, eta]) {
          const r = robustPhaseRetrieval(p.A, p.y, { eta: e, seed });
          expect(relativeError(r.x, p.x)).toBeLessThan(1e-6);
          // a diverging start is dropped and listed, never fatal
          for (const k of r.candidates) if (k.stopReason === 'diverged') expect(k.objective).toBe(Infinity);
        }
      }
    },
  );
});
