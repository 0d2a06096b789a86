/**
 * Bad input of the helpers the fuzz suite found accepting it (tooling/fuzz): each is now a typed
 * error naming the argument; the valid calls next to them pin the behaviour that stays.
 */
import { DescentError, ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { type ParamTree, disposeState, disposeTree, sgd } from '@descent/nn';
import { treeDistance } from './escape';
import { resolveRho } from './perturbation';
import { resetBuffers } from './resetBuffers';
import { sharpnessMetrics } from './sharpness';
import { switchSchedule } from './switchSchedule';
import { quadraticTree } from './testing';
import { quadraticToy } from './toys/quadratic';
import { perturbVector } from './toys/simulateToy';

beforeAll(async () => {
  await ready();
});

const argumentOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof DescentError) return e.argument;
    throw e;
  }
  return undefined;
};

describe('bad input of the helpers (typed errors naming the argument)', () => {
  it('treeDistance: trees of the same structure with finite entries', () => {
    const a: ParamTree = { l: { w: tf.tensor1d([1, 2]) } };
    const b: ParamTree = { l: { w: tf.tensor1d([4, 6]) } };
    const c: ParamTree = { l: { w: tf.tensor1d([1, 2, 3]) } };
    const n: ParamTree = { l: { w: tf.tensor1d([1, Number.NaN]) } };
    const before = tf.memory().numTensors;
    expect(treeDistance(a, b)).toBeCloseTo(5, 6);
    expect(argumentOf(() => treeDistance([1, 2] as never, b))).toBe('a');
    expect(argumentOf(() => treeDistance(a, null as never))).toBe('b');
    expect(() => treeDistance(a, c)).toThrow(ShapeError);
    expect(argumentOf(() => treeDistance(a, n))).toBe('b');
    expect(argumentOf(() => treeDistance(n, a))).toBe('a');
    expect(tf.memory().numTensors).toBe(before);
    [a, b, c, n].forEach(disposeTree);
  });

  it('resetBuffers: zeroes tensors, keeps counters; a non-state or a non-finite counter is a ValueError', () => {
    const params: ParamTree = { l: { w: tf.tensor1d([1, 2]) } };
    const opt = sgd({ learningRate: 0.1, momentum: 0.9 });
    const s0 = opt.init(params);
    const state = { base: s0, count: 7 };
    const r = resetBuffers(state);
    expect(r.count).toBe(7);
    const tensors: tf.Tensor[] = [];
    JSON.stringify(r.base, (_k, v) => {
      if (v instanceof tf.Tensor) {
        tensors.push(v);
        return null;
      }
      return v;
    });
    expect(tensors.length).toBeGreaterThan(0); // the momentum trace
    for (const t of tensors) expect(Array.from(t.dataSync())).toEqual([0, 0]);
    expect(resetBuffers({})).toEqual({});
    for (const bad of [null, Number.NaN, 'abc', 42, [], tf.scalar(1)]) {
      expect(argumentOf(() => resetBuffers(bad))).toBe('state');
      if (bad instanceof tf.Tensor) bad.dispose();
    }
    expect(argumentOf(() => resetBuffers({ count: Number.NaN }))).toBe('state.count');
    disposeState(r);
    disposeState(s0);
    disposeTree(params);
  });

  it('SwitchSchedule.isSwitch checks the step like active()', () => {
    const s = switchSchedule({ totalSteps: 10, at: { step: 5 } });
    expect(s.isSwitch(5)).toBe(true);
    expect(s.isSwitch(4)).toBe(false);
    for (const bad of [null, 42, 10, -1, 2.5, Number.NaN])
      expect(argumentOf(() => s.isSwitch(bad as never))).toBe('step');
  });

  it('perturbVector: the float64 perturbation of each mode, with checked inputs', () => {
    expect(Array.from(perturbVector('sam', [3, 4], [0, 0], 0.05))).toEqual([
      expect.closeTo(0.03, 12),
      expect.closeTo(0.04, 12),
    ]);
    expect(Array.from(perturbVector('usam', [3, 4], [0, 0], 0.1))).toEqual([
      expect.closeTo(0.3, 12),
      expect.closeTo(0.4, 12),
    ]);
    const a = perturbVector('asam', [3, 4], [1, 2], 0.5, 0);
    expect(a[1]).toBeCloseTo((0.5 * 16) / Math.sqrt(73), 12);
    expect(Array.from(perturbVector('sam', [0, 0], [1, 1], 0.05))).toEqual([0, 0]);
    expect(argumentOf(() => perturbVector('adam' as never, [1], [1], 0.1))).toBe('mode');
    expect(argumentOf(() => perturbVector('sam', null as never, [1], 0.1))).toBe('g');
    expect(argumentOf(() => perturbVector('sam', [1, Number.NaN], [1, 1], 0.1))).toBe('g');
    expect(argumentOf(() => perturbVector('sam', [1, 2], [1], 0.1))).toBe('w');
    expect(argumentOf(() => perturbVector('sam', [1], [1], Number.NaN))).toBe('rho');
    expect(argumentOf(() => perturbVector('asam', [1], [1], 0.1, -1))).toBe('offset');
  });

  it('quadraticToy, resolveRho, sharpnessMetrics options', () => {
    expect(quadraticToy([1, -2]).topEigenvalue(new Float64Array(2))).toBe(1);
    expect(() => quadraticToy([1, null, 2] as never)).toThrow(ValueError);
    expect(argumentOf(() => quadraticToy([1, null, 2] as never))).toBe('lambdas');
    expect(argumentOf(() => quadraticToy([]))).toBe('lambdas');
    expect(resolveRho('sam', undefined)).toBe(0.05);
    expect(argumentOf(() => resolveRho('usam', undefined))).toBe('rho');
    expect(argumentOf(() => resolveRho('usam', 0.1, null as never))).toBe('name');
    expect(argumentOf(() => resolveRho('bogus' as never, undefined))).toBe('mode');
    const q = quadraticTree([[2]]);
    const p = q.params([1]);
    expect(argumentOf(() => sharpnessMetrics(q.f, p, null as never))).toBe('options');
    disposeTree(p);
    q.dispose();
  });
});
