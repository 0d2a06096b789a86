/**
 * Issue 16 (d): `sample`'s defaults give particles whose within-mode spread matches the target,
 * measured on a FAMILY of mixtures (dimension 2–16, 2–5 modes, separations, widths 0.25–1,
 * unequal widths and weights: `mixtureFamily()`), not on one bench target; and the SV-CMA-ES
 * option `driving: 'kernel-averaged'` converges.
 * Calibration (n = 100, 100 000 evaluations, seeds 1–5; README "Honest sampler defaults"):
 * default spread 0.88–1.15 in 54 of the 55 (mixture, seed) runs (0.78 once: a narrow 8-D mode
 * that caught only 2 particles, whose spread two particles cannot show); with the author's fixed
 * h = 1 (the session-4 default) the d ≥ 8 mixtures reach only 0.62–0.83; SV-CMA-ES with the
 * author's demo settings 0.92–2.84 (seed 1). The tests run seed 1; the thresholds leave about
 * twice the seed-to-seed spread as margin.
 */
import { Rng, mmd2, rbf } from '@descent/tensor';
import { sample } from './sample';
import { SVCMAES } from './svCmaEs';
import { SVOpenAIES } from './svOpenAiEs';
import { type GaussianMixtureTarget, mixtureFamily, modeDiagnostics } from './targets';
import { weightedMmd2 } from './weightedMmd';

const family = mixtureFamily();
const byName = (name: string) => family.find((m) => m.name === name) as GaussianMixtureTarget;

/** 100 000 evaluations up to d = 10; from d = 12 on `sample`'s default 400 000 (at 100 000 the 16-D particles are still contracting from the initial box). */
const budget = (t: GaussianMixtureTarget) => (t.dim >= 12 ? 400_000 : 100_000);
const runs = new Map<string, Promise<Awaited<ReturnType<typeof sample>>>>();
/** One run per (target, arm), shared by the tests below; 'h=1' is the session-4 default (the author's h = 1, n = 100). */
function run(t: GaussianMixtureTarget, arm: 'sv-openai' | 'sv-cma' | 'h=1') {
  const key = `${t.name}|${arm}`;
  if (!runs.has(key))
    runs.set(
      key,
      sample((xs) => xs.map((x) => t.negLogP(x)), {
        method: arm === 'sv-cma' ? 'sv-cma' : 'sv-openai',
        ...(arm === 'h=1' ? { n: 100, strategy: { kernel: { type: 'rbf' as const, bandwidth: 1 } } } : {}),
        init: t.initBox,
        maxEvals: budget(t),
        seed: 1,
      }),
    );
  return runs.get(key) as Promise<Awaited<ReturnType<typeof sample>>>;
}

/** MMD² at the mixture's own width scale (sensitive to the within-mode spread), and the iid floor. */
function scorer(t: GaussianMixtureTarget) {
  const truth = t.sample(600, new Rng('truth').fold(t.name));
  const k = rbf({ bandwidth: [...t.stds].sort((a, b) => a - b)[t.stds.length >> 1] });
  let floor = 0;
  for (let r = 0; r < 3; r++) floor += mmd2(t.sample(100, new Rng('floor').fold(t.name, r)), truth, k) / 3;
  return { truth, k, floor };
}

describe('issue 16 (d): honest sampler defaults across a mixture family (d 2–16)', () => {
  it.each(family.map((t) => [t.name, t] as const))(
    '%s: default spread within 20%% of the target; MMD² near the iid floor (weighted for d ≤ 5, unweighted above)',
    async (_, t) => {
      const r = await run(t, 'sv-openai');
      const { spread } = modeDiagnostics(t, r.particles);
      expect(spread).toBeGreaterThan(0.8);
      expect(spread).toBeLessThan(1.2);
      const { truth, k, floor } = scorer(t);
      if (t.dim <= 5) expect(weightedMmd2(r.particles, truth, k, { weightsX: r.weights })).toBeLessThan(2 * floor);
      // d ≥ 8: the k-NN particle weights are unreliable there (README "What is weak"); the particles
      // themselves are judged: measured 0.88–1.75× the floor over seeds 1–5 (h = 1: 1.09–2.33×)
      else expect(mmd2(r.particles, truth, k)).toBeLessThan(3 * floor);
      expect(r.evaluations).toBeLessThanOrEqual(budget(t));
    },
  );

  it('the 10-D cause: with the fixed h = 1 and n = 100 of the author (session-4 default) the particles under-disperse from d = 8 on; h = √(d/2), n = max(100, ⌈12.5d⌉) do not', async () => {
    for (const name of ['mix2-10d-s1', 'mix2-16d-s1/0.5']) {
      const t = byName(name);
      const fixed = modeDiagnostics(t, (await run(t, 'h=1')).particles).spread;
      const scaled = modeDiagnostics(t, (await run(t, 'sv-openai')).particles).spread;
      expect(fixed).toBeLessThan(0.8); // measured over seeds 1–5: 0.62 (10-D), 0.66–0.83 (16-D); seed 1: 0.62, 0.74
      expect(scaled).toBeGreaterThan(0.85); // seed 1: 0.88, 0.99
      expect(scaled).toBeGreaterThan(fixed + 0.1);
    }
  });

  it("n = 100 with strategy.kernel h = 1 gives the author's original SV-OpenAI-ES (the session-4 default) bit for bit; at d = 2 the default is the same", async () => {
    const t = byName('mix2-10d-s1');
    const direct = new SVOpenAIES({
      means0: { ...t.initBox, count: 100 },
      popSize: 4,
      seed: 3,
      shaping: 'identity',
      optimizer: 'adam',
      sigma0: 0.03,
      kernel: { type: 'rbf', bandwidth: 1 },
    });
    for (let g = 0; g < 20; g++) {
      const xs = direct.ask();
      direct.tell(xs, xs.map((x) => t.negLogP(x)));
    }
    const f = (xs: Float64Array[]) => xs.map((x) => t.negLogP(x));
    const viaSample = await sample(f, { init: t.initBox, n: 100, maxEvals: 8000, weights: false, seed: 3, strategy: { kernel: { type: 'rbf', bandwidth: 1 } } });
    expect(viaSample.particles.map((x) => Array.from(x))).toEqual(direct.means.map((x) => Array.from(x)));
    const two = byName('mix3-2d-s0.5');
    const a = await sample((xs) => xs.map((x) => two.negLogP(x)), { init: two.initBox, maxEvals: 4000, weights: false, seed: 3 });
    const b = await sample((xs) => xs.map((x) => two.negLogP(x)), { init: two.initBox, maxEvals: 4000, weights: false, seed: 3, strategy: { kernel: { type: 'rbf', bandwidth: 1 } } });
    expect(a.particles).toEqual(b.particles);
  });

  it('SV-CMA-ES with the demo settings (the paper\'s algorithm, now method: "sv-cma") over-disperses where the default does not', async () => {
    for (const name of ['mix3-2d-s0.5', 'mix5-3d-s0.25']) {
      const t = byName(name);
      const cma = modeDiagnostics(t, (await run(t, 'sv-cma')).particles).spread;
      const def = modeDiagnostics(t, (await run(t, 'sv-openai')).particles).spread;
      expect(cma).toBeGreaterThan(1.5); // measured 2.13 and 2.84
      expect(Math.abs(Math.log(def))).toBeLessThan(Math.abs(Math.log(cma)));
    }
  });

  it("driving: 'kernel-averaged' converges (degree-normalised average; the 1/P average left the means where they started)", () => {
    // measured with the 1/P average: mix3-5d spread 4.1 at every budget (the means never moved),
    // mix4-2d MMD² 0.064 at 20k–400k; degree-normalised: spread 1.13, MMD² 0.0125
    for (const [name, maxMmd] of [['mix3-5d-s0.5', Infinity], ['mix4-2d-s1', 0.035]] as const) {
      const t = family.find((m) => m.name === name) as GaussianMixtureTarget;
      const es = new SVCMAES({
        means0: { ...t.initBox, count: 100 },
        popSize: 4,
        sigma0: 0.05,
        kernel: { type: 'rbf', bandwidth: Math.SQRT1_2 },
        driving: 'kernel-averaged',
        seed: 1,
      });
      const start = modeDiagnostics(t, es.means).spread;
      while (es.generation < 250) {
        const xs = es.ask();
        es.tell(xs, xs.map((x) => t.negLogP(x)));
      }
      const end = modeDiagnostics(t, es.means).spread;
      expect(end).toBeLessThan(2);
      expect(end).toBeLessThan(0.4 * start);
      const { truth } = scorer(t);
      expect(mmd2(es.means, truth, rbf({ bandwidth: 1 }))).toBeLessThan(maxMmd);
    }
  });
});
