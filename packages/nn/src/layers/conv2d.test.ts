import { Rng, ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { conv2d, conv2dStride1, im2col } from './conv2d';

const rng = new Rng('conv2d');

function arr(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, scale));
}

/** Stock tfjs conv2d value and gradients on the cpu backend (which has Conv2DBackpropFilter). */
async function stockOnCpu(
  x: Float32Array,
  xs: number[],
  w: Float32Array,
  ws: number[],
  dy: Float32Array,
  ys: number[],
  pad: number,
) {
  await ready({ backend: 'cpu' });
  const out = tf.tidy(() => {
    const X = tf.tensor4d(x, xs as [number, number, number, number]);
    const W = tf.tensor4d(w, ws as [number, number, number, number]);
    const DY = tf.tensor4d(dy, ys as [number, number, number, number]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), DY));
    const [gx, gw] = tf.grads(f)([X, W]);
    return { y: arr(tf.conv2d(X, W, 1, pad)).slice(), gx: arr(gx).slice(), gw: arr(gw).slice() };
  });
  await ready();
  return out;
}

describe('conv2dStride1 (trains on wasm)', () => {
  afterAll(async () => {
    await ready();
  });

  it.each([
    { k: 3, pad: 1, C: 2, O: 3 },
    { k: 3, pad: 0, C: 1, O: 4 },
    { k: 5, pad: 2, C: 3, O: 2 },
    { k: 2, pad: 1, C: 2, O: 2 },
  ])(
    'matches stock tfjs value, input gradient and filter gradient (k=$k, pad=$pad)',
    async ({ k, pad, C, O }) => {
      const xs = [2, 7, 6, C];
      const ws = [k, k, C, O];
      const ys = [2, 7 + 2 * pad - k + 1, 6 + 2 * pad - k + 1, O];
      const x = rng.normalArray32(xs.reduce((a, b) => a * b));
      const w = rng.normalArray32(ws.reduce((a, b) => a * b));
      const dy = rng.normalArray32(ys.reduce((a, b) => a * b));
      const ref = await stockOnCpu(x, xs, w, ws, dy, ys, pad);
      await ready();
      expect(tf.getBackend()).toBe('wasm');
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const X = tf.tensor4d(x, xs as [number, number, number, number]);
        const W = tf.tensor4d(w, ws as [number, number, number, number]);
        const DY = tf.tensor4d(dy, ys as [number, number, number, number]);
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(conv2dStride1(a as tf.Tensor4D, b as tf.Tensor4D, pad), DY)),
        )([X, W]);
        expectClose(arr(conv2dStride1(X, W, pad)), ref.y);
        expectClose(arr(gx), ref.gx);
        expectClose(arr(gw), ref.gw);
      });
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('im2col lays out k×k×C patches in kernel order', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const p = im2col(x, 3, 1); // 3×3 patches with zero padding
      expect(p.shape).toEqual([1, 3, 3, 9]);
      // the centre patch is the whole image in row-major order
      expect(Array.from(tf.slice(p, [0, 1, 1, 0], [1, 1, 1, 9]).dataSync())).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
      // the top-left patch sees padding above and to the left
      expect(Array.from(tf.slice(p, [0, 0, 0, 0], [1, 1, 1, 9]).dataSync())).toEqual([
        0, 0, 0, 0, 1, 2, 0, 4, 5,
      ]);
    });
  });

  it('rejects bad shapes and paddings with typed errors', () => {
    const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    const w = tf.zeros([3, 3, 1, 2]) as tf.Tensor4D;
    expect(() => conv2dStride1(x, w, 1)).toThrow(ShapeError);
    const w2 = tf.zeros([3, 3, 2, 2]) as tf.Tensor4D;
    expect(() => conv2dStride1(x, w2, 3)).toThrow(ValueError);
    expect(() => conv2d({ inChannels: 1, outChannels: 2, kernelSize: 2 })).toThrow(/odd/);
    expect(() => conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3, padding: 'full' as 'same' })).toThrow(
      ValueError,
    );
    tf.dispose([x, w, w2]);
  });
});
