import { countHimmelblauMinima, himmelblau, rosenbrock, sphere } from './objectives';
import { minimize } from './minimize';
import { sample } from './sample';
import { pointwise } from './evaluate';

describe('minimize (one-call helper)', () => {
  it('CMA-ES on 4-D Rosenbrock reaches 1e-10, counts evaluations and records the history', async () => {
    const r = await minimize((xs) => xs.map(rosenbrock), {
      x0: [0, 0, 0, 0],
      sigma0: 0.5,
      ftarget: 1e-10,
      seed: 1,
    });
    expect(r.f).toBeLessThanOrEqual(1e-10);
    expect(r.stopReason).toBe('ftarget');
    expect(r.evaluations).toBe(r.steps * 8);
    expect(r.history.length).toBe(r.steps);
    expect(r.history[r.history.length - 1].fBest).toBe(r.f);
    for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(1, 4);
  });

  it('accepts async batch objectives and honours the evaluation budget', async () => {
    const r = await minimize(async (xs) => xs.map(sphere), { x0: [3, 3], sigma0: 1, maxEvals: 60, seed: 2 });
    expect(r.evaluations).toBeLessThanOrEqual(60);
    expect(r.stopReason).toBe('maxEvals');
  });

  it('a candidate that throws or returns NaN gets the worst fitness; the run goes on and counts it', async () => {
    let calls = 0;
    const f = pointwise((x) => {
      calls++;
      if (calls % 7 === 0) throw new Error('simulator crashed');
      if (calls % 11 === 0) return Number.NaN;
      return sphere(x);
    });
    const r = await minimize(f, { x0: [1, -1, 2], sigma0: 0.5, maxEvals: 3000, ftarget: 1e-8, seed: 3 });
    expect(r.f).toBeLessThanOrEqual(1e-8);
    expect(r.failedEvaluations).toBeGreaterThan(0);
    expect(r.failedEvaluations).toBe(Math.floor(calls / 7) + Math.floor(calls / 11) - Math.floor(calls / 77));
  });

  it('a batch objective that throws as a whole marks the batch worst and continues', async () => {
    let gen = 0;
    const r = await minimize(
      (xs) => {
        gen++;
        if (gen === 3) throw new Error('cluster down');
        return xs.map(sphere);
      },
      { x0: [1, 1], sigma0: 0.5, maxEvals: 600, seed: 4 },
    );
    expect(r.failedEvaluations).toBe(6);
    expect(r.f).toBeLessThan(1e-6);
  });

  it('bounds (repair) keep every evaluated point in the box', async () => {
    const seen: Float64Array[] = [];
    await minimize(
      (xs) => {
        seen.push(...xs);
        return xs.map((x) => sphere(x.map((v) => v - 5)));
      },
      { x0: [0, 0], sigma0: 2, bounds: { lower: [-1, -1], upper: [1, 1] }, maxEvals: 300, seed: 5 },
    );
    for (const x of seen) for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('SV-CMA-ES returns one solution per particle and finds several Himmelblau minima', async () => {
    const r = await minimize((xs) => xs.map(himmelblau), {
      method: 'sv-cma',
      bounds: { lower: [-5, -5], upper: [5, 5] },
      numPopulations: 8,
      popSize: 5,
      sigma0: 0.5,
      maxEvals: 20000,
      seed: 1,
    });
    expect(r.solutions?.length).toBe(8);
    expect(countHimmelblauMinima(r.solutions as Float64Array[], 0.1)).toBeGreaterThanOrEqual(3);
  });

  it('is reproducible from the seed', async () => {
    const a = await minimize((xs) => xs.map(rosenbrock), {
      x0: [0, 0, 0],
      sigma0: 0.5,
      maxEvals: 500,
      seed: 9,
    });
    const b = await minimize((xs) => xs.map(rosenbrock), {
      x0: [0, 0, 0],
      sigma0: 0.5,
      maxEvals: 500,
      seed: 9,
    });
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(b.history).toEqual(a.history);
  });
});

describe('sample (one-call helper)', () => {
  it('runs each method at a fixed budget and returns n particles', async () => {
    const negLogP = (xs: Float64Array[]) => xs.map((x) => 0.5 * (x[0] ** 2 + x[1] ** 2));
    for (const method of ['sv-cma', 'sv-openai', 'gf-svgd'] as const) {
      const r = await sample(negLogP, {
        method,
        n: 20,
        init: { lower: -3, upper: 3 },
        dim: 2,
        maxEvals: 4000,
        seed: 1,
      });
      expect(r.particles.length).toBe(20);
      expect(r.evaluations).toBeLessThanOrEqual(4000);
      expect(r.evaluations).toBeGreaterThan(3000);
      for (const p of r.particles) for (const v of p) expect(Number.isFinite(v)).toBe(true);
    }
  });
});
