import { checkGrad, matrixToTensor, mmd2Tensor, ready, tf } from './tf';
import { ShapeError, ValueError } from './errors';
import { maxRelativeError } from './finiteDiff';
import { rbf } from './kernels';
import { Matrix } from './matrix';
import { mmd2 } from './mmd';
import { Rng } from './rng';

beforeAll(async () => {
  await ready();
});

type Mat2 = [[number, number], [number, number]];

/** Samples N(μ, Σ) in 2-D through the Cholesky factor of Σ. */
function gaussian2(rng: Rng, n: number, mu: [number, number], S: Mat2): Matrix {
  const l11 = Math.sqrt(S[0][0]);
  const l21 = S[1][0] / l11;
  const l22 = Math.sqrt(S[1][1] - l21 * l21);
  const z = rng.normalArray(2 * n);
  const out = new Matrix(n, 2);
  for (let i = 0; i < n; i++) {
    out.data[2 * i] = mu[0] + l11 * z[2 * i];
    out.data[2 * i + 1] = mu[1] + l21 * z[2 * i] + l22 * z[2 * i + 1];
  }
  return out;
}

/**
 * E exp(−‖x − y‖²/(2h²)) for independent x ~ N(μ₁, Σ₁), y ~ N(μ₂, Σ₂):
 * |I + (Σ₁ + Σ₂)/h²|^{−1/2} exp(−½ Δᵀ(h²I + Σ₁ + Σ₂)^{−1}Δ), Δ = μ₁ − μ₂.
 */
function rbfExpectation(mu1: [number, number], S1: Mat2, mu2: [number, number], S2: Mat2, h: number): number {
  const h2 = h * h;
  const a = h2 + S1[0][0] + S2[0][0];
  const b = S1[0][1] + S2[0][1];
  const d = h2 + S1[1][1] + S2[1][1];
  const det = a * d - b * b; // det(h²I + Σ) = h⁴ det(I + Σ/h²)
  const dx = mu1[0] - mu2[0];
  const dy = mu1[1] - mu2[1];
  const quad = (d * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
  return Math.sqrt((h2 * h2) / det) * Math.exp(-0.5 * quad);
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const se = (a: number[]) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1) / a.length);
};

describe('mmd2', () => {
  it('the unbiased estimator of MMD² between two Gaussians matches the closed form (RBF kernel)', () => {
    const mu1: [number, number] = [0, 0];
    const mu2: [number, number] = [0.8, -0.3];
    const S1: Mat2 = [
      [1, 0.3],
      [0.3, 0.5],
    ];
    const S2: Mat2 = [
      [0.6, -0.2],
      [-0.2, 1.2],
    ];
    const h = 1.1;
    const truth =
      rbfExpectation(mu1, S1, mu1, S1, h) +
      rbfExpectation(mu2, S2, mu2, S2, h) -
      2 * rbfExpectation(mu1, S1, mu2, S2, h);
    const k = rbf({ bandwidth: h });
    const reps: number[] = [];
    for (let r = 0; r < 8; r++) {
      const rng = new Rng('mmd-closed-form').fold(r);
      reps.push(
        mmd2(gaussian2(rng.fold('x'), 400, mu1, S1), gaussian2(rng.fold('y'), 400, mu2, S2), k, {
          unbiased: true,
        }),
      );
    }
    expect(truth).toBeGreaterThan(0.05);
    expect(Math.abs(mean(reps) - truth)).toBeLessThan(4 * se(reps));
    expect(Math.abs(mean(reps) - truth) / truth).toBeLessThan(0.05);
  });

  it('for equal distributions the unbiased estimator has mean ≈ 0 while the biased one is positive', () => {
    const k = rbf({ bandwidth: 1 });
    const S: Mat2 = [
      [1, 0],
      [0, 1],
    ];
    const u: number[] = [];
    const v: number[] = [];
    for (let r = 0; r < 30; r++) {
      const rng = new Rng('mmd-null').fold(r);
      const X = gaussian2(rng.fold('x'), 60, [0, 0], S);
      const Y = gaussian2(rng.fold('y'), 60, [0, 0], S);
      u.push(mmd2(X, Y, k, { unbiased: true }));
      v.push(mmd2(X, Y, k));
    }
    expect(Math.abs(mean(u))).toBeLessThan(4 * se(u));
    expect(Math.min(...v)).toBeGreaterThan(0);
    // the V-statistic's bias is (E k(x,x) − E k(x,x'))(1/m + 1/n) = (1 − 1/3)(2/60) for h = 1, Σ = I
    const bias = (1 - rbfExpectation([0, 0], S, [0, 0], S, 1)) * (2 / 60);
    expect(Math.abs(mean(v) - mean(u) - bias)).toBeLessThan(0.1 * bias);
  });

  it('is 0 on identical samples (biased), symmetric in X and Y, and agrees with the tensor version', () => {
    const rng = new Rng('mmd-basic');
    const X = new Matrix(10, 3, rng.normalArray(30));
    const Y = new Matrix(7, 3, rng.normalArray(21, 1));
    const k = rbf({ bandwidth: 1.5 });
    expect(Math.abs(mmd2(X, X, k))).toBeLessThan(1e-15);
    expect(mmd2(X, Y, k)).toBeCloseTo(mmd2(Y, X, k), 14);
    expect(mmd2(X, Y, k, { unbiased: true })).toBeCloseTo(mmd2(Y, X, k, { unbiased: true }), 14);
    const Xt = matrixToTensor(X);
    const Yt = matrixToTensor(Y);
    for (const unbiased of [false, true]) {
      const t = mmd2Tensor(Xt, Yt, k, { unbiased });
      expect(maxRelativeError([t.dataSync()[0]], [mmd2(X, Y, k, { unbiased })])).toBeLessThan(1e-5);
      t.dispose();
    }
    // the tensor version is differentiable w.r.t. the sample
    const f = (z: tf.Tensor1D) => mmd2Tensor(tf.reshape(z, [7, 3]) as tf.Tensor2D, Xt, k);
    expect(checkGrad(f, Y.data).maxRelError).toBeLessThan(1e-2);
    tf.dispose([Xt, Yt]);
  });

  it('typed errors', () => {
    const k = rbf({ bandwidth: 1 });
    const X = Matrix.from([[1, 2]]);
    expect(() => mmd2(X, X, k, { unbiased: true })).toThrow(ShapeError);
    expect(() => mmd2(X, Matrix.from([[1, 2, 3]]), k)).toThrow(ShapeError);
    expect(() => mmd2(X, X, {} as never)).toThrow(ValueError);
  });
});
