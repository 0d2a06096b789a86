import { ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { type ParamTree, disposeTree, flattenTree, treeNorm } from '@descent/nn';
import { asamPerturbation, perturbation, samPerturbation, usamPerturbation } from './perturbation';

beforeAll(async () => {
  await ready();
});

const tree = (a: number[], b: number[]): ParamTree => ({
  g0: { a: tf.tensor1d(a) },
  g1: { b: tf.tensor1d(b) },
});

describe('perturbation formulas (sam-dynamics.md §6.2 item 1)', () => {
  it('SAM: g = ([3], [4]) in two tensors, ρ = 0.05 → ε = (0.03, 0.04): the norm is global over the tree', () => {
    const g = tree([3], [4]);
    const before = tf.memory().numTensors;
    const e = samPerturbation(g, { rho: 0.05 });
    const flat = flattenTree(e);
    expect(flat[0]).toBeCloseTo(0.03, 7);
    expect(flat[1]).toBeCloseTo(0.04, 7);
    expect(treeNorm(e)).toBeCloseTo(0.05, 7);
    disposeTree(e);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(g);
  });

  it('ASAM: w = [1, 2], g = [3, 4], offset 0 → ε = ρ·[3, 16]/√73 (T²g/‖Tg‖ with T = |w|)', () => {
    const g: ParamTree = { l: { w: tf.tensor1d([3, 4]) } };
    const w: ParamTree = { l: { w: tf.tensor1d([1, 2]) } };
    const e = asamPerturbation(g, w, { rho: 0.5, offset: 0 });
    const flat = flattenTree(e);
    expect(flat[0]).toBeCloseTo((0.5 * 3) / Math.sqrt(73), 6);
    expect(flat[1]).toBeCloseTo((0.5 * 16) / Math.sqrt(73), 6);
    // with the paper's offset T = |w| + 0.01
    const e2 = asamPerturbation(g, w, { rho: 0.5, offset: 0.01 });
    const T = [1.01, 2.01];
    const nrm = Math.hypot(T[0] * 3, T[1] * 4);
    expect(flattenTree(e2)[1]).toBeCloseTo((0.5 * T[1] * T[1] * 4) / nrm, 6);
    disposeTree(e);
    disposeTree(e2);
    disposeTree(g);
    disposeTree(w);
  });

  it('USAM: ε = ρ·g, unnormalised', () => {
    const g = tree([3], [4]);
    const e = usamPerturbation(g, { rho: 0.1 });
    expect(Array.from(flattenTree(e)).map((v) => +v.toFixed(6))).toEqual([0.3, 0.4]);
    disposeTree(e);
    disposeTree(g);
  });

  it.each(['sam', 'asam', 'usam'] as const)('%s: a zero gradient gives ε = 0, no NaN', (mode) => {
    const g = tree([0, 0], [0]);
    const w = tree([0, 1], [2]);
    const p = perturbation(mode, g, w, { rho: 0.1 });
    expect(Array.from(flattenTree(p.epsilon))).toEqual([0, 0, 0]);
    expect(p.epsNorm).toBe(0);
    expect(p.gradNorm).toBe(0);
    disposeTree(p.epsilon);
    disposeTree(g);
    disposeTree(w);
  });

  it('ASAM: a zero weight with offset 0 gets no perturbation (davda54 variant)', () => {
    const g: ParamTree = { l: { w: tf.tensor1d([3, 4]) } };
    const w: ParamTree = { l: { w: tf.tensor1d([0, 2]) } };
    const e = asamPerturbation(g, w, { rho: 1, offset: 0 });
    const f = flattenTree(e);
    expect(f[0]).toBe(0);
    // T = [0, 2], Tg = [0, 8], T²g = [0, 16]: ε = ρ·16/8 = 2; ‖T⁻¹ε‖ = ρ on the support
    expect(f[1]).toBeCloseTo(2, 6);
    disposeTree(e);
    disposeTree(g);
    disposeTree(w);
  });

  it('bad input: typed errors naming the argument', () => {
    const g = tree([1], [2]);
    const bad = tree([Number.NaN], [1]);
    expect(() => usamPerturbation(g, {})).toThrow(ValueError);
    expect(() => usamPerturbation(g, {})).toThrow(/rho is required/);
    expect(() => samPerturbation(g, { rho: -1 })).toThrow(/rho must be/);
    expect(() => samPerturbation(bad)).toThrow(/grads must be finite/);
    expect(() => perturbation('sharp' as never, g, undefined)).toThrow(/mode must be one of/);
    expect(() => perturbation('asam', g, undefined)).toThrow(/params is required/);
    expect(() => samPerturbation({ a: [1] } as never)).toThrow(ShapeError);
    const other: ParamTree = { g0: { a: tf.tensor1d([1, 2]) }, g1: { b: tf.tensor1d([1]) } };
    expect(() => asamPerturbation(g, other)).toThrow(/params\.g0\.a must have shape/);
    disposeTree(g);
    disposeTree(bad);
    disposeTree(other);
  });
});
