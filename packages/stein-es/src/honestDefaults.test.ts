/**
 * Issue 16 (d): `sample`'s defaults give particles whose within-mode spread matches the target,
 * measured on a FAMILY of mixtures (dimension 2–10, 2–5 modes, separations, widths 0.25–1,
 * unequal widths and weights: `mixtureFamily()`), not on one bench target; and the SV-CMA-ES
 * option `driving: 'kernel-averaged'` converges. Calibration (seed 1, n = 100, 100 000
 * evaluations; README "Honest sampler defaults"): default spread 0.85–1.03 on the seven mixtures
 * in d ≤ 5 (0.62 in 10-D, where SVGD itself under-disperses), SV-CMA-ES with the author's demo
 * settings 0.92–2.84; the thresholds below leave about 2× that seed-to-seed margin.
 */
import { Rng, mmd2, rbf } from '@descent/tensor';
import { sample } from './sample';
import { SVCMAES } from './svCmaEs';
import { type GaussianMixtureTarget, mixtureFamily, modeDiagnostics } from './targets';
import { weightedMmd2 } from './weightedMmd';

const family = mixtureFamily();
const lowDim = family.filter((t) => t.dim <= 5);

async function run(t: GaussianMixtureTarget, method: 'sv-openai' | 'sv-cma') {
  return sample((xs) => xs.map((x) => t.negLogP(x)), { method, init: t.initBox, maxEvals: 100_000, seed: 1 });
}

/** MMD² at the mixture's own width scale (sensitive to the within-mode spread), and the iid floor. */
function scorer(t: GaussianMixtureTarget) {
  const truth = t.sample(600, new Rng('truth').fold(t.name));
  const k = rbf({ bandwidth: [...t.stds].sort((a, b) => a - b)[t.stds.length >> 1] });
  let floor = 0;
  for (let r = 0; r < 3; r++) floor += mmd2(t.sample(100, new Rng('floor').fold(t.name, r)), truth, k) / 3;
  return { truth, k, floor };
}

describe('issue 16 (d): honest sampler defaults across a mixture family', () => {
  it.each(lowDim.map((t) => [t.name, t] as const))(
    '%s: default spread within 20%% of the target, weighted MMD² within 2× the iid floor',
    async (_, t) => {
      const r = await run(t, 'sv-openai');
      const { spread } = modeDiagnostics(t, r.particles);
      expect(spread).toBeGreaterThan(0.8);
      expect(spread).toBeLessThan(1.2);
      const { truth, k, floor } = scorer(t);
      expect(weightedMmd2(r.particles, truth, k, { weightsX: r.weights })).toBeLessThan(2 * floor);
      expect(r.evaluations).toBeLessThanOrEqual(100_000);
    },
  );

  it('SV-CMA-ES with the demo settings (the paper\'s algorithm, now method: "sv-cma") over-disperses where the default does not', async () => {
    for (const name of ['mix3-2d-s0.5', 'mix5-3d-s0.25']) {
      const t = family.find((m) => m.name === name) as GaussianMixtureTarget;
      const cma = modeDiagnostics(t, (await run(t, 'sv-cma')).particles).spread;
      const def = modeDiagnostics(t, (await run(t, 'sv-openai')).particles).spread;
      expect(cma).toBeGreaterThan(1.5); // measured 2.13 and 2.84
      expect(Math.abs(Math.log(def))).toBeLessThan(Math.abs(Math.log(cma)));
    }
  });

  it('10-D: the default is no further from the target spread than SV-CMA-ES (both under-disperse: SVGD with n = 100 in 10-D)', async () => {
    const t = family.find((m) => m.dim === 10) as GaussianMixtureTarget;
    const def = modeDiagnostics(t, (await run(t, 'sv-openai')).particles).spread;
    const cma = modeDiagnostics(t, (await run(t, 'sv-cma')).particles).spread;
    expect(Math.abs(Math.log(def))).toBeLessThanOrEqual(Math.abs(Math.log(cma)));
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
