import { Rng, mmd2, rbf } from '@descent/tensor';
import { ready } from '@descent/tensor/tf';
import { CMAES } from './cmaEs';
import { rbfRepulsion } from './kernel';
import { rbfRepulsionTensor } from './tf';
import { rosenbrock } from './objectives';
import { SVCMAES } from './svCmaEs';
import { gmm4Target } from './targets';

function runSV(es: SVCMAES, f: (x: Float64Array) => number, generations: number): void {
  for (let g = 0; g < generations; g++) {
    const xs = es.ask();
    es.tell(xs, xs.map(f));
  }
}

describe('SV-CMA-ES structure (notes 5.2.4)', () => {
  const means0 = [
    [0.5, -1, 2],
    [-1, 0.3, 0.2],
    [2, 2, -2],
  ];

  it('α = 0 gives exactly P independent CMA-ES runs (same RNG streams, bit-for-bit)', () => {
    const sv = new SVCMAES({ means0, popSize: 6, sigma0: 0.3, alpha: 0, seed: 4 });
    const singles = means0.map(
      (m, i) =>
        new CMAES({
          mean0: m,
          sigma0: 0.3,
          popSize: 6,
          rng: new Rng(4).fold('population', i),
        }),
    );
    for (let g = 0; g < 30; g++) {
      const xs = sv.ask();
      sv.tell(xs, xs.map(rosenbrock));
      singles.forEach((es, i) => {
        const xi = es.ask();
        expect(xi).toEqual(xs.slice(i * 6, i * 6 + 6));
        es.tell(xi, xi.map(rosenbrock));
      });
    }
    singles.forEach((es, i) => {
      expect(Array.from(sv.populations[i].mean)).toEqual(Array.from(es.mean));
      expect(sv.populations[i].sigma).toBe(es.sigma);
      expect(Array.from(sv.populations[i].C)).toEqual(Array.from(es.state.C));
    });
  });

  it('P = 1 equals CMAES with default options and the same seed (any α: the only repulsion term is j = i, which is zero)', () => {
    // one set of CMA defaults (preset, λ, μ, c_m, σ clip) for both classes: nothing to align by hand
    const sv = new SVCMAES({ means0: [[0, 0, 0]], sigma0: 0.5, alpha: 3, seed: 8 });
    const es = new CMAES({ mean0: [0, 0, 0], sigma0: 0.5, seed: 8 });
    expect(sv.popSize).toBe(es.popSize);
    for (let g = 0; g < 40; g++) {
      const a = sv.ask();
      const b = es.ask();
      expect(a).toEqual(b);
      sv.tell(a, a.map(rosenbrock));
      es.tell(b, b.map(rosenbrock));
    }
    expect(Array.from(sv.means[0])).toEqual(Array.from(es.mean));
    expect(sv.sigmas[0]).toBe(es.sigma);
  });

  it('the repulsion sums to zero over particles, so it never moves the centroid', () => {
    const rng = new Rng(1);
    const pts = Array.from({ length: 25 }, () => rng.normalArray(3, 0, 1.5));
    const r = rbfRepulsion(pts, 0.8);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      let a = 0;
      for (const v of r) {
        s += v[c];
        a += Math.abs(v[c]);
      }
      expect(Math.abs(s)).toBeLessThan(1e-14 * Math.max(1, a));
    }
  });

  it('the float32 tensor repulsion agrees with the float64 one', async () => {
    await ready();
    const rng = new Rng(3);
    const pts = Array.from({ length: 30 }, () => rng.normalArray(4));
    const a = rbfRepulsion(pts, 1.3);
    const b = rbfRepulsionTensor(pts, 1.3);
    for (let i = 0; i < 30; i++)
      for (let c = 0; c < 4; c++) expect(Math.abs(a[i][c] - b[i][c])).toBeLessThan(1e-5);
  });

  it('a 2-particle pure-repulsion step is symmetric with magnitude α·k(r)·r/(P·h²)', () => {
    // Make the CMA step vanish: f constant ⇒ ranks by index; use cMean·σ·Δ → compare with α = 0.
    const means = [
      [0, 0],
      [0.6, 0.8],
    ];
    const h = 0.9;
    const alpha = 2;
    const f = (x: Float64Array) => x[0] * 0 + 1;
    const a = new SVCMAES({
      means0: means,
      popSize: 4,
      sigma0: 0.2,
      alpha,
      kernel: { type: 'rbf', bandwidth: h },
      seed: 2,
    });
    const b = new SVCMAES({
      means0: means,
      popSize: 4,
      sigma0: 0.2,
      alpha: 0,
      kernel: { type: 'rbf', bandwidth: h },
      seed: 2,
    });
    runSV(a, f, 1);
    runSV(b, f, 1);
    const dist = 1;
    const k = Math.exp(-(dist * dist) / (2 * h * h));
    const mag = (alpha * k * dist) / (2 * h * h);
    const d0 = [a.means[0][0] - b.means[0][0], a.means[0][1] - b.means[0][1]];
    const d1 = [a.means[1][0] - b.means[1][0], a.means[1][1] - b.means[1][1]];
    // particle 0 is pushed along (m0 − m1) = −(0.6, 0.8), particle 1 the opposite way
    expect(d0[0]).toBeCloseTo(-0.6 * mag, 12);
    expect(d0[1]).toBeCloseTo(-0.8 * mag, 12);
    expect(d1[0]).toBeCloseTo(0.6 * mag, 12);
    expect(d1[1]).toBeCloseTo(0.8 * mag, 12);
  });

  it("the repulsion enters p_σ and therefore σ (the coupling of the author's code)", () => {
    const means = [
      [0, 0],
      [0.1, 0],
    ];
    const f = (x: Float64Array) => x[0] * 0 + 1;
    const a = new SVCMAES({ means0: means, popSize: 4, sigma0: 0.01, alpha: 1, seed: 2 });
    const b = new SVCMAES({ means0: means, popSize: 4, sigma0: 0.01, alpha: 0, seed: 2 });
    runSV(a, f, 1);
    runSV(b, f, 1);
    expect(a.sigmas[0]).toBeGreaterThan(b.sigmas[0]);
  });

  it("driving 'kernel-averaged' with a flat kernel moves every mean by the average CMA displacement", () => {
    const base = { means0, popSize: 6, sigma0: 0.3, alpha: 0, seed: 4 };
    const own = new SVCMAES(base);
    const avg = new SVCMAES({ ...base, driving: 'kernel-averaged', kernel: { type: 'rbf', bandwidth: 1e8 } });
    runSV(own, rosenbrock, 1);
    runSV(avg, rosenbrock, 1);
    const disp = own.means.map((m, i) => m.map((v, c) => v - means0[i][c]));
    for (let i = 0; i < 3; i++) {
      for (let c = 0; c < 3; c++) {
        const mean = (disp[0][c] + disp[1][c] + disp[2][c]) / 3;
        expect(avg.means[i][c] - means0[i][c]).toBeCloseTo(mean, 12);
      }
    }
  });

  it('repulsionInPaths: false moves the mean by the repulsion but keeps σ and C of the α = 0 run', () => {
    const base = { means0, popSize: 6, sigma0: 0.3, kernel: { type: 'rbf' as const, bandwidth: 2 }, seed: 4 };
    const free = new SVCMAES({ ...base, alpha: 0 });
    const rep = new SVCMAES({ ...base, alpha: 2, repulsionInPaths: false });
    const r = rbfRepulsion(
      means0.map((m) => Float64Array.from(m)),
      2,
    );
    runSV(free, rosenbrock, 1);
    runSV(rep, rosenbrock, 1);
    for (let i = 0; i < 3; i++) {
      expect(rep.sigmas[i]).toBe(free.sigmas[i]);
      expect(Array.from(rep.populations[i].C)).toEqual(Array.from(free.populations[i].C));
      for (let c = 0; c < 3; c++) expect(rep.means[i][c] - free.means[i][c]).toBeCloseTo(2 * r[i][c], 12);
    }
  });

  it('toJSON/fromJSON resumes bit-for-bit', () => {
    const a = new SVCMAES({
      means0: { lower: -2, upper: 2, count: 5, dim: 2 },
      popSize: 4,
      sigma0: 0.3,
      seed: 12,
    });
    runSV(a, rosenbrock, 3);
    const b = SVCMAES.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (let g = 0; g < 10; g++) {
      const xa = a.ask();
      const xb = b.ask();
      expect(xb).toEqual(xa);
      a.tell(xa, xa.map(rosenbrock));
      b.tell(xb, xb.map(rosenbrock));
    }
    expect(b.means).toEqual(a.means);
  });
});

/**
 * The author's demo settings (notes section 2.1): P = 100, λ = 4, σ₀ = 0.05, α = 1, b = 0.5
 * (h = √0.5), init uniform in [−6, 6]², clip to [−8, 8], 1000 generations; MMD² (biased, ℓ = 1)
 * against 1000 exact samples; iid floor = MMD² of 100 exact samples (mean of 5 draws).
 * The float32 tensor repulsion is used to keep this suite fast under jest (it agrees with the
 * float64 one to float32 precision, tested above); the bench runs the float64 default.
 */
function demoRun(weights: number[] | undefined, seed: number) {
  const target = gmm4Target(2, weights ? { weights } : {});
  const rng = new Rng(seed);
  const truth = target.sample(1000, rng.fold('truth'));
  const k = rbf({ bandwidth: 1 });
  let floor = 0;
  for (let r = 0; r < 5; r++) floor += mmd2(target.sample(100, rng.fold('floor', r)), truth, k) / 5;
  const make = (alpha: number) =>
    new SVCMAES({
      means0: { lower: -6, upper: 6, count: 100, dim: 2 },
      popSize: 4,
      sigma0: 0.05,
      alpha,
      kernel: { type: 'rbf', bandwidth: Math.sqrt(0.5) },
      bounds: { lower: -8, upper: 8 },
      kernelBackend: 'tensor',
      seed,
    });
  const sv = make(1);
  const free = make(0);
  runSV(sv, (x) => target.negLogP(x), 1000);
  runSV(free, (x) => target.negLogP(x), 1000);
  return {
    floor,
    sv: mmd2(sv.means, truth, k),
    free: mmd2(free.means, truth, k),
    evaluations: sv.evaluations,
  };
}

describe('SV-CMA-ES sampling on 4-mode mixtures (notes 5.2.5, demo settings)', () => {
  beforeAll(async () => {
    await ready();
  });

  it('equal weights (M4eq): MMD² ≤ 2× the iid floor and ≤ 0.25× the α = 0 value after 1000 generations', () => {
    const r = demoRun([1, 1, 1, 1], 7);
    expect(r.evaluations).toBe(400000);
    expect(r.sv).toBeLessThanOrEqual(2 * r.floor);
    expect(r.sv).toBeLessThanOrEqual(0.25 * r.free);
  });

  describe("weights (0.1, 0.2, 0.3, 0.4) (M4, the notes' fixed layout)", () => {
    let r: ReturnType<typeof demoRun>;
    beforeAll(() => {
      r = demoRun(undefined, 7);
    });

    it('MMD² ≤ 0.25× the α = 0 value', () => {
      expect(r.sv).toBeLessThanOrEqual(0.25 * r.free);
    });

    // With one CMA default set for CMAES and SVCMAES (pycma's constants, issue 11) this holds:
    // measured MMD²/floor over seeds 7-11: 1.85 / 1.93 / 1.90 / 1.31 / 1.42 (pycma constants) vs
    // 2.46 / 2.67 / 2.49 / 2.50 / 1.56 with the tutorial constants, where it failed. Rank-based
    // steps still carry no information on a mode's mass: the particles split nearly evenly by
    // quadrant (21/26/28/25 for weights 10/20/30/40 %), the remaining gap to the floor.
    it('MMD² ≤ 2× the iid floor', () => {
      expect(r.sv).toBeLessThanOrEqual(2 * r.floor);
    });
  });
});
