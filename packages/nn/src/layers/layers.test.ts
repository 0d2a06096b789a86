import { Rng, ShapeError, ValueError } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { sequential } from '../layer';
import { cnn } from '../models/cnn';
import { mlp } from '../models/mlp';
import { transformer } from '../models/transformer';
import { disposeTree, flattenTree, treeShapes, treeSize } from '../tree';
import { activation, flatten, gelu } from './activation';
import { causalSelfAttention, selfAttention } from './attention';
import { dense } from './dense';
import { embed, embedding } from './embedding';
import { layerNorm, layerNormApply } from './layerNorm';

beforeAll(async () => {
  await ready();
});

const rng = new Rng('layers');

describe('sequential and the model builders', () => {
  it('name groups by kind and rank, and init draws each group from its own stream', () => {
    const model = sequential([
      dense({ inputs: 4, units: 8 }),
      activation('relu'),
      dense({ inputs: 8, units: 3 }),
    ]);
    const p = model.init(0);
    expect(treeShapes(p)).toEqual({ dense0: { W: [4, 8], b: [8] }, dense1: { W: [8, 3], b: [3] } });
    // group dense1 does not depend on dense0: a model with a different first layer draws the same dense1
    const other = sequential([
      ['first', dense({ inputs: 4, units: 8, init: 'heUniform' })],
      ['dense1', dense({ inputs: 8, units: 3 })],
    ]);
    const q = other.init(0);
    expect(Array.from(q.dense1.W.dataSync())).toEqual(Array.from(p.dense1.W.dataSync()));
    expect(Array.from(q.first.W.dataSync())).not.toEqual(Array.from(p.dense0.W.dataSync()));
    disposeTree(p);
    disposeTree(q);
  });

  it('init is deterministic: same seed same bits, different seeds differ', () => {
    const model = cnn({ inputShape: [8, 8, 1], channels: [2], classes: 3 });
    const draw = (seed: string) => {
      const p = model.init(seed);
      const w = Array.from(flattenTree(p));
      disposeTree(p);
      return w;
    };
    expect(draw('s')).toEqual(draw('s'));
    expect(draw('s')).not.toEqual(draw('t'));
  });

  it('He normal gives weight variance 2/fanIn', () => {
    const model = mlp({ sizes: [400, 300, 2] });
    const p = model.init(1);
    const w = p.dense0.W.dataSync();
    let s = 0;
    for (const u of w) s += u * u;
    expect(Math.abs(s / w.length / (2 / 400) - 1)).toBeLessThan(0.02); // sd of the estimate ≈ 0.4%
    disposeTree(p);
  });

  it("the issue's small CNN has the expected shapes and output", () => {
    const model = cnn({ inputShape: [28, 28, 1], channels: [8, 16], classes: 10 });
    const p = model.init(0);
    expect(treeShapes(p)).toEqual({
      conv0: { W: [3, 3, 1, 8], b: [8] },
      conv1: { W: [3, 3, 8, 16], b: [16] },
      dense0: { W: [7 * 7 * 16, 10], b: [10] },
    });
    const x = normalTensor(rng, [2, 28, 28, 1]);
    const y = model.apply(p, x);
    expect(y.shape).toEqual([2, 10]);
    tf.dispose([x, y]);
    disposeTree(p);
  });

  it('report shape mistakes as ShapeErrors naming x or params', () => {
    const model = mlp({ sizes: [4, 3] });
    const p = model.init(0);
    const bad = tf.zeros([2, 5]);
    expect(() => model.apply(p, bad)).toThrow(ShapeError);
    expect(() => model.apply(p, bad)).toThrow(/x must have trailing shape \[4\]/);
    expect(() => model.apply({ other: p.dense0 }, tf.zeros([2, 4]))).toThrow(/missing group "dense0"/);
    expect(() => model.apply({} as never, bad)).toThrow(/at least one group/);
    expect(() => mlp({ sizes: [4] })).toThrow(ValueError);
    expect(() => mlp({ sizes: [4, 0] })).toThrow(/sizes\[1\]/);
    expect(() => mlp({ sizes: [4, 2], activation: 'swish' as never })).toThrow(/activation/);
    expect(() => dense({ inputs: 4, units: 2, init: 'uniform' as never })).toThrow(/init/);
    disposeTree(p);
    bad.dispose();
  });
});

describe('layer norm, embedding, GELU', () => {
  it('layerNorm normalises the last axis then scales and shifts', () => {
    const x = normalTensor(rng, [3, 5], 2, 3);
    tf.tidy(() => {
      const y = layerNormApply(x, tf.ones([5]), tf.zeros([5]));
      const { mean, variance } = tf.moments(y, -1);
      for (const m of mean.dataSync()) expect(Math.abs(m)).toBeLessThan(1e-5);
      for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
      const l = layerNorm({ features: 5 });
      const p = l.init(new Rng(0));
      expect(Array.from(l.apply(p, x).dataSync())).toEqual(Array.from(y.dataSync()));
      expect(() => l.apply(p, tf.zeros([3, 4]))).toThrow(ShapeError);
    });
    x.dispose();
  });

  it("embedding equals tf.gather and trains on wasm (gather's gradient does not)", () => {
    const E = normalTensor(rng, [6, 4]) as tf.Tensor2D;
    const ids = tf.tensor2d([1, 5, 5, 0], [2, 2], 'int32');
    tf.tidy(() => {
      const a = embed(E, ids);
      expect(a.shape).toEqual([2, 2, 4]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(tf.gather(E, tf.reshape(ids, [-1])).dataSync()));
      const g = tf.grad((e: tf.Tensor) => tf.sum(embed(e as tf.Tensor2D, ids)))(E);
      // each row's gradient counts its occurrences
      expect(Array.from(tf.sum(g, 1).dataSync())).toEqual([4, 4, 0, 0, 0, 8]);
      expect(() => tf.grad((e: tf.Tensor) => tf.sum(tf.gather(e, tf.reshape(ids, [-1]))))(E)).toThrow(
        /UnsortedSegmentSum/,
      );
      const layer = embedding({ vocab: 6, dim: 4 });
      expect(() => layer.apply({ E }, tf.zeros([2, 2]))).toThrow(/int32/);
    });
    tf.dispose([E, ids]);
  });

  it('gelu matches its tanh-approximation formula', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-3, -1, 0, 0.5, 2]);
      const got = gelu(x).dataSync();
      [-3, -1, 0, 0.5, 2].forEach((u, i) => {
        const want = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u ** 3)));
        expect(got[i]).toBeCloseTo(want, 5);
      });
    });
  });
});

describe('causal self-attention and the tiny transformer', () => {
  it('is causal: changing later tokens leaves earlier outputs unchanged', () => {
    const layer = selfAttention({ dim: 8, heads: 2 });
    const p = layer.init(new Rng(1));
    const x = normalTensor(rng, [1, 5, 8]);
    tf.tidy(() => {
      const y = layer.apply(p, x);
      const x2 = tf.concat(
        [tf.slice(x, [0, 0, 0], [1, 3, 8]), tf.mul(tf.slice(x, [0, 3, 0], [1, 2, 8]), -4)],
        1,
      );
      const y2 = layer.apply(p, x2);
      const first = (t: tf.Tensor) => Array.from(tf.slice(t, [0, 0, 0], [1, 3, 8]).dataSync());
      const a = first(y);
      const b = first(y2);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
      const last = (t: tf.Tensor) => Array.from(tf.slice(t, [0, 4, 0], [1, 1, 8]).dataSync());
      expect(last(y2)).not.toEqual(last(y));
    });
    // the first position attends only to itself: its output is v₀·Wo + bo
    tf.tidy(() => {
      const y = causalSelfAttention(x, p.Wqkv, p.bqkv, p.Wo, p.bo, 2);
      const v0 = tf.slice(tf.add(tf.matMul(tf.reshape(x, [5, 8]), p.Wqkv), p.bqkv), [0, 16], [1, 8]);
      const want = tf.add(tf.matMul(v0, p.Wo), p.bo).dataSync();
      const got = tf.slice(y, [0, 0, 0], [1, 1, 8]).dataSync();
      for (let i = 0; i < 8; i++) expect(got[i]).toBeCloseTo(want[i], 5);
    });
    disposeTree({ a: p });
    x.dispose();
  });

  it('has one group per block and the documented tensors', () => {
    const model = transformer({ vocab: 50, maxLength: 16, dim: 16, heads: 2, layers: 3, classes: 2 });
    const p = model.init(0);
    expect(Object.keys(p)).toEqual(['embed', 'block0', 'block1', 'block2', 'norm', 'head']);
    expect(Object.keys(p.block1)).toEqual([
      'ln1.gamma',
      'ln1.beta',
      'attn.Wqkv',
      'attn.bqkv',
      'attn.Wo',
      'attn.bo',
      'ln2.gamma',
      'ln2.beta',
      'mlp.W1',
      'mlp.b1',
      'mlp.W2',
      'mlp.b2',
    ]);
    expect(treeSize(p)).toBe(
      50 * 16 +
        16 * 16 +
        3 * (4 * 16 + 16 * 48 + 48 + 16 * 16 + 16 + 16 * 64 + 64 + 64 * 16 + 16) +
        32 +
        16 * 2 +
        2,
    );
    const ids = tf.tensor2d(
      Array.from({ length: 24 }, (_, i) => (i * 7) % 50),
      [3, 8],
      'int32',
    );
    const y = model.apply(p, ids);
    expect(y.shape).toEqual([3, 2]);
    expect(() => model.apply(p, tf.zeros([3, 8]))).toThrow(/int32/);
    expect(() => model.apply(p, tf.zeros([1, 17], 'int32'))).toThrow(/maxLength/);
    tf.dispose([ids, y]);
    disposeTree(p);
  });

  it('ignores pad positions when pooling', () => {
    const model = transformer({ vocab: 10, maxLength: 6, dim: 8, heads: 2, layers: 1, classes: 2, padId: 0 });
    const p = model.init(2);
    tf.tidy(() => {
      // causal attention + masked mean pooling: trailing pads change nothing
      const a = model.apply(p, tf.tensor2d([3, 4, 5], [1, 3], 'int32')).dataSync();
      const b = model.apply(p, tf.tensor2d([3, 4, 5, 0, 0, 0], [1, 6], 'int32')).dataSync();
      for (let i = 0; i < 2; i++) expect(b[i]).toBeCloseTo(a[i], 5);
    });
    disposeTree(p);
  });

  it('predicts next tokens at every position', () => {
    const model = transformer({ vocab: 12, maxLength: 8, dim: 8, heads: 2, layers: 2, task: 'nextToken' });
    const p = model.init(3);
    tf.tidy(() => {
      const y = model.apply(p, tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'));
      expect(y.shape).toEqual([2, 3, 12]);
    });
    expect(() => transformer({ vocab: 12, maxLength: 8, dim: 10, heads: 4, classes: 2 })).toThrow(
      /divisible/,
    );
    expect(() => transformer({ vocab: 12, maxLength: 8 })).toThrow(/classes/);
    disposeTree(p);
  });

  it('flatten keeps the batch axis', () => {
    tf.tidy(() => {
      expect(flatten().apply({}, tf.zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
    });
  });
});
