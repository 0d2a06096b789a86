import { rosenbrock, sphere } from './objectives';
import { CMAES } from './cmaEs';
import { expectedNormalNorm } from './cmaParameters';

/** Evaluations until the best f ≤ 1e-8 (Infinity on failure). */
function evalsToTarget(
  f: (x: Float64Array) => number,
  d: number,
  x0: number,
  sigma0: number,
  seed: number,
  maxEvals: number,
): number {
  const es = new CMAES({ mean0: new Float64Array(d).fill(x0), sigma0, seed, maxEvals });
  while (!es.stop()) {
    const xs = es.ask();
    const fs = xs.map(f);
    // count evaluations up to the first hit inside the generation (pycma counts whole generations)
    es.tell(xs, fs);
    if (es.fBest <= 1e-8) return es.evaluations;
  }
  return Infinity;
}

describe('CMAES convergence (pycma 4.5.0-derived thresholds, notes 5.2.1)', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [2, 400],
    [5, 1100],
    [10, 2200],
  ])('sphere d=%i from x0=1, σ0=1 reaches 1e-8 within %i evaluations on 10/10 seeds', (d, limit) => {
    const evals = seeds.map((s) => evalsToTarget(sphere, d, 1, 1, s, 10 * limit));
    expect(Math.max(...evals)).toBeLessThanOrEqual(limit);
  });

  // The issue asks for medians not worse than pycma's (20 seeds: sphere 1345, Rosenbrock 5230).
  // A 10-seed median has a standard error of ≈ 2% here (p90/median spread of the notes' table),
  // so "not worse" is checked as ≤ 1.05 × pycma's median (2.5 standard errors).
  it('sphere d=10 median is not worse than pycma (1345)', () => {
    const evals = seeds.map((s) => evalsToTarget(sphere, 10, 1, 1, s, 5000)).sort((a, b) => a - b);
    const median = 0.5 * (evals[4] + evals[5]);
    expect(median).toBeLessThanOrEqual(1345 * 1.05);
  });

  it('rosenbrock d=10 median is not worse than pycma (5230)', () => {
    const evals = seeds.map((s) => evalsToTarget(rosenbrock, 10, 0, 0.5, s, 20000)).sort((a, b) => a - b);
    const median = 0.5 * (evals[4] + evals[5]);
    expect(median).toBeLessThanOrEqual(5230 * 1.05);
  });

  it('rosenbrock d=2 from x0=0, σ0=0.5 reaches 1e-8 within 800 evaluations on 10/10 seeds', () => {
    const evals = seeds.map((s) => evalsToTarget(rosenbrock, 2, 0, 0.5, s, 5000));
    expect(Math.max(...evals)).toBeLessThanOrEqual(800);
  });

  it('rosenbrock d=5 reaches 1e-8 within 3200 evaluations on >= 9/10 seeds', () => {
    const evals = seeds.map((s) => evalsToTarget(rosenbrock, 5, 0, 0.5, s, 10000));
    expect(evals.filter((e) => e <= 3200).length).toBeGreaterThanOrEqual(9);
  });
});

describe('CMAES invariances (rank-based, notes 5.2.2)', () => {
  const ellipsoid = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += 10 ** ((4 * i) / (x.length - 1)) * x[i] * x[i];
    return s;
  };

  it('a strictly monotone transform of f gives a bit-identical trajectory', () => {
    const a = new CMAES({ mean0: [1, -2, 0.5, 3], sigma0: 0.7, seed: 11 });
    const b = new CMAES({ mean0: [1, -2, 0.5, 3], sigma0: 0.7, seed: 11 });
    for (let g = 0; g < 60; g++) {
      const xa = a.ask();
      const xb = b.ask();
      expect(xb).toEqual(xa);
      a.tell(xa, xa.map(ellipsoid));
      b.tell(
        xb,
        xb.map((x) => Math.exp(Math.sqrt(ellipsoid(x))) - 5),
      );
    }
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(b.sigma).toBe(a.sigma);
    expect(Array.from(b.state.C)).toEqual(Array.from(a.state.C));
  });

  it('translating x0 and the optimum by the same vector translates the trajectory (1e-12)', () => {
    const shift = [3.5, -1.25, 7, 0.5];
    const a = new CMAES({ mean0: [1, 1, 1, 1], sigma0: 0.5, seed: 5 });
    const b = new CMAES({
      mean0: [1 + shift[0], 1 + shift[1], 1 + shift[2], 1 + shift[3]],
      sigma0: 0.5,
      seed: 5,
    });
    for (let g = 0; g < 40; g++) {
      const xa = a.ask();
      const xb = b.ask();
      a.tell(xa, xa.map(ellipsoid));
      b.tell(
        xb,
        xb.map((x) => ellipsoid(x.map((v, i) => v - shift[i]))),
      );
    }
    const ma = a.mean;
    const mb = b.mean;
    for (let i = 0; i < 4; i++)
      expect(Math.abs(mb[i] - shift[i] - ma[i])).toBeLessThan(1e-12 * (1 + Math.abs(shift[i])) * 10);
    expect(Math.abs(b.sigma - a.sigma) / a.sigma).toBeLessThan(1e-9);
  });
});

describe('CMAES update unit checks (notes 5.2.3)', () => {
  it('C stays symmetric positive definite over 10^4 generations on an ill-conditioned ellipsoid', () => {
    const f = (x: ArrayLike<number>) => x[0] * x[0] + 1e6 * x[1] * x[1];
    const es = new CMAES({
      mean0: [1, 1],
      sigma0: 1,
      seed: 3,
      tolX: 0,
      tolFun: 0,
      conditionCov: Infinity,
      maxSteps: 1e9,
      tolStagnation: 1e9,
    });
    let minEig = Infinity;
    for (let g = 0; g < 10000; g++) {
      const xs = es.ask();
      es.tell(xs, xs.map(f));
      if (es.sigma < 1e-100) break; // below this f = x² underflows and ranks become ties
      const C = es.state.C;
      expect(C[1]).toBe(C[2]);
      const tr = C[0] + C[3];
      const det = C[0] * C[3] - C[1] * C[2];
      const lmax = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
      const lmin = det / lmax;
      minEig = Math.min(minEig, lmin / tr);
      expect(lmin).toBeGreaterThan(0);
      expect(Number.isFinite(es.sigma)).toBe(true);
    }
    expect(minEig).toBeGreaterThan(0);
  });

  it('with a zero mean step and h_σ = 1 the covariance update is the hand-computed formula', () => {
    // one generation from C = I, p_c = 0: after tell, C = (1 − c1 − cμ Σw) I + c1 p_c p_cᵀ + cμ Σ w°_k y_k y_kᵀ
    const es = new CMAES({ mean0: [0, 0], sigma0: 1, seed: 9, popSize: 6, preset: 'tutorial' });
    const xs = es.ask();
    const fs = xs.map((x) => x[0] * x[0] + 2 * x[1] * x[1]);
    const p = es.params;
    const order = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b]);
    const ys = order.map((k) => xs[k]);
    const yw = [0, 0];
    for (let k = 0; k < p.mu; k++) for (let i = 0; i < 2; i++) yw[i] += p.weights[k] * ys[k][i];
    // p_σ = √(cσ(2−cσ)μeff) yw (C = I), h_σ test, p_c = h_σ √(cc(2−cc)μeff) yw
    const psn = Math.sqrt(p.cs * (2 - p.cs) * p.muEff) * Math.hypot(yw[0], yw[1]);
    const h = psn / Math.sqrt(1 - (1 - p.cs) ** 2) < (1.4 + 2 / 3) * p.chiN ? 1 : 0;
    const pc = yw.map((v) => h * Math.sqrt(p.cc * (2 - p.cc) * p.muEff) * v);
    const delta = (1 - h) * p.cc * (2 - p.cc);
    const C = [
      [0, 0],
      [0, 0],
    ];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        let r = 0;
        for (let k = 0; k < 6; k++) {
          const w = p.weights[k] >= 0 ? p.weights[k] : (p.weights[k] * 2) / (ys[k][0] ** 2 + ys[k][1] ** 2);
          r += w * ys[k][i] * ys[k][j];
        }
        C[i][j] =
          (1 + p.c1 * delta - p.c1 - p.cmu * p.sumWeights) * (i === j ? 1 : 0) +
          p.c1 * pc[i] * pc[j] +
          p.cmu * r;
      }
    }
    es.tell(xs, fs);
    expect(es.state.C[0]).toBeCloseTo(C[0][0], 13);
    expect(es.state.C[1]).toBeCloseTo(C[0][1], 13);
    expect(es.state.C[3]).toBeCloseTo(C[1][1], 13);
    expect(es.mean[0]).toBeCloseTo(yw[0], 14);
    // the rank-one term is an outer product (EvoX issue #250): its matrix has rank one
    expect(Math.abs(pc[0] * pc[1] * pc[1] * pc[0] - pc[0] * pc[0] * pc[1] * pc[1])).toBeLessThan(1e-15);
  });

  it('stop() reports ftarget, maxEvals and tolX', () => {
    const a = new CMAES({ mean0: [1, 1], sigma0: 1, seed: 1, ftarget: 1e-3 });
    while (!a.stop()) {
      const xs = a.ask();
      a.tell(xs, xs.map(sphere));
    }
    expect(a.stop()).toBe('ftarget');
    const b = new CMAES({ mean0: [1, 1], sigma0: 1, seed: 1, maxEvals: 60 });
    while (!b.stop()) {
      const xs = b.ask();
      b.tell(xs, xs.map(sphere));
    }
    expect(b.stop()).toBe('maxEvals');
    expect(b.evaluations).toBe(60);
    const c = new CMAES({ mean0: [1, 1], sigma0: 1, seed: 1 });
    while (!c.stop()) {
      const xs = c.ask();
      c.tell(xs, xs.map(sphere));
    }
    expect(['tolX', 'tolFun', 'noEffectAxis', 'noEffectCoord']).toContain(c.stop());
    expect(c.fBest).toBeLessThan(1e-15);
  });

  it('toJSON/fromJSON resumes bit-for-bit', () => {
    const a = new CMAES({ mean0: [0.3, -0.2, 0.1], sigma0: 0.4, seed: 21 });
    for (let g = 0; g < 5; g++) {
      const xs = a.ask();
      a.tell(xs, xs.map(rosenbrock));
    }
    const b = CMAES.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (let g = 0; g < 20; g++) {
      const xa = a.ask();
      const xb = b.ask();
      expect(xb).toEqual(xa);
      a.tell(xa, xa.map(rosenbrock));
      b.tell(xb, xb.map(rosenbrock));
    }
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
  });

  it('χ_d is E‖N(0, I_d)‖ exactly (pycma tabulates the same values)', () => {
    expect(expectedNormalNorm(1)).toBeCloseTo(0.7978845608028655, 15);
    expect(expectedNormalNorm(2)).toBeCloseTo(1.2533141373155003, 15);
    expect(expectedNormalNorm(10)).toBeCloseTo(3.084327759799864, 13);
  });

  it('weights: positive part sums to 1, negative part to −α_min (tutorial eq. 53)', () => {
    const es = new CMAES({ mean0: new Float64Array(10), sigma0: 1, preset: 'tutorial' });
    const p = es.params;
    expect(p.lambda).toBe(10);
    const pos = p.weights.filter((w) => w > 0).reduce((s, w) => s + w, 0);
    const neg = p.weights.filter((w) => w < 0).reduce((s, w) => s + w, 0);
    expect(pos).toBeCloseTo(1, 14);
    const alphaMin = Math.min(
      1 + p.c1 / p.cmu,
      1 + (2 * p.muEffMinus) / (p.muEff + 2),
      (1 - p.c1 - p.cmu) / (10 * p.cmu),
    );
    expect(neg).toBeCloseTo(-alphaMin, 14);
  });
});
