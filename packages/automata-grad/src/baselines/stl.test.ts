import { NotSupportedError, Rng } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { box } from '../predicate';
import { type Stl, stl, stlHolds, stlRobustness, stlRobustnessValue } from './stl';

beforeAll(async () => {
  await ready();
});

const a = box([0.6, 0.0], [1.0, 0.4], { name: 'a' });
const b = box([0.6, 0.6], [1.0, 1.0], { name: 'b' });
const o = box([0.35, 0.35], [0.65, 0.65], { name: 'o' });
const P = stl.pred;

const formulas: [string, Stl][] = [
  ['reach-avoid', stl.and(stl.eventually(P(b)), stl.always(stl.not(P(o))))],
  ['sequence', stl.eventually(stl.and(P(a), stl.eventually(P(b))))],
  ['bounded windows', stl.or(stl.eventually(P(a), [2, 5]), stl.always(stl.not(P(o)), [1, 3]))],
  ['until', stl.until(stl.not(P(o)), P(b))],
  ['bounded until', stl.until(stl.not(P(o)), P(a), [1, 6])],
];

function trajectory(seed: number, T: number): number[][] {
  const r = new Rng(seed);
  let x = [r.uniform(), r.uniform()];
  return Array.from({ length: T }, () => {
    x = [x[0] + 0.15 * (r.uniform() - 0.5), x[1] + 0.15 * (r.uniform() - 0.5)];
    return x;
  });
}

describe('STL robustness: mask = recurrent = exact (hard), smooth → hard as τ → 0', () => {
  it.each(formulas)('%s', (name, f) => {
    for (let s = 0; s < 4; s++) {
      const xs = trajectory(s, 12);
      const exact = stlRobustnessValue(f, xs);
      const x = tf.tensor2d(xs);
      const mask = tf.tidy(() => stlRobustness(f, x, { impl: 'mask' }).dataSync()[0]);
      expect(mask).toBeCloseTo(exact, 5);
      if (name !== 'bounded until') {
        const rec = tf.tidy(() => stlRobustness(f, x, { impl: 'recurrent' }).dataSync()[0]);
        expect(rec).toBeCloseTo(exact, 5);
      } else {
        expect(() => stlRobustness(f, x, { impl: 'recurrent' })).toThrow(NotSupportedError);
      }
      const gaps = [0.1, 0.01, 0.001].map((tau) =>
        Math.abs(tf.tidy(() => stlRobustness(f, x, { impl: 'mask', tau }).dataSync()[0]) - exact),
      );
      expect(gaps[2]).toBeLessThan(0.02);
      expect(gaps[2]).toBeLessThanOrEqual(gaps[0] + 1e-6);
      // Boolean satisfaction agrees with the sign of the robustness away from 0
      if (Math.abs(exact) > 1e-6) expect(stlHolds(f, xs)).toBe(exact > 0);
      x.dispose();
    }
  });

  it('gradients are finite, leak nothing, and match finite differences for the smooth form', () => {
    const f = formulas[1][1];
    const xs = trajectory(9, 10);
    const x = tf.tensor2d(xs);
    const before = tf.memory().numTensors;
    for (const impl of ['mask', 'recurrent'] as const) {
      const g = tf.grad((z: tf.Tensor) => stlRobustness(f, z as tf.Tensor2D, { impl, tau: 0.2 }))(x);
      const ad = Array.from(g.dataSync());
      g.dispose();
      expect(ad.every(Number.isFinite)).toBe(true);
      const h = 1e-3;
      for (const i of [0, 5, 11, 16]) {
        const p = xs.map((r) => r.slice());
        const m = xs.map((r) => r.slice());
        p[i >> 1][i & 1] += h;
        m[i >> 1][i & 1] -= h;
        const val = (v: number[][]) =>
          tf.tidy(() => stlRobustness(f, tf.tensor2d(v), { impl, tau: 0.2 }).dataSync()[0]);
        expect(ad[i]).toBeCloseTo((val(p) - val(m)) / (2 * h), 2);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rejects bad input with typed errors', () => {
    const f = formulas[0][1];
    expect(() => stlRobustness(f, tf.zeros([0, 2]) as tf.Tensor2D)).toThrow(/horizon >= 1/);
    expect(() => stlRobustness(f, tf.zeros([3, 1]) as tf.Tensor2D)).toThrow(/needs dimension >= 2/);
    expect(() => stlRobustness(f, tf.zeros([3, 2]) as tf.Tensor2D, { tau: 0 })).toThrow(/tau must be > 0/);
    expect(() => stl.eventually(P(a), [3, 1])).toThrow(/interval must be/);
    expect(() => stlRobustness(stl.until(P(a), P(b)), tf.zeros([300, 2]) as tf.Tensor2D)).toThrow(
      /T must be <= 256/,
    );
  });
});
