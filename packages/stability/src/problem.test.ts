import { Rng, ShapeError, ValueError, eigh, Matrix } from '@descent/tensor';
import { LeastSquaresProblem } from './leastSquares';
import { LogisticProblem, sigmoid, softplus } from './logistic';
import { normalExpectation } from './normalExpectation';
import { defaultPgdSteps } from './pgd';
import { projectToBall } from './ball';
import {
  empiricalGradient,
  empiricalHessian,
  empiricalRisk,
  empiricalSmoothness,
  maxSampleSmoothness,
  readDataset,
  readProblem,
  replaceSample,
  sampleGradient,
  sampleLoss,
} from './problem';

describe('empirical risk, gradient, Hessian and smoothness', () => {
  const problems = [
    new LeastSquaresProblem({ center: 'zero' }),
    new LogisticProblem({ separation: 1.5, center: 'zero' }),
  ];

  it.each(problems.map((p) => [p.name, p] as const))(
    'gradient and Hessian match finite differences (%s)',
    (_, p) => {
      const S = p.sample(64, new Rng(2));
      const w = Float64Array.from([0.3, -0.2, 0.5, 0.1, -0.4]);
      const g = empiricalGradient(p, S, w);
      const H = empiricalHessian(p, S, w);
      const h = 1e-5;
      for (let j = 0; j < 5; j++) {
        const a = w.slice();
        const b = w.slice();
        a[j] += h;
        b[j] -= h;
        expect(g[j]).toBeCloseTo((empiricalRisk(p, S, a) - empiricalRisk(p, S, b)) / (2 * h), 8);
        const ga = empiricalGradient(p, S, a);
        const gb = empiricalGradient(p, S, b);
        for (let k = 0; k < 5; k++) expect(H[k * 5 + j]).toBeCloseTo((ga[k] - gb[k]) / (2 * h), 7);
      }
    },
  );

  it.each(problems.map((p) => [p.name, p] as const))(
    'L_S bounds the Hessian spectrum everywhere and L_max bounds every sample (%s)',
    (_, p) => {
      const S = p.sample(64, new Rng(5));
      const L = empiricalSmoothness(p, S);
      const Lmax = maxSampleSmoothness(p, S);
      expect(Lmax).toBeGreaterThanOrEqual(L);
      const rng = new Rng(9);
      for (let t = 0; t < 20; t++) {
        const w = new Float64Array(5).map(() => 3 * rng.normal());
        const top = eigh(new Matrix(5, 5, empiricalHessian(p, S, w)), { vectors: false }).values[4];
        expect(top).toBeLessThanOrEqual(L * (1 + 1e-12));
      }
      // least squares: the bound is attained (the Hessian does not depend on w)
      if (p instanceof LeastSquaresProblem) {
        const top = eigh(new Matrix(5, 5, empiricalHessian(p, S, new Float64Array(5))), { vectors: false })
          .values[4];
        expect(top).toBeCloseTo(L, 12);
      }
    },
  );

  it('replaceSample swaps exactly one row and copies', () => {
    const p = new LeastSquaresProblem();
    const S = p.sample(10, new Rng(1));
    const z = p.sample(1, new Rng(2));
    const S2 = replaceSample(S, 3, z);
    expect(Array.from(S2.X.subarray(15, 20))).toEqual(Array.from(z.X));
    expect(S2.y[3]).toBe(z.y[0]);
    for (let i = 0; i < 10; i++) if (i !== 3) expect(S2.y[i]).toBe(S.y[i]);
    expect(S.y[3]).not.toBe(z.y[0]);
    expect(() => replaceSample(S, 10, z)).toThrow(/i must be an integer in \[0, 9\]/);
  });

  it('readDataset rejects malformed data sets, naming the field', () => {
    const ok = { n: 2, d: 2, X: new Float64Array(4), y: new Float64Array(2) };
    expect(readDataset(ok, 2)).toBe(ok);
    expect(() => readDataset(null, 2)).toThrow(ValueError);
    expect(() => readDataset({ ...ok, n: 0 }, 2)).toThrow(/data.n must be an integer/);
    expect(() => readDataset({ ...ok, X: [0, 0, 0, 0] }, 2)).toThrow(/data.X must be a Float64Array/);
    expect(() => readDataset({ ...ok, d: 3 }, 2)).toThrow(ShapeError);
    expect(() => readDataset({ ...ok, X: new Float64Array(5) }, 2)).toThrow(
      /data.X must have length n·d = 4/,
    );
    expect(() => readDataset({ ...ok, y: new Float64Array(3) }, 2)).toThrow(/data.y must have length n = 2/);
    expect(() => readDataset({ ...ok, y: Float64Array.from([0, Number.NaN]) }, 2)).toThrow(
      /data.y must contain only finite/,
    );
  });

  it('bad input to the building blocks is a typed error naming the argument, never a NaN', () => {
    const p = new LogisticProblem();
    const S = p.sample(4, new Rng(1));
    const w = new Float64Array(p.d);
    const naming = (argument: string) => expect.objectContaining({ argument });
    expect(readProblem(p)).toBe(p);
    expect(() => readProblem({})).toThrow(naming('problem'));
    const withD = (d: unknown) => Object.assign(Object.create(Object.getPrototypeOf(p)), p, { d });
    expect(() => readProblem(withD(2.5))).toThrow(naming('problem.d'));
    expect(() => empiricalGradient(null as never, S, w)).toThrow(naming('problem'));
    expect(() => empiricalGradient(p, null as never, w)).toThrow(naming('data'));
    expect(() => empiricalGradient(p, S, [1, Number.NaN] as never)).toThrow(naming('w'));
    expect(() => empiricalGradient(p, S, w, new Float64Array(2))).toThrow(naming('out'));
    expect(() => empiricalHessian(p, { ...S, X: S.X.map(() => Number.NaN) }, w)).toThrow(naming('data.X'));
    expect(() => empiricalRisk(p, S, null as never)).toThrow(naming('w'));
    expect(() => empiricalSmoothness('abc' as never, S)).toThrow(naming('problem'));
    expect(() => maxSampleSmoothness(p, 42 as never)).toThrow(naming('data'));
    expect(() => sampleLoss(p, w, w, Number.NaN)).toThrow(naming('y'));
    expect(() => sampleGradient(p, w, [1] as never, 1)).toThrow(naming('x'));
    expect(() => replaceSample(S, 0, null as never)).toThrow(naming('other'));
    expect(() => p.phi(Number.NaN, 1)).toThrow(naming('u'));
    expect(() => p.dphi(0, null as never)).toThrow(naming('y'));
    expect(() => p.d2phi(Number.POSITIVE_INFINITY)).toThrow(naming('u'));
    expect(() => new LeastSquaresProblem().dphi(null as never, 0)).toThrow(naming('u'));
    expect(() => p.sample(2, null as never)).toThrow(naming('rng'));
    expect(() => sigmoid(Number.NaN)).toThrow(naming('z'));
    expect(() => softplus('abc' as never)).toThrow(naming('z'));
    expect(() => normalExpectation(() => Number.NaN, 0, 1)).toThrow(naming('g'));
    expect(() => normalExpectation(() => 'abc' as never, 0, 0)).toThrow(naming('g'));
    expect(() => projectToBall(Float64Array.of(1, 2), Number.POSITIVE_INFINITY)).toThrow(naming('radius'));
    expect(() => defaultPgdSteps(Number.NaN, 2)).toThrow(naming('n'));
    expect(() => defaultPgdSteps(100, Number.POSITIVE_INFINITY)).toThrow(naming('kappa'));
    expect(() => readDataset(S, p.d, null as never)).toThrow(naming('name'));
    // the checked and unchecked paths agree
    expect(sampleLoss(p, w, S.X.subarray(0, p.d), S.y[0])).toBeCloseTo(Math.log(2) + 0.5 * p.lambda * 4, 14); // c = 2m, ‖m‖ = 1
  });
});
