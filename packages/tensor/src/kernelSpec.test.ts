import { ValueError } from './errors';
import { imq, medianHeuristic, rbf } from './kernels';
import {
  kernelAt,
  kernelGram,
  kernelRow,
  kernelValue,
  radialKernel,
  readKernelSpec,
  resolveKernelSpec,
} from './kernelSpec';
import { Rng } from './rng';

const rng = new Rng('kernelSpec');
const X = Array.from({ length: 6 }, () => Array.from(rng.normalArray(3)));
const flat = Float64Array.from(X.flat());

describe('kernel spec: one parametrisation, validated', () => {
  it('the rbf spec evaluates exactly as rbf({ bandwidth }) and the imq spec as imq()', () => {
    const k = rbf({ bandwidth: 0.7 });
    const q = imq({ c: 2, beta: -0.3 });
    for (let i = 0; i < 6; i++) {
      expect(kernelAt({ type: 'rbf', bandwidth: 0.7 }, flat, i, flat, 0, 3)).toBe(k.value(X[i], X[0]));
      expect(kernelAt({ type: 'imq', c: 2, beta: -0.3 }, flat, i, flat, 0, 3)).toBeCloseTo(
        q.value(X[i], X[0]),
        15,
      );
    }
    expect(radialKernel({ type: 'rbf', bandwidth: 0.7 }).matrix(X).data).toEqual(k.matrix(X).data);
  });

  it('Gram matrices are symmetric, kernel rows match them, linear and polynomial by definition', () => {
    const poly = resolveKernelSpec({ type: 'polynomial', degree: 2 });
    const G = kernelGram(poly, flat, 6, 3);
    const row = kernelRow(poly, flat, 6, 3, X[2]);
    for (let i = 0; i < 6; i++) {
      expect(row[i]).toBe(G[i * 6 + 2]);
      const dot = X[i].reduce((s, v, c) => s + v * X[2][c], 0);
      expect(row[i]).toBeCloseTo((dot + 1) ** 2, 12);
      expect(kernelValue({ type: 'linear' }, X[i], X[2])).toBeCloseTo(dot, 14);
    }
  });

  it("'median' resolves to the SVGD median heuristic over the points (h = 1 for one point)", () => {
    expect(resolveKernelSpec({ type: 'rbf', bandwidth: 'median' }, X)).toEqual({
      type: 'rbf',
      bandwidth: medianHeuristic(X),
    });
    expect(resolveKernelSpec({ type: 'rbf', bandwidth: 'median' }, [X[0]])).toEqual({
      type: 'rbf',
      bandwidth: 1,
    });
    expect(() => resolveKernelSpec({ type: 'rbf', bandwidth: 'median' })).toThrow(ValueError);
  });

  it('bad specs are ValueErrors naming the field; the old sigma/std spellings say the new one', () => {
    expect(() => readKernelSpec({ type: 'rbf', bandwidth: -1 })).toThrow(
      new ValueError('kernel.bandwidth must be > 0, got -1'),
    );
    expect(() => readKernelSpec({ type: 'rbf' })).toThrow('kernel.bandwidth is required');
    expect(() => readKernelSpec({ type: 'gaussian', sigma: 2 })).toThrow(
      "pass { type: 'rbf', bandwidth: 2 }",
    );
    expect(() => readKernelSpec({ std: 1 }, 'options.kernel')).toThrow(
      /options.kernel: the Gaussian kernel is/,
    );
    expect(() => readKernelSpec({ type: 'polynomial', degree: 1.5 })).toThrow(
      'kernel.degree must be an integer >= 1, got 1.5',
    );
    expect(() => readKernelSpec({ type: 'linear' }, 'kernel', { types: ['rbf', 'imq'] })).toThrow(
      `kernel.type must be one of 'rbf', 'imq'`,
    );
    expect(() => readKernelSpec(null)).toThrow(ValueError);
    expect(() => radialKernel({ type: 'linear' })).toThrow(ValueError);
    expect(readKernelSpec({ type: 'imq' })).toEqual({ type: 'imq', c: 1, beta: -0.5 });
  });

  it('specs are plain JSON: a spec survives JSON.stringify/parse unchanged', () => {
    for (const s of [
      { type: 'rbf', bandwidth: 0.25 },
      { type: 'imq', c: 1, beta: -0.5 },
      { type: 'polynomial', degree: 3, gamma: 2, coef0: 0 },
    ]) {
      expect(readKernelSpec(JSON.parse(JSON.stringify(s)))).toEqual(s);
    }
  });
});
