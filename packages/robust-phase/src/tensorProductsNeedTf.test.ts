/**
 * The main entry loads no tfjs: `products: 'float32-tensor'` is only available after
 * `import '@descent/robust-phase/tf'`, and says so with a typed error naming the option.
 */
import { NotSupportedError } from '@descent/tensor';
import { makeGaussianProblem, wirtingerFlow } from './index';

describe('products: float32-tensor without @descent/robust-phase/tf', () => {
  it('throws NotSupportedError naming products and the import to add', () => {
    const p = makeGaussianProblem({ n: 4, m: 32, seed: 1 });
    let err: unknown;
    try {
      wirtingerFlow(p.A, p.y, { products: 'float32-tensor', maxSteps: 2 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).argument).toBe('products');
    expect((err as Error).message).toMatch(/@descent\/robust-phase\/tf/);
  });

  it('the float64 products still work (no tfjs loaded by this test file)', () => {
    const p = makeGaussianProblem({ n: 4, m: 64, seed: 2 });
    const r = wirtingerFlow(p.A, p.y, { products: 'float64', maxSteps: 50 });
    expect(r.x.length).toBe(4);
  });
});
