import { Rng, ValueError } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { pgdAttack } from './adversarial';
import { dense } from './layers/dense';
import { logisticLoss, softmaxCrossEntropyLoss } from './losses';
import { mlp } from './models/mlp';
import { sequential } from './layer';
import { type ParamTree, disposeTree } from './tree';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [6, 10, 3] });

function inputs(n: number, d: number, seed: number) {
  const x = tf.tidy(() => tf.sigmoid(normalTensor(new Rng(seed), [n, d])));
  const y = tf.tensor1d(
    Int32Array.from({ length: n }, (_, i) => i % 3),
    'int32',
  );
  return { x, y };
}

describe('pgdAttack', () => {
  it.each(['linf', 'l2'] as const)(
    '%s: the perturbation stays in the ε-ball and x + δ in the clip range; the loss goes up',
    (norm) => {
      const params = model.init(1);
      const { x, y } = inputs(12, 6, 2);
      const before = tf.memory().numTensors;
      const epsilon = norm === 'linf' ? 0.1 : 0.5;
      const r = pgdAttack(model, softmaxCrossEntropyLoss, params, x, y, {
        epsilon,
        norm,
        steps: 8,
        clip: [0, 1],
        seed: 3,
      });
      const xa = r.x.arraySync() as number[][];
      const x0 = x.arraySync() as number[][];
      for (let i = 0; i < xa.length; i++) {
        let s = 0;
        for (let j = 0; j < 6; j++) {
          const d = xa[i][j] - x0[i][j];
          expect(xa[i][j]).toBeGreaterThanOrEqual(0);
          expect(xa[i][j]).toBeLessThanOrEqual(1);
          if (norm === 'linf') expect(Math.abs(d)).toBeLessThanOrEqual(epsilon * (1 + 1e-6));
          s += d * d;
        }
        if (norm === 'l2') expect(Math.sqrt(s)).toBeLessThanOrEqual(epsilon * (1 + 1e-5));
      }
      expect(r.losses).toHaveLength(9);
      expect(r.losses[8]).toBeGreaterThan(r.losses[0]);
      r.x.dispose();
      expect(tf.memory().numTensors).toBe(before);
      disposeTree(params);
      tf.dispose([x, y]);
    },
  );

  it.each([
    ['linf', (w: number[]) => w.reduce((s, v) => s + Math.abs(v), 0)],
    ['l2', (w: number[]) => Math.hypot(...w)],
  ] as const)(
    'a linear binary model: %s PGD moves the logit by the closed form ε·‖w‖_dual against the label',
    (norm, dual) => {
      const lin = sequential([dense({ inputs: 5, units: 1 })]);
      const params: ParamTree = lin.init(4);
      const w = Array.from(params.dense0.W.dataSync());
      const x = normalTensor(new Rng(5), [8, 5]);
      const y = tf.tensor1d([1, 0, 1, 1, 0, 0, 1, 0], 'int32');
      const epsilon = 0.05;
      const r = pgdAttack(lin, logisticLoss, params, x, y, {
        epsilon,
        norm,
        steps: 20,
        randomStart: false,
        stepSize: epsilon / 4,
      });
      const z0 = tf.tidy(() => lin.apply(params, x)).dataSync();
      const z1 = tf.tidy(() => lin.apply(params, r.x)).dataSync();
      const ys = y.dataSync();
      for (let i = 0; i < 8; i++) {
        const expected = -(2 * ys[i] - 1) * epsilon * dual(w);
        expect(z1[i] - z0[i]).toBeCloseTo(expected, 4);
      }
      r.x.dispose();
      disposeTree(params);
      tf.dispose([x, y]);
    },
  );

  it('seeded random starts: same seed, same bits; another seed, other bits; no start without randomStart', () => {
    const params = model.init(1);
    const { x, y } = inputs(4, 6, 6);
    const run = (seed: number, randomStart = true) => {
      const r = pgdAttack(model, softmaxCrossEntropyLoss, params, x, y, {
        epsilon: 0.1,
        steps: 0,
        seed,
        randomStart,
      });
      const v = Array.from(r.x.dataSync());
      r.x.dispose();
      return v;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    expect(run(1, false)).toEqual(Array.from(x.dataSync()));
    disposeTree(params);
    tf.dispose([x, y]);
  });

  it('bad input: typed errors naming the argument', () => {
    const params = model.init(1);
    const { x, y } = inputs(4, 6, 7);
    const go = (o: object) => () =>
      pgdAttack(model, softmaxCrossEntropyLoss, params, x, y, { epsilon: 0.1, ...o });
    expect(go({ epsilon: -1 })).toThrow(/epsilon/);
    expect(go({ steps: 1.5 })).toThrow(/steps/);
    expect(go({ norm: 'l1' })).toThrow(/norm must be/);
    expect(go({ clip: [1, 0] })).toThrow(/clip/);
    expect(go({ stepSize: Number.NaN })).toThrow(ValueError);
    expect(() =>
      pgdAttack(model, softmaxCrossEntropyLoss, params, x, tf.tensor1d([0]), { epsilon: 0.1 }),
    ).toThrow(/y must have 4/);
    expect(() =>
      pgdAttack(model, softmaxCrossEntropyLoss, params, [1] as never, y, { epsilon: 0.1 }),
    ).toThrow(/x must be/);
    disposeTree(params);
    tf.dispose([x, y]);
  });
});
