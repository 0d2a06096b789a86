import { hvp, kernelMatrixTensor, matrixToTensor, pairwiseSqDistancesTensor, ready, svgdTermsTensor, tf } from './tf';
import { ShapeError, ValueError } from './errors';
import { fdGrad, maxRelativeError } from './finiteDiff';
import { checkHvp } from './tf';
import {
  type Kernel,
  imq,
  medianHeuristic,
  pairwiseSqDistances,
  rbf,
  svgdDirection,
} from './kernels';
import { eigh } from './linalg';
import { Matrix } from './matrix';
import { Rng } from './rng';

beforeAll(async () => {
  await ready();
});

const rng = new Rng('kernels-test');
const randn = (n: number, d: number, r = rng, scale = 1) => new Matrix(n, d, r.normalArray(n * d, 0, scale));

describe('pairwiseSqDistances', () => {
  it('is symmetric with a zero diagonal, equals ‖xᵢ − yⱼ‖², is translation invariant, and matches the tensor version', () => {
    const X = randn(7, 3);
    const Y = randn(4, 3);
    const D = pairwiseSqDistances(X);
    for (let i = 0; i < 7; i++) {
      expect(D.get(i, i)).toBe(0);
      for (let j = 0; j < 7; j++) expect(D.get(i, j)).toBe(D.get(j, i));
    }
    const Dxy = pairwiseSqDistances(X, Y);
    const x2 = X.row(2);
    const y3 = Y.row(3);
    expect(Dxy.get(2, 3)).toBeCloseTo((x2[0] - y3[0]) ** 2 + (x2[1] - y3[1]) ** 2 + (x2[2] - y3[2]) ** 2, 12);
    const shift = (M: Matrix) =>
      new Matrix(
        M.rows,
        M.cols,
        M.data.map((v, k) => v + [5, -3, 100][k % 3]),
      );
    expect(maxRelativeError(pairwiseSqDistances(shift(X), shift(Y)).data, Dxy.data)).toBeLessThan(1e-12);
    const Xt = matrixToTensor(X);
    const Yt = matrixToTensor(Y);
    const Dt = pairwiseSqDistancesTensor(Xt, Yt);
    expect(maxRelativeError(Dt.dataSync(), Dxy.data)).toBeLessThan(1e-5);
    // far from the origin the float32 expansion would cancel catastrophically; centring keeps it exact-ish
    const far = (M: Matrix) =>
      new Matrix(
        M.rows,
        M.cols,
        M.data.map((v) => v + 1e4),
      );
    const Xf = matrixToTensor(far(X));
    const Yf = matrixToTensor(far(Y));
    const Df = pairwiseSqDistancesTensor(Xf, Yf);
    expect(maxRelativeError(Df.dataSync(), Dxy.data)).toBeLessThan(1e-3);
    tf.dispose([Xt, Yt, Dt, Xf, Yf, Df]);
    expect(() => pairwiseSqDistances(X, randn(2, 2))).toThrow(ShapeError);
    expect(() => pairwiseSqDistances(Matrix.from([[Number.NaN]]))).toThrow(ValueError);
  });
});

const kernels: [string, Kernel][] = [
  ['rbf(h = 0.8)', rbf({ bandwidth: 0.8 })],
  ['imq(c = 1, β = −½)', imq()],
  ['imq(c = 0.5, β = −0.9)', imq({ c: 0.5, beta: -0.9 })],
];

describe.each(kernels)('%s', (_name, k) => {
  const X = randn(9, 3);
  const Y = randn(5, 3);

  it('kernel matrix is symmetric positive semi-definite with k(x, x) = φ(0)', () => {
    const K = k.matrix(X);
    for (let i = 0; i < 9; i++) {
      expect(K.get(i, i)).toBeCloseTo(k.phi(0), 15);
      for (let j = 0; j < i; j++) expect(K.get(i, j)).toBe(K.get(j, i));
    }
    const { values } = eigh(K);
    expect(values[0]).toBeGreaterThan(-1e-12);
    expect(k.matrix(X, Y).get(3, 4)).toBeCloseTo(k.value(X.row(3), Y.row(4)), 15);
  });

  it('gradients match finite differences: ∇ₓk(x, y), Σⱼ Wᵢⱼ∇ₓk(xᵢ, yⱼ)', () => {
    const x = X.row(0);
    const y = Y.row(1);
    const fd = fdGrad((z) => k.value(z, y), x);
    expect(maxRelativeError(k.gradXPair(x, y), fd)).toBeLessThan(1e-7);
    const W = new Matrix(9, 5, rng.uniformArray(45) as Float64Array);
    const G = k.gradX(X, Y, W);
    const fdRow = fdGrad((z) => {
      let s = 0;
      for (let j = 0; j < 5; j++) s += W.get(4, j) * k.value(z, Y.row(j));
      return s;
    }, X.row(4));
    expect(maxRelativeError(G.row(4), fdRow)).toBeLessThan(1e-7);
  });

  it('SVGD repulsion Rᵢ = Σⱼ ∇_{xⱼ}k(xⱼ, xᵢ) matches finite differences and sums to zero over particles', () => {
    const { K, repulsion } = k.svgdTerms(X);
    expect(maxRelativeError(K.data, k.matrix(X).data)).toBe(0);
    const i = 3;
    const fd = new Float64Array(3);
    for (let j = 0; j < 9; j++) {
      const g = fdGrad((z) => k.value(z, X.row(i)), X.row(j));
      for (let c = 0; c < 3; c++) fd[c] += g[c];
    }
    expect(maxRelativeError(repulsion.row(i), fd)).toBeLessThan(1e-7);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let r = 0; r < 9; r++) s += repulsion.get(r, c);
      expect(Math.abs(s)).toBeLessThan(1e-12);
    }
    // the repulsion pushes two particles apart, symmetrically
    const two = Matrix.from([
      [0, 0, 0],
      [1, 0, 0],
    ]);
    const R2 = k.svgdTerms(two).repulsion;
    expect(R2.get(0, 0)).toBeLessThan(0);
    expect(R2.get(1, 0)).toBeCloseTo(-R2.get(0, 0), 15);
  });

  it('svgdTermsTensor matches the float64 svgdTerms', () => {
    const Xt = matrixToTensor(X);
    const { K, repulsion } = svgdTermsTensor(k, Xt);
    const ref = k.svgdTerms(X);
    expect(maxRelativeError(K.dataSync(), ref.K.data)).toBeLessThan(1e-5);
    expect(maxRelativeError(repulsion.dataSync(), ref.repulsion.data)).toBeLessThan(1e-4);
    tf.dispose([Xt, K, repulsion]);
  });

  it('the tensor kernel matrix matches the float64 one and has correct HVPs (safe exp inside)', () => {
    const Xt = matrixToTensor(X);
    const Yt = matrixToTensor(Y);
    const Kt = kernelMatrixTensor(k, Xt, Yt);
    expect(maxRelativeError(Kt.dataSync(), k.matrix(X, Y).data)).toBeLessThan(1e-5);
    const f = (z: tf.Tensor1D) =>
      tf.sum(kernelMatrixTensor(k, tf.reshape(z, [3, 3]) as tf.Tensor2D, Yt)) as tf.Scalar;
    const z0 = X.data.slice(0, 9);
    expect(checkHvp(f, z0, rng.normalArray(9)).maxRelError).toBeLessThan(1e-3);
    tf.dispose([Xt, Yt, Kt]);
  });
});

describe('medianHeuristic', () => {
  const X = Matrix.from([[0], [1], [3]]);
  it("'svgd' (Liu & Wang): h² = ½·med(D² over the full n×n matrix)/log(n + 1)", () => {
    // D² entries: 0,1,9 | 1,0,4 | 9,4,0 → sorted 0,0,0,1,1,4,4,9,9 → median 1
    expect(medianHeuristic(X)).toBeCloseTo(Math.sqrt(0.5 / Math.log(4)), 15);
  });
  it("'median': h = median pairwise distance over i < j", () => {
    // distances 1, 3, 2 → median 2
    expect(medianHeuristic(X, { variant: 'median' })).toBeCloseTo(2, 15);
  });
  it('is scale equivariant and translation invariant, floored, and rejects bad input', () => {
    const Z = randn(20, 4);
    const h = medianHeuristic(Z);
    const Z3 = new Matrix(
      20,
      4,
      Z.data.map((v) => 3 * v + 7),
    );
    expect(medianHeuristic(Z3)).toBeCloseTo(3 * h, 12);
    expect(medianHeuristic(Matrix.from([[1], [1]]), { floor: 1e-3 })).toBe(1e-3);
    expect(() => medianHeuristic(Matrix.from([[1]]))).toThrow(ShapeError);
    expect(() => medianHeuristic(Z, { variant: 'x' as never })).toThrow(/variant/);
  });
});

describe('svgdDirection', () => {
  it('with one particle is the score; with many, equals (K S + R)/n', () => {
    const k = rbf({ bandwidth: 1 });
    const one = Matrix.from([[0.5, -1]]);
    const s1 = Matrix.from([[2, 3]]);
    expect(Array.from(svgdDirection(k, one, s1).data)).toEqual([2, 3]);
    const X = randn(6, 2);
    const S = new Matrix(
      6,
      2,
      X.data.map((v) => -v),
    ); // standard normal target
    const phi = svgdDirection(k, X, S);
    const { K, repulsion } = k.svgdTerms(X);
    let manual = 0;
    for (let j = 0; j < 6; j++) manual += K.get(2, j) * S.get(j, 1);
    expect(phi.get(2, 1)).toBeCloseTo((manual + repulsion.get(2, 1)) / 6, 14);
    expect(() => svgdDirection(k, X, randn(5, 2))).toThrow(ShapeError);
  });
});

describe('kernel options', () => {
  it('reject bad parameters with typed errors', () => {
    expect(() => rbf({ bandwidth: 0 })).toThrow(/bandwidth/);
    expect(() => rbf(undefined as never)).toThrow(ValueError);
    expect(() => imq({ beta: 0.5 })).toThrow(/beta/);
    expect(() => imq({ c: -1 })).toThrow(/c must be/);
    expect(() => rbf({ bandwidth: 1 }).value([1, 2], [1])).toThrow(ShapeError);
  });
  it('HVP of an RBF energy through the tensor path is right (no tfjs#3252)', () => {
    const k = rbf({ bandwidth: 0.7 });
    const Y = matrixToTensor(randn(4, 2));
    const f = (z: tf.Tensor1D) =>
      tf.sum(kernelMatrixTensor(k, tf.reshape(z, [1, 2]) as tf.Tensor2D, Y)) as tf.Scalar;
    const x = [0.1, 0.2];
    const v = [1, 0];
    // analytic: ∇²ₓ Σⱼ k(x, yⱼ) = Σⱼ k (ddᵀ/h⁴ − I/h²), d = x − yⱼ
    const Ya = Y.arraySync() as number[][];
    const H = [0, 0];
    for (const y of Ya) {
      const d = [x[0] - y[0], x[1] - y[1]];
      const kv = Math.exp(-(d[0] ** 2 + d[1] ** 2) / (2 * 0.49));
      H[0] += kv * ((d[0] * d[0]) / 0.49 ** 2 - 1 / 0.49);
      H[1] += kv * ((d[1] * d[0]) / 0.49 ** 2);
    }
    expect(maxRelativeError(hvp(f, x, v), H)).toBeLessThan(1e-4);
    Y.dispose();
  });
});
