import { disableKernelThreads, enableKernelThreads } from '@descent/tensor';
import { relativeError } from './metrics';
import { makeGaussianProblem } from './problem';
import { robustPhaseRetrieval } from './robustPhaseRetrieval';
import { wirtingerFlow } from './wirtingerFlow';

/**
 * With @descent/tensor's kernel threads on, the 'float64-simd' operator's products are split
 * between two threads (n·m ≥ 65536 here): the solvers reach the same iterates up to the last bits
 * of the partial-gradient summation, every solve returns its shared memory, and the bits do not
 * depend on which thread ran which part (same result twice).
 */
describe('solvers with kernel threads', () => {
  beforeAll(() => expect(enableKernelThreads()).toBe(true));
  afterAll(() => disableKernelThreads());

  it('wirtingerFlow and robustPhaseRetrieval match the single-threaded operator', () => {
    const p = makeGaussianProblem({ n: 64, m: 8 * 64 * 2, seed: 3 });
    const opts = { products: 'float64-simd' as const, maxSteps: 300 };
    const threaded = wirtingerFlow(p.A, p.y, opts);
    const again = wirtingerFlow(p.A, p.y, opts);
    expect(Array.from(again.x)).toEqual(Array.from(threaded.x));
    const robust = robustPhaseRetrieval(p.A, p.y, { products: 'float64-simd', seed: 1 });
    disableKernelThreads();
    const single = wirtingerFlow(p.A, p.y, opts);
    const robustSingle = robustPhaseRetrieval(p.A, p.y, { products: 'float64-simd', seed: 1 });
    expect(enableKernelThreads()).toBe(true);
    let d = 0;
    let s = 0;
    for (let j = 0; j < 64; j++) {
      d = Math.max(d, Math.abs(threaded.x[j] - single.x[j]));
      s = Math.max(s, Math.abs(single.x[j]));
    }
    expect(d / s).toBeLessThan(1e-10);
    expect(relativeError(robust.x, p.x)).toBeLessThan(1e-6);
    let dr = 0;
    for (let j = 0; j < 64; j++) dr = Math.max(dr, Math.abs(robust.x[j] - robustSingle.x[j]));
    expect(dr).toBeLessThan(1e-8);
  });
});
