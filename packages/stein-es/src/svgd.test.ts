import { Matrix, Rng, rbf, svgdDirection } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { svgdDirectionTensor } from './tf';
import { svgd } from './svgd';
import { G2_MEAN, G2_PRECISION, g2Covariance, gaussianTarget } from './targets';

const target = gaussianTarget();
const mu = [...G2_MEAN];

function meanCov(xs: Float64Array[]) {
  const n = xs.length;
  const m = [0, 0];
  for (const x of xs) for (let c = 0; c < 2; c++) m[c] += x[c] / n;
  const C = [0, 0, 0, 0];
  for (const x of xs)
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) C[a * 2 + b] += ((x[a] - m[a]) * (x[b] - m[b])) / n;
  return { m, C };
}

describe('SVGD (Liu & Wang 2016), the gradient reference (notes 5.2.6)', () => {
  beforeAll(async () => {
    await ready();
  });

  it("the float32 tensor direction equals @descent/tensor's float64 svgdDirection", () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 40 }, () => rng.normalArray(2, 0, 2));
    const S = new Matrix(40, 2);
    xs.forEach((x, i) => {
      S.data.set(target.gradLogP(x), i * 2);
    });
    const a = svgdDirection(rbf({ bandwidth: 0.8 }), Matrix.of(xs), S).data;
    const b = svgdDirectionTensor(xs, S.data, 0.8);
    for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-5);
  });

  it('n = 100 on G2 recovers the mean (< 0.05) and covariance (relative < 0.15); at convergence the degree-weighted mean is μ (1e-3)', () => {
    const rng = new Rng(5);
    const x0 = Array.from({ length: 100 }, () => rng.normalArray(2));
    const r = svgd(target, x0, {
      maxSteps: 2000,
      learningRate: 0.5,
      step: 'plain',
      kernelBackend: 'tensor',
      tol: 1e-4,
    });
    const { m, C } = meanCov(r.particles);
    const S = g2Covariance();
    expect(Math.max(Math.abs(m[0] - mu[0]), Math.abs(m[1] - mu[1]))).toBeLessThan(0.05);
    const diff = Math.hypot(C[0] - S[0], C[1] - S[1], C[2] - S[2], C[3] - S[3]);
    expect(diff / Math.hypot(S[0], S[1], S[2], S[3])).toBeLessThan(0.15);
    // fixed point: Σ_i φ_i = (1/n) Σ_j d_j ∇log p(x_j) = 0 ⇒ Σ_j d_j x_j / Σ_j d_j = μ (Gaussian)
    expect(r.lastStepNorm).toBeLessThan(1e-3);
    const Xm = Matrix.of(r.particles);
    const h = Math.sqrt((0.5 * medianSq(r.particles)) / Math.log(101));
    const K = rbf({ bandwidth: h }).matrix(Xm).data;
    const w = [0, 0];
    let dsum = 0;
    for (let j = 0; j < 100; j++) {
      let dj = 0;
      for (let i = 0; i < 100; i++) dj += K[i * 100 + j];
      dsum += dj;
      for (let c = 0; c < 2; c++) w[c] += dj * r.particles[j][c];
    }
    expect(Math.abs(w[0] / dsum - mu[0])).toBeLessThan(1e-3);
    expect(Math.abs(w[1] / dsum - mu[1])).toBeLessThan(1e-3);
    expect(r.gradientEvaluations).toBe(100 * (r.steps + (r.steps < 2000 ? 1 : 0)));
  });

  it('n = 1 reduces to gradient ascent on log p and converges to the mode', () => {
    const r = svgd(target, [[3, -2]], { maxSteps: 3000, learningRate: 0.5, step: 'plain' });
    expect(r.particles[0][0]).toBeCloseTo(mu[0], 6);
    expect(r.particles[0][1]).toBeCloseTo(mu[1], 6);
  });

  it('a tfjs log-density gives the analytic scores through autodiff (same trajectory to float32 precision)', () => {
    const [a, b, , c] = G2_PRECISION;
    const logDensityTensor = (X: tf.Tensor2D) =>
      tf.tidy(() => {
        const U = tf.sub(X, tf.tensor1d(mu));
        const A = tf.tensor2d([a, b, b, c], [2, 2]);
        return tf.mul(tf.sum(tf.mul(tf.matMul(U, A), U), 1), -0.5);
      });
    const rng = new Rng(2);
    const x0 = Array.from({ length: 10 }, () => rng.normalArray(2));
    const before = tf.memory().numTensors;
    const r1 = svgd({ logDensityTensor }, x0, { maxSteps: 20, learningRate: 0.1, step: 'plain' });
    expect(tf.memory().numTensors).toBe(before);
    const r2 = svgd(target, x0, { maxSteps: 20, learningRate: 0.1, step: 'plain' });
    for (let i = 0; i < 10; i++)
      for (let k = 0; k < 2; k++)
        expect(Math.abs(r1.particles[i][k] - r2.particles[i][k])).toBeLessThan(1e-4);
  });
});

function medianSq(xs: Float64Array[]): number {
  const v: number[] = [];
  for (const x of xs) for (const y of xs) v.push((x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2);
  v.sort((p, q) => p - q);
  const m = v.length;
  return m % 2 ? v[(m - 1) / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}
