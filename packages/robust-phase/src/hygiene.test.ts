/**
 * Behaviour users expect: typed errors naming the argument, no tensor leaks, same seed same bits,
 * tensors and plain arrays accepted, and the float32-tensor products agree with float64.
 */
import { ConvergenceError, Matrix, ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import './tf'; // registers products: 'float32-tensor'
import {
  contaminate,
  makeGaussianProblem,
  medianRWF,
  medianTWF,
  pairDifference,
  relativeError,
  reshapedWF,
  robustBilinearWF,
  robustObjective,
  robustPhaseRetrieval,
  robustWF,
  spectralInit,
  truncatedWF,
  wirtingerFlow,
} from './index';

beforeAll(async () => {
  await ready();
});

const p = makeGaussianProblem({ n: 8, m: 64, seed: 1 });
const solvers = {
  wirtingerFlow,
  truncatedWF,
  medianTWF,
  reshapedWF,
  medianRWF,
  robustWF,
  robustPhaseRetrieval,
};

describe('input validation', () => {
  it.each(Object.entries(solvers))(
    '%s: mismatched shapes, m < n and non-finite values are typed errors naming the argument',
    (_name, solve) => {
      expect(() => solve(p.A, p.y.subarray(0, 10))).toThrow(ShapeError);
      expect(() => solve(p.A, p.y.subarray(0, 10))).toThrow(/y must have length m = 64/);
      const wide = new Matrix(4, 8, new Float64Array(32).fill(1));
      expect(() => solve(wide, [1, 2, 3, 4])).toThrow(/A must have m >= n rows/);
      const badA = new Matrix(64, 8, Float64Array.from(p.A.data));
      badA.data[17] = Number.NaN;
      expect(() => solve(badA, p.y)).toThrow(
        /A must contain only finite numbers, got NaN at row 2, column 1/,
      );
      const badY = Float64Array.from(p.y);
      badY[3] = Number.POSITIVE_INFINITY;
      expect(() => solve(p.A, badY)).toThrow(ValueError);
      expect(() => solve(p.A, p.y, { maxSteps: -1 })).toThrow(/maxSteps/);
      expect(() => solve(p.A, p.y, { x0: [1, 2] })).toThrow(/x0 must have length n = 8/);
    },
  );
  it('η outside [0, 0.5) is a ValueError naming eta', () => {
    expect(() => robustWF(p.A, p.y, { eta: 0.5 })).toThrow(/^eta must be .*0\.5.*, got 0\.5$/);
    expect(() => robustPhaseRetrieval(p.A, p.y, { eta: -0.01 })).toThrow(ValueError);
    expect(() => spectralInit(p.A, p.y, { eta: 0.9 })).toThrow(/eta/);
  });
  it('unknown and renamed options are ValueErrors naming them (maxIter → maxSteps, mu → learningRate)', () => {
    expect(() => wirtingerFlow(p.A, p.y, { maxIter: 10 } as never)).toThrow(
      /maxIter was renamed to maxSteps/,
    );
    expect(() => robustWF(p.A, p.y, { mu: 0.1 } as never)).toThrow(/mu was renamed to learningRate/);
    expect(() => robustPhaseRetrieval(p.A, p.y, { etta: 0.1 } as never)).toThrow(/did you mean eta/);
    expect(() => robustWF(p.A, p.y, { init: { methd: 'random' } } as never)).toThrow(
      /init.methd is not an option/,
    );
    expect(() => robustWF(p.A, p.y, { estimatorOptions: { trimm: 0.1 } } as never)).toThrow(/trimm/);
    expect(() => wirtingerFlow(p.A, p.y, { schedule: { tau: 1 } } as never)).toThrow(/tau/);
  });
  it('seeds may be numbers or strings (same seed, same bits)', () => {
    const a = robustWF(p.A, p.y, { seed: 'alpha', maxSteps: 20 });
    const b = robustWF(p.A, p.y, { seed: 'alpha', maxSteps: 20 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(() => robustWF(p.A, p.y, { seed: Number.NaN })).toThrow(
      /seed must be a finite number or a string/,
    );
  });
  it('unknown option values are named', () => {
    expect(() => robustWF(p.A, p.y, { estimator: 'huber' as 'mean' })).toThrow(/estimator must be one of/);
    expect(() => robustPhaseRetrieval(p.A, p.y, { noise: 'pink' as 'unknown' })).toThrow(
      /noise must be one of/,
    );
    expect(() => spectralInit(p.A, p.y, { method: 'magic' as 'spectral' })).toThrow(/method must be one of/);
    expect(() => robustWF(p.A, p.y, { batching: 'split', batches: 40 })).toThrow(/batches/);
    expect(() => wirtingerFlow(p.A, p.y, { products: 'gpu' as 'auto' })).toThrow(/products must be one of/);
    expect(() => pairDifference(p.A.toArray().slice(0, 12), p.y.subarray(0, 12))).toThrow(/m >= 2·n/);
    expect(() => robustBilinearWF(new Matrix(10, 3), new Matrix(9, 3), new Float64Array(10))).toThrow(
      /V must be 10 × 3/,
    );
  });
  it('divergence is a ConvergenceError, never a silent NaN', () => {
    const q = contaminate(makeGaussianProblem({ n: 16, seed: 2 }), { eta: 0.1, kind: 'big-spike', seed: 1 });
    expect(() => wirtingerFlow(q.A, q.y)).toThrow(ConvergenceError);
  });
});

describe('inputs: plain arrays, typed arrays and tensors give the same answer', () => {
  it('nested arrays and tf tensors are read like a Matrix', () => {
    const ref = wirtingerFlow(p.A, p.y, { maxSteps: 50 });
    const nested = wirtingerFlow(p.A.toArray(), Array.from(p.y), { maxSteps: 50 });
    const At = tf.tensor2d(p.A.toArray());
    const yt = tf.tensor1d(Array.from(p.y));
    const fromTensor = wirtingerFlow(At, yt, { maxSteps: 50 });
    At.dispose();
    yt.dispose();
    expect(Array.from(nested.x)).toEqual(Array.from(ref.x));
    // tensors are float32: same answer to float32 precision
    expect(relativeError(fromTensor.x, ref.x)).toBeLessThan(1e-5);
    expect(robustObjective(p.A, p.y, p.x)).toBe(0);
  });
});

describe('determinism and memory', () => {
  it('same seed, same bits (robust WF with random MOM blocks, bilinear pipeline)', () => {
    const q = contaminate(makeGaussianProblem({ n: 16, seed: 3 }), { eta: 0.05, kind: 'response', seed: 3 });
    const a = robustWF(q.A, q.y, { estimator: 'mom', seed: 5, maxSteps: 40 });
    const b = robustWF(q.A, q.y, { estimator: 'mom', seed: 5, maxSteps: 40 });
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
    const c = robustPhaseRetrieval(q.A, q.y, { noise: 'unknown', seed: 5, maxSteps: 40 });
    const d = robustPhaseRetrieval(q.A, q.y, { noise: 'unknown', seed: 5, maxSteps: 40 });
    expect(Buffer.from(c.x.buffer).equals(Buffer.from(d.x.buffer))).toBe(true);
  });
  it('no tensor leaks across solves, with the float32 tensor products forced', () => {
    const before = tf.memory().numTensors;
    for (const solve of Object.values(solvers)) solve(p.A, p.y, { maxSteps: 5, products: 'float32-tensor' });
    robustPhaseRetrieval(p.A, p.y, { noise: 'unknown', maxSteps: 5, products: 'float32-tensor' });
    spectralInit(p.A, p.y, { method: ['spectral', 'robust-power'], products: 'float32-tensor' });
    expect(() => robustWF(p.A, p.y, { eta: 0.7, products: 'float32-tensor' })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('the three product implementations agree (SIMD and JS loops to float64 rounding, tensor to float32)', () => {
    const q = makeGaussianProblem({ n: 32, seed: 4 });
    const a = wirtingerFlow(q.A, q.y, { products: 'float64', maxSteps: 300 });
    const s = wirtingerFlow(q.A, q.y, { products: 'float64-simd', maxSteps: 300 });
    const b = wirtingerFlow(q.A, q.y, { products: 'float32-tensor', maxSteps: 300 });
    const f = wirtingerFlow(q.A, q.y, { products: 'float32-simd', maxSteps: 300 });
    expect(relativeError(a.x, q.x)).toBeLessThan(1e-6);
    expect(relativeError(s.x, a.x)).toBeLessThan(1e-10);
    expect(relativeError(b.x, q.x)).toBeLessThan(1e-5);
    expect(relativeError(f.x, q.x)).toBeLessThan(1e-5);
  });
});
