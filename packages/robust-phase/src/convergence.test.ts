/**
 * Stopping rules that work in float32 and float64, divergence handled where it happens, and error
 * messages that match the function that raises them.
 */
import { ConvergenceError, Matrix, ValueError } from '@descent/tensor';
import {
  FLOAT32_PRODUCTS_THRESHOLD,
  attackFamily,
  contaminate,
  makeGaussianProblem,
  medianTWF,
  relativeError,
  robustPhaseRetrieval,
  robustWF,
  wirtingerFlow,
} from './index';

describe('convergence is reported in float32 and in float64', () => {
  it('WF with float32 products (the default at m·n ≥ 131072, n = 128) converges at the rounding floor, long before 1500 steps', () => {
    const p = makeGaussianProblem({ n: 128, seed: 5 });
    expect(p.m * p.n).toBeGreaterThanOrEqual(FLOAT32_PRODUCTS_THRESHOLD);
    for (const products of ['auto', 'float32-simd'] as const) {
      const r = wirtingerFlow(p.A, p.y, { products });
      expect(r.converged).toBe(true);
      expect(r.stopReason).toBe('converged');
      expect(r.steps).toBeLessThan(600);
      expect(relativeError(r.x, p.x)).toBeLessThan(1e-6);
    }
    // float64 products meet tol = 1e-10 itself
    const f64 = wirtingerFlow(p.A, p.y, { products: 'float64-simd' });
    expect(f64.converged).toBe(true);
    expect(relativeError(f64.x, p.x)).toBeLessThan(1e-8);
  });

  it('robust WF reports convergence on clean data (n = 64: BB steps, well under 500 iterations)', () => {
    const p = makeGaussianProblem({ n: 64, seed: 6 });
    const r = robustWF(p.A, p.y);
    expect(r.converged).toBe(true);
    for (const c of r.candidates ?? []) expect(c.steps).toBeLessThan(250);
    expect(relativeError(r.x, p.x)).toBeLessThan(1e-6);
  });

  it('a robust WF that cycles at the noise floor stops as tolStagnation, not after maxSteps', () => {
    const a = attackFamily().find((f) => f.name === 'spike/aligned/identical/consistent');
    const clean = makeGaussianProblem({ n: 32, seed: 1, noise: { kind: 'student', scale: 0.1 } });
    const p = contaminate(clean, { eta: 0.05, kind: 'spike', spike: a?.spike, seed: 1 });
    const r = robustWF(p.A, p.y, { init: { method: 'median-truncated' } });
    expect(r.stopReason).toBe('tolStagnation');
    expect(r.converged).toBe(false);
    expect(r.steps).toBeLessThan(300);
    expect(relativeError(r.x, p.x)).toBeLessThan(0.06);
  });
});

describe('errors say where they come from', () => {
  it('WF diverging on corrupted data names wirtingerFlow and points to the robust entry point', () => {
    const q = contaminate(makeGaussianProblem({ n: 16, seed: 2 }), { eta: 0.1, kind: 'big-spike', seed: 1 });
    expect(() => wirtingerFlow(q.A, q.y)).toThrow(ConvergenceError);
    expect(() => wirtingerFlow(q.A, q.y)).toThrow(/^wirtingerFlow diverged .*robustPhaseRetrieval/);
  });
  it('robustWF, when every start diverges, names itself and eta, and does not advise "a robust method"', () => {
    const a = attackFamily().find((f) => f.name === 'spike/orthogonal/identical/decoy+R');
    const p = contaminate(makeGaussianProblem({ n: 64, seed: 1 }), {
      eta: 0.1,
      kind: 'spike',
      spike: a?.spike,
      seed: 1,
    });
    let err: unknown = null;
    try {
      robustWF(p.A, p.y, { eta: 0.01 });
    } catch (e) {
      err = e;
    }
    if (err) {
      expect(err).toBeInstanceOf(ConvergenceError);
      expect((err as ConvergenceError).message).toMatch(/^robustWF diverged/);
      expect((err as ConvergenceError).message).not.toMatch(/use a robust method/);
      expect((err as ConvergenceError).argument).toBe('eta');
    }
    // the entry point drops the diverged starts and still recovers x
    expect(relativeError(robustPhaseRetrieval(p.A, p.y, { eta: 0.01 }).x, p.x)).toBeLessThan(1e-6);
  });
  it('all-zero measurements give the exact solution x = 0; mostly-zero ones a ValueError naming y (not the step size)', () => {
    const A = makeGaussianProblem({ n: 8, seed: 3 }).A;
    const zero = new Float64Array(A.rows);
    for (const solve of [wirtingerFlow, medianTWF, robustWF, robustPhaseRetrieval]) {
      const r = solve(A, zero);
      expect(Array.from(r.x)).toEqual(new Array(8).fill(0));
      expect(r.converged).toBe(true);
    }
    const mostly = Float64Array.from(zero, (_, i) => (i % 3 === 0 ? 1 : 0));
    let err: unknown;
    try {
      robustWF(A, mostly);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValueError);
    expect((err as ValueError).argument).toBe('y');
    expect((err as ValueError).message).toMatch(/norm estimate of x is 0/);
    expect(() => robustPhaseRetrieval(new Matrix(A.rows, 8, A.data), mostly)).toThrow(ValueError);
  });
});
