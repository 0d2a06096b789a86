import { Matrix, Rng, rbf, svgdDirection } from '@descent/tensor';
import { GFSVGD, gfSvgd, gfSvgdDirection } from './gfSvgd';
import { gaussianTarget } from './targets';

const target = gaussianTarget();

describe('GF-SVGD (Han & Liu 2018), notes 5.2.7', () => {
  it('with the surrogate ρ = p the weights are equal and the step equals SVGD to machine precision', () => {
    const rng = new Rng(4);
    const xs = Array.from({ length: 30 }, () => rng.normalArray(2, 0, 1.5));
    // ρ = p exactly (normalised or not: the weights only see ρ/p̃)
    const surrogate = {
      logDensity: (x: Float64Array) => -target.negLogP(x) + 3.7,
      gradLogDensity: (x: Float64Array) => target.gradLogP(x),
    };
    const U = xs.map((x) => target.negLogP(x));
    const step = gfSvgdDirection(xs, U, { surrogate, kernel: { type: 'rbf', bandwidth: 0.9 } });
    for (const w of step.weights) expect(w).toBeCloseTo(1 / 30, 15);
    const S = new Matrix(30, 2);
    xs.forEach((x, i) => {
      S.data.set(target.gradLogP(x), i * 2);
    });
    const ref = svgdDirection(rbf({ bandwidth: 0.9 }), Matrix.of(xs), S).data;
    for (let k = 0; k < ref.length; k++) expect(Math.abs(step.phi.data[k] - ref[k])).toBeLessThan(1e-13);
  });

  it('importance weights are ρ(x_j)/p̃(x_j), normalised (checked against a direct computation)', () => {
    const xs = [Float64Array.of(0, 0), Float64Array.of(1, 0.5), Float64Array.of(-0.5, 1)];
    const U = xs.map((x) => target.negLogP(x));
    const surrogate = {
      logDensity: (x: Float64Array) => -0.5 * (x[0] ** 2 + x[1] ** 2),
      gradLogDensity: (x: Float64Array) => [-x[0], -x[1]],
    };
    const step = gfSvgdDirection(xs, U, { surrogate, kernel: { type: 'rbf', bandwidth: 1 } });
    const raw = xs.map((x, j) => Math.exp(surrogate.logDensity(x) + U[j]));
    const z = raw.reduce((s, v) => s + v, 0);
    raw.forEach((v, j) => {
      expect(step.weights[j]).toBeCloseTo(v / z, 14);
    });
  });

  it('a non-finite density value gets weight 0 and is counted', () => {
    const s = new GFSVGD(
      [
        [0, 0],
        [1, 1],
        [2, 0],
      ],
      { learningRate: 0.1 },
    );
    const xs = s.ask();
    const step = s.tell(xs, [1, Number.NaN, 2]);
    expect(step.weights[1]).toBe(0);
    expect(s.nonFiniteEvaluations).toBe(1);
    expect(s.evaluations).toBe(3);
  });

  it('toJSON/fromJSON resumes bit-for-bit', () => {
    const rng = new Rng(1);
    const a = new GFSVGD(
      Array.from({ length: 10 }, () => rng.normalArray(2)),
      { learningRate: 0.05 },
    );
    const step = (s: GFSVGD) => {
      const xs = s.ask();
      s.tell(
        xs,
        xs.map((x) => target.negLogP(x)),
      );
    };
    for (let t = 0; t < 3; t++) step(a);
    const b = GFSVGD.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (let t = 0; t < 4; t++) {
      step(a);
      step(b);
    }
    expect(b.particles).toEqual(a.particles);
  });

  it('with the KDE surrogate the particles move towards G2 (mean error shrinks ≥ 3×), n evaluations per iteration', async () => {
    const rng = new Rng(8);
    const x0 = Array.from({ length: 40 }, () => rng.normalArray(2, 3, 0.5));
    const r = await gfSvgd((ps) => ps.map((x) => target.negLogP(x)), x0, {
      maxSteps: 300,
      learningRate: 0.05,
    });
    const err = (ps: ArrayLike<ArrayLike<number>>) => {
      const m = [0, 0];
      for (let i = 0; i < ps.length; i++) for (let c = 0; c < 2; c++) m[c] += ps[i][c] / ps.length;
      return Math.hypot(m[0] + 0.6871, m[1] - 0.801);
    };
    expect(err(r.particles)).toBeLessThan(err(x0) / 3);
    expect(r.evaluations).toBe(300 * 40);
  });
});
