import { ready, tf } from './backend';
import { ShapeError } from '@descent/tensor';
import { fdGrad, fdHvp, maxRelativeError } from '@descent/tensor';
import { checkGrad, checkHvp } from './derivativeChecks';
import { Rng } from '@descent/tensor';
import { safeTanh } from './safeOps';

beforeAll(async () => {
  await ready();
});

describe('finite differences (float64)', () => {
  const rosen = (x: Float64Array) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
  const rosenGrad = (x: Float64Array) =>
    new Float64Array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)]);
  const rosenHess = (x: Float64Array) => [
    [2 - 400 * (x[1] - 3 * x[0] ** 2), -400 * x[0]],
    [-400 * x[0], 200],
  ];

  it('fdGrad is accurate to 1e-8 relative on Rosenbrock', () => {
    const x = new Float64Array([-1.2, 1]);
    expect(maxRelativeError(fdGrad(rosen, x), rosenGrad(x))).toBeLessThan(1e-8);
  });

  it('fdHvp matches the analytic Hessian with an exact gradient (1e-8) and with finite-difference gradients (1e-5)', () => {
    const x = new Float64Array([0.5, -0.3]);
    const v = new Float64Array([1, 2]);
    const Hv = rosenHess(x).map((r) => r[0] * v[0] + r[1] * v[1]);
    expect(maxRelativeError(fdHvp(rosen, x, v, { grad: rosenGrad }), Hv)).toBeLessThan(1e-8);
    expect(maxRelativeError(fdHvp(rosen, x, v), Hv)).toBeLessThan(1e-5);
    expect(Array.from(fdHvp(rosen, x, [0, 0]))).toEqual([0, 0]);
  });

  it('typed errors', () => {
    expect(() => fdGrad(rosen, [], {})).toThrow(ShapeError);
    expect(() => fdGrad(rosen, [1, 2], { h: 0 })).toThrow(/h must be/);
    expect(() => fdGrad(() => Number.NaN, [1])).toThrow(/finite/);
    expect(() => fdHvp(rosen, [1, 2], [1])).toThrow(ShapeError);
  });
});

describe('checkGrad / checkHvp', () => {
  it('report small errors for correct derivatives and large ones for a deliberately wrong custom gradient', () => {
    const rng = new Rng('check');
    const x = rng.normalArray(5);
    const f = (z: tf.Tensor1D) => tf.sum(tf.mul(safeTanh(z), tf.range(1, 6))) as tf.Scalar;
    expect(checkGrad(f, x).maxRelError).toBeLessThan(1e-3);
    expect(checkGrad(f, x).ok).toBe(true);
    expect(checkHvp(f, x, rng.normalArray(5)).ok).toBe(true);
    // custom square with a gradient that is off by a factor 2
    const wrong = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
      save([z]);
      return { value: tf.square(z), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.mul(s, 4)) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const g = (z: tf.Tensor1D) => tf.sum(wrong(z) as tf.Tensor) as tf.Scalar;
    const c = checkGrad(g, x);
    expect(c.ok).toBe(false);
    expect(c.maxRelError).toBeGreaterThan(0.5);
  });
});
