import { Rng } from '@descent/tensor';
import { SVOpenAIES } from './svOpenAiEs';
import { gaussianTarget } from './targets';

describe('SV-OpenAI-ES (notes section 2.2)', () => {
  it('P = 1, SGD, identity shaping: the step is lr·(OpenAI-ES antithetic estimate), computed by hand', () => {
    const b = [0.5, -2, 1];
    const f = (x: ArrayLike<number>) => b[0] * x[0] + b[1] * x[1] + b[2] * x[2];
    const m0 = [0.1, 0.2, 0.3];
    const sigma = 0.2;
    const lr = 0.01;
    const es = new SVOpenAIES({
      means0: [m0],
      popSize: 6,
      sigma0: sigma,
      optimizer: 'sgd',
      learningRate: lr,
      shaping: 'identity',
      seed: 3,
    });
    const xs = es.ask();
    // antithetic: the second half mirrors the first
    for (let k = 0; k < 3; k++)
      for (let c = 0; c < 3; c++) expect(xs[k][c] - m0[c]).toBeCloseTo(-(xs[k + 3][c] - m0[c]), 14);
    const fs = xs.map(f);
    const g = [0, 0, 0];
    xs.forEach((x, k) => {
      for (let c = 0; c < 3; c++) g[c] -= (fs[k] * (x[c] - m0[c])) / sigma / (6 * sigma);
    });
    es.tell(xs, fs);
    // φ = g (k(m, m) = 1, no repulsion for P = 1); SGD on −φ: m ← m + lr·φ
    for (let c = 0; c < 3; c++) expect(es.means[0][c]).toBeCloseTo(m0[c] + lr * g[c], 12);
    // for a linear f the antithetic estimate is −(2/λ) Σ_pairs ε εᵀ b: it points against b
    expect(g[0] * b[0] + g[1] * b[1] + g[2] * b[2]).toBeLessThan(0);
  });

  it("the particle update is the kernel-averaged SVGD direction: two particles see each other's gradient", () => {
    const f = (x: ArrayLike<number>) => x[0];
    const a = new SVOpenAIES({
      means0: [[0], [0.5]],
      popSize: 2,
      sigma0: 0.1,
      optimizer: 'sgd',
      learningRate: 1,
      shaping: 'identity',
      alpha: 0,
      kernel: { type: 'rbf', bandwidth: 1 },
      seed: 1,
    });
    const xs = a.ask();
    // g_i = −(1/(λσ)) Σ_k f_k ε_k with ε_k = (x_k − m_i)/σ, from the asked points
    const m = [0, 0.5];
    const g = [0, 1].map(
      (i) =>
        -[0, 1].reduce((s, k) => s + f(xs[2 * i + k]) * ((xs[2 * i + k][0] - m[i]) / 0.1), 0) / (2 * 0.1),
    );
    a.tell(xs, xs.map(f));
    // φ_i = (1/2)(g_i + k(m_0, m_1)·g_j); SGD with lr 1: m_i ← m_i + φ_i
    const k = Math.exp(-0.125);
    expect(a.means[0][0]).toBeCloseTo(0 + 0.5 * (g[0] + k * g[1]), 12);
    expect(a.means[1][0]).toBeCloseTo(0.5 + 0.5 * (g[1] + k * g[0]), 12);
  });

  it('samples G2 with Adam and identity shaping: the particle mean approaches μ', () => {
    const t = gaussianTarget();
    const rng = new Rng(3);
    const means0 = Array.from({ length: 30 }, () => rng.normalArray(2, 2, 1));
    const es = new SVOpenAIES({
      means0,
      popSize: 4,
      sigma0: 0.1,
      optimizer: 'adam',
      learningRate: 0.05,
      shaping: 'identity',
      kernel: { type: 'rbf', bandwidth: 1 },
      seed: 2,
    });
    for (let g = 0; g < 400; g++) {
      const xs = es.ask();
      es.tell(
        xs,
        xs.map((x) => t.negLogP(x)),
      );
    }
    const m = [0, 0];
    for (const p of es.means) for (let c = 0; c < 2; c++) m[c] += p[c] / 30;
    expect(Math.hypot(m[0] + 0.6871, m[1] - 0.801)).toBeLessThan(0.3);
    expect(es.evaluations).toBe(400 * 30 * 4);
  });

  it('toJSON/fromJSON resumes bit-for-bit (Adam state included)', () => {
    const t = gaussianTarget();
    const a = new SVOpenAIES({
      means0: { lower: -2, upper: 2, count: 4, dim: 2 },
      popSize: 4,
      optimizer: 'adam',
      seed: 5,
    });
    const step = (es: SVOpenAIES) => {
      const xs = es.ask();
      es.tell(
        xs,
        xs.map((x) => t.negLogP(x)),
      );
    };
    for (let g = 0; g < 3; g++) step(a);
    const b = SVOpenAIES.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (let g = 0; g < 5; g++) {
      step(a);
      step(b);
    }
    expect(b.means).toEqual(a.means);
  });

  it('rejects an odd popSize with antithetic sampling', () => {
    expect(() => new SVOpenAIES({ means0: [[0]], popSize: 3 })).toThrow(/popSize must be even/);
  });
});
