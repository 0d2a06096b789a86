import { Rng } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { ball, box, custom, halfspace, speedBelow } from './predicate';

beforeAll(async () => {
  await ready();
});

describe('predicates: signed distances (tensor = plain number), closed forms, finite gradients', () => {
  const preds = [
    box([0, 0], [1, 2]),
    box([0.5], [1.5], { dims: [2] }),
    ball([0, 1], 0.5),
    halfspace([1, -1], 0.25),
    speedBelow(1, { dims: [2, 3] }),
    custom({
      name: 'x0 ≤ 0.3',
      dim: 1,
      distance: (xs) => tf.tidy(() => tf.sub(tf.reshape(tf.slice(xs, [0, 0], [-1, 1]), [-1]), 0.3)),
      distanceAt: (x) => x[0] - 0.3,
    }),
  ];
  const rng = new Rng(4);
  const pts = Array.from({ length: 40 }, () => Array.from(rng.uniformArray(4, { low: -1, high: 2.5 })));

  it('the tensor and plain-number forms agree', () => {
    const x = tf.tensor2d(pts);
    for (const p of preds) {
      const d = tf.tidy(() => Array.from(p.distance(x).dataSync()));
      pts.forEach((pt, i) => {
        expect(d[i]).toBeCloseTo(p.distanceAt(pt), 5);
      });
    }
    x.dispose();
  });

  it('box: Euclidean distance outside, minus the depth inside; ball and half-space closed forms', () => {
    const bx = box([0, 0], [1, 2]);
    expect(bx.distanceAt([2, 3])).toBeCloseTo(Math.SQRT2, 12); // corner (1, 2)
    expect(bx.distanceAt([0.5, 1])).toBeCloseTo(-0.5, 12); // centre: 0.5 to the x faces
    expect(bx.distanceAt([1, 1])).toBe(0);
    expect(ball([0, 0], 1).distanceAt([3, 4])).toBe(4);
    expect(halfspace([3, 4], 5).distanceAt([0, 0])).toBe(-1);
    expect(speedBelow(2, { dims: [2, 3] }).distanceAt([9, 9, 3, 4])).toBe(3);
  });

  it('gradients are finite at the centre, on the boundary and at a corner (safe √ and tie-splitting max)', () => {
    const x = tf.tensor2d([
      [0.5, 1, 0, 0],
      [1, 1, 0, 0],
      [1, 2, 0, 0],
      [0, 1, 0, 0],
    ]);
    for (const p of preds) {
      const g = tf.grad((z: tf.Tensor) => tf.sum(p.distance(z as tf.Tensor2D)))(x);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      g.dispose();
    }
    x.dispose();
  });

  it('rejects malformed regions with typed errors', () => {
    expect(() => box([0, 0], [1])).toThrow(/hi must have the length of lo/);
    expect(() => box([0, 0], [1, -1])).toThrow(/hi\[1\] must be >= lo\[1\]/);
    expect(() => ball([0, 0], -1)).toThrow(/radius must be >= 0/);
    expect(() => halfspace([0, 0], 1)).toThrow(/non-zero vector/);
    expect(() => box([0], [1], { dims: [-1] })).toThrow(/dims\[0\] must be an integer/);
  });
});
