/**
 * The main entry loads no tfjs: the tensor paths (`kernelBackend: 'tensor'`, `logDensityTensor`
 * targets) need `import '@descent/stein-es/tf'` and say so with a typed error naming the option.
 */
import { NotSupportedError } from '@descent/tensor';
import { SVCMAES, svgd } from './index';

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('tensor paths without @descent/stein-es/tf', () => {
  it("kernelBackend: 'tensor' throws NotSupportedError naming kernelBackend", () => {
    const es = new SVCMAES({ means0: { lower: -1, upper: 1, count: 3, dim: 2 }, popSize: 4, seed: 1, kernelBackend: 'tensor' });
    const err = errorOf(() => {
      const xs = es.ask();
      es.tell(xs, xs.map((x) => x[0] ** 2 + x[1] ** 2));
    });
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).argument).toBe('kernelBackend');
    expect((err as Error).message).toMatch(/@descent\/stein-es\/tf/);
  });

  it('a logDensityTensor target throws NotSupportedError naming target', () => {
    const err = errorOf(() =>
      svgd({ logDensityTensor: (X) => X }, [[0, 0], [1, 1]], { maxSteps: 1 }),
    );
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).argument).toBe('target');
  });

  it('the float64 paths work without tfjs', () => {
    const r = svgd({ gradLogP: (x) => x.map((v) => -v) }, [[0.5, 0], [-0.5, 0.2]], { maxSteps: 5 });
    expect(r.particles.length).toBe(2);
  });
});
