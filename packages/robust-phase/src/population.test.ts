/**
 * Population identities of the model (a ~ N(0, I)), checked by Monte Carlo with n = 8, m = 200k,
 * plus finite-difference checks of the two gradients.
 */
import { type Matrix, Rng, fdGrad, maxRelativeError } from '@descent/tensor';
import {
  bilinearGradient,
  bilinearLoss,
  makeGaussianProblem,
  pairDifference,
  wfGradient,
  wfLoss,
  wfPopulationGradient,
} from './index';

const n = 8;
const m = 200_000;
const big = makeGaussianProblem({ n, m, seed: 11 });
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, a) => s + a * a, 0));

describe('population identities (Monte Carlo, n = 8, m = 200k)', () => {
  it('the mean WF gradient at a random z is (3‖z‖² − ‖x‖²)z − 2(xᵀz)x within 2%', () => {
    const z = new Rng(3).normalArray(n, 0, 0.5);
    const g = wfGradient(big.A, big.y, z);
    const pop = wfPopulationGradient(big.x, z);
    const diff = Float64Array.from(g, (v, j) => v - pop[j]);
    expect(norm(diff) / norm(pop)).toBeLessThan(0.02);
  });

  it('(1/m) Σ y a aᵀ ≈ ‖x‖²I + 2xxᵀ (Frobenius error < 0.05)', () => {
    const S = new Float64Array(n * n);
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let p = 0; p < n; p++)
        for (let q = 0; q < n; q++) S[p * n + q] += (big.y[i] * big.A.data[o + p] * big.A.data[o + q]) / m;
    }
    let err = 0;
    for (let p = 0; p < n; p++)
      for (let q = 0; q < n; q++) err += (S[p * n + q] - ((p === q ? 1 : 0) + 2 * big.x[p] * big.x[q])) ** 2;
    expect(Math.sqrt(err)).toBeLessThan(0.05);
  });

  it('the pair-difference matrix (1/m′) Σ ỹ (uvᵀ + vuᵀ)/2 ≈ 2xxᵀ even when the noise mean is 5', () => {
    const shifted = Float64Array.from(big.y, (v) => v + 5);
    const { U, V, yTilde } = pairDifference(big.A, shifted, 1);
    const mp = U.rows;
    const M = new Float64Array(n * n);
    for (let i = 0; i < mp; i++) {
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) {
          M[p * n + q] +=
            (yTilde[i] * (U.data[i * n + p] * V.data[i * n + q] + V.data[i * n + p] * U.data[i * n + q])) /
            (2 * mp);
        }
      }
    }
    let err = 0;
    for (let p = 0; p < n; p++)
      for (let q = 0; q < n; q++) err += (M[p * n + q] - 2 * big.x[p] * big.x[q]) ** 2;
    // same Monte Carlo scale as above with half the samples
    expect(Math.sqrt(err)).toBeLessThan(0.05 * Math.SQRT2);
  });

  it('pair differences satisfy ỹ = 2(uᵀx)(vᵀx) exactly without noise', () => {
    const p = makeGaussianProblem({ n: 5, m: 40, seed: 2 });
    const { U, V, yTilde } = pairDifference(p.A, p.y, 3);
    for (let i = 0; i < U.rows; i++) {
      let ux = 0;
      let vx = 0;
      for (let j = 0; j < 5; j++) {
        ux += U.get(i, j) * p.x[j];
        vx += V.get(i, j) * p.x[j];
      }
      expect(yTilde[i]).toBeCloseTo(2 * ux * vx, 10);
    }
  });
});

describe('gradients match finite differences', () => {
  const p = makeGaussianProblem({ n: 6, m: 50, seed: 5, noise: { kind: 'gauss', scale: 0.3 } });
  const z = new Rng(9).normalArray(6);
  it('WF gradient', () => {
    const fd = fdGrad((w) => wfLoss(p.A, p.y, w), z);
    expect(maxRelativeError(wfGradient(p.A, p.y, z), fd)).toBeLessThan(1e-6);
  });
  it('bilinear gradient', () => {
    const { U, V, yTilde } = pairDifference(p.A, p.y, 1);
    const fd = fdGrad((w) => bilinearLoss(U as Matrix, V as Matrix, yTilde, w), z);
    expect(maxRelativeError(bilinearGradient(U, V, yTilde, z), fd)).toBeLessThan(1e-6);
  });
});
