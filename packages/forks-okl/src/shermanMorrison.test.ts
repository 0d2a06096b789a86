import { Matrix, Rng, inv } from '@descent/tensor';
import { ShermanMorrisonInverse } from './shermanMorrison';
import { maxAbs, maxAbsDiff } from './testUtils';

describe('ShermanMorrisonInverse', () => {
  it('equals the explicit inverse of αI + Σ uuᵀ to 1e-10 relative', () => {
    const rng = new Rng(3);
    const k = 12;
    const alpha = 0.01;
    const sm = new ShermanMorrisonInverse(k, alpha);
    const A = Matrix.identity(k);
    for (let i = 0; i < A.data.length; i++) A.data[i] *= alpha;
    for (let t = 0; t < 40; t++) {
      const u = rng.normalArray(k);
      sm.update(u);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A.data[i * k + j] += u[i] * u[j];
    }
    const explicit = inv(A).data;
    expect(maxAbsDiff(sm.data, explicit)).toBeLessThan(1e-10 * maxAbs(explicit));
  });
});
