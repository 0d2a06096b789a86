/**
 * Noiseless recovery of the classical baselines at n = 64, m = 8n (thresholds from the reference
 * notes §5.2: WF/TWF/median-TWF < 1e-6, RWF < 1e-5) and the spectral start's quality.
 */
import { Matrix, eigh } from '@descent/tensor';
import {
  absCosine,
  makeGaussianProblem,
  medianRWF,
  medianTWF,
  relativeError,
  reshapedWF,
  spectralInit,
  truncatedWF,
  wirtingerFlow,
} from './index';

const n = 64;
const seeds = [1, 2, 3, 4, 5];
const problems = seeds.map((seed) => makeGaussianProblem({ n, m: 8 * n, seed }));

describe('noiseless recovery, n = 64, m = 8n, seeds 1–5', () => {
  // The notes' oracle (measured with a numpy RNG) fails here on seed 4: see the stability test below.
  // Kept as a documented known failure, not skipped, not loosened.
  it.failing('Wirtinger Flow (schedule τ0 = 330, μ_max = 0.2, ≤ 1500 iterations) reaches relErr < 1e-6 on every seed', () => {
    for (const p of problems) expect(relativeError(wirtingerFlow(p.A, p.y).x, p.x)).toBeLessThan(1e-6);
  });

  it('WF with μ_max = 0.2 recovers (< 1e-6) exactly on the seeds where it is locally stable: λmax(∇²f(x))·μ_max/‖z0‖² < 2', () => {
    // Real Gaussian data: ∇²f(x) = (1/m) Σ 2(a_iᵀx)² a_i a_iᵀ has population eigenvalues 6‖x‖², 2‖x‖², but at
    // m = 8n its top eigenvalue fluctuates up to ~11; beyond 2‖z0‖²/μ_max the iteration 2-cycles around x.
    let unstable = 0;
    for (const p of problems) {
      const H = new Float64Array(n * n);
      for (let i = 0; i < p.m; i++) {
        let ax = 0;
        for (let j = 0; j < n; j++) ax += p.A.get(i, j) * p.x[j];
        const c = (2 * ax * ax) / p.m;
        for (let a = 0; a < n; a++)
          for (let b = 0; b < n; b++) H[a * n + b] += c * p.A.get(i, a) * p.A.get(i, b);
      }
      const { values } = eigh(new Matrix(n, n, H));
      const r = wirtingerFlow(p.A, p.y, { xTrue: p.x });
      const s2 = r.x0.reduce((s, v) => s + v * v, 0);
      const stable = (values[n - 1] * 0.2) / s2 < 2;
      if (stable) {
        expect(relativeError(r.x, p.x)).toBeLessThan(1e-6);
        expect(r.converged).toBe(true);
        expect(r.history[r.history.length - 1].objective).toBeLessThan(1e-6);
        expect(r.history[0].relErr).toBeGreaterThan(r.history[r.history.length - 1].relErr as number);
      } else {
        unstable++;
        expect(relativeError(r.x, p.x)).toBeGreaterThan(1e-3);
        expect(r.converged).toBe(false);
      }
    }
    expect(unstable).toBeLessThanOrEqual(1);
  });

  it('WF with μ_max = 0.15 recovers every seed (< 1e-6)', () => {
    for (const p of problems)
      expect(relativeError(wirtingerFlow(p.A, p.y, { schedule: { muMax: 0.15 } }).x, p.x)).toBeLessThan(1e-6);
  });
  it('TWF and median-TWF reach relErr < 1e-6', () => {
    for (const p of problems) {
      expect(relativeError(truncatedWF(p.A, p.y).x, p.x)).toBeLessThan(1e-6);
      expect(relativeError(medianTWF(p.A, p.y).x, p.x)).toBeLessThan(1e-6);
    }
  });
  it('RWF and median-RWF reach relErr < 1e-5', () => {
    for (const p of problems) {
      expect(relativeError(reshapedWF(p.A, p.y).x, p.x)).toBeLessThan(1e-5);
      expect(relativeError(medianRWF(p.A, p.y).x, p.x)).toBeLessThan(1e-5);
    }
  });
});

describe('spectral initialisation, noiseless n = 64, m = 8n', () => {
  it('|cos(z0, x)| ≥ 0.6 and the norm estimate is within 10% of ‖x‖ = 1', () => {
    for (const p of problems) {
      const s = spectralInit(p.A, p.y, { method: 'spectral' });
      expect(absCosine(s.z0, p.x)).toBeGreaterThanOrEqual(0.6);
      expect(Math.abs(s.normEstimate - 1)).toBeLessThan(0.1);
    }
  });
  it('with several methods, the candidate with the smallest robust objective is kept', () => {
    const p = problems[0];
    const s = spectralInit(p.A, p.y, { method: ['spectral', 'random', 'median-truncated'] });
    expect(s.candidates).toHaveLength(3);
    expect(s.objective).toBe(Math.min(...s.candidates.map((c) => c.objective)));
    expect(s.method).not.toBe('random');
  });
  it('the eigengap norm estimate √((λ1 − λ2)/2) survives an unknown offset of y (n = 8, m = 20000)', () => {
    // population: E[(y + c) a aᵀ] = (‖x‖² + c)I + 2xxᵀ, so λ1 − λ2 = 2‖x‖² for any offset c
    const p = makeGaussianProblem({ n: 8, m: 20000, seed: 6 });
    const shifted = Float64Array.from(p.y, (v) => v + 3);
    const mean = spectralInit(p.A, shifted, {
      method: 'spectral',
      norm: 'mean',
      powerIters: 200,
    }).normEstimate;
    const gap = spectralInit(p.A, shifted, {
      method: 'spectral',
      norm: 'eiggap',
      powerIters: 200,
    }).normEstimate;
    expect(Math.abs(mean - 2)).toBeLessThan(0.1); // √(‖x‖² + 3)
    expect(Math.abs(gap - 1)).toBeLessThan(0.1);
  });
});
