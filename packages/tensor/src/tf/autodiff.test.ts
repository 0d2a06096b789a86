import {
  flatSize,
  grad,
  hessian,
  hvp,
  unflatten,
  valueAndGrad,
  valueAndGradRows,
  valueAndGrads,
} from './autodiff';
import { Matrix } from '@descent/tensor';
import { ready, tf } from './backend';
import { ShapeError, ValueError } from '@descent/tensor';
import { maxRelativeError } from '@descent/tensor';
import { safeExp } from './safeOps';

beforeAll(async () => {
  await ready();
});

describe('valueAndGrad on flat parameters', () => {
  it('returns the value and the exact gradient of a quadratic ½xᵀAx − bᵀx, from Float64Array, arrays and tensors', () => {
    const A = tf.tensor2d([
      [2, 1],
      [1, 3],
    ]);
    const b = tf.tensor1d([1, -1]);
    const f = (x: tf.Tensor1D) =>
      tf.sub(
        tf.mul(0.5, tf.dot(x, tf.reshape(tf.matMul(A, tf.reshape(x, [2, 1])), [2]))),
        tf.dot(b, x),
      ) as tf.Scalar;
    const vg = valueAndGrad(f);
    const x = new Float64Array([1, 2]);
    // value: ½(2 + 2·2 + 3·4) − (1 − 2) = 9 + 1 = 10; gradient Ax − b = (4 − 1, 7 + 1)
    for (const input of [x, [1, 2], tf.tensor1d([1, 2])]) {
      const r = vg(input);
      expect(r.value).toBeCloseTo(10, 5);
      expect(Array.from(r.grad)).toEqual([3, 8]);
      expect(r.grad).toBeInstanceOf(Float64Array);
      if (input instanceof tf.Tensor) {
        expect(input.isDisposed).toBe(false);
        input.dispose();
      }
    }
    expect(Array.from(grad(f)(x))).toEqual([3, 8]);
    tf.dispose([A, b]);
  });

  it('rejects bad inputs and non-scalar or non-finite outputs with typed errors', () => {
    const vg = valueAndGrad((x) => tf.sum(tf.log(x)));
    expect(() => vg([])).toThrow(ShapeError);
    expect(() => vg([1, Number.NaN])).toThrow(ValueError);
    expect(() => vg('12' as never)).toThrow(ShapeError);
    expect(() => vg([-1, 1])).toThrow(/not finite/);
    expect(valueAndGrad((x) => tf.sum(tf.log(x)), { allowNonFinite: true })([-1, 1]).value).toBeNaN();
    expect(() => valueAndGrad((x) => tf.mul(x, 2))([1, 2])).toThrow(/scalar/);
    expect(() => valueAndGrad(3 as never)).toThrow(ValueError);
  });
});

describe('valueAndGradRows (batched scores)', () => {
  it('gives per-row values and gradients of a row-wise log density in one pass', () => {
    // log p(x) = −½ xᵀx − Σ log(1 + e^{x}) row-wise; ∇ = −x − σ(x)
    const scores = valueAndGradRows((X) =>
      tf.neg(tf.add(tf.mul(0.5, tf.sum(tf.square(X), 1)), tf.sum(tf.softplus(X), 1))),
    );
    const X = Matrix.from([
      [0.5, -1],
      [2, 0.25],
      [0, 0],
    ]);
    const { values, grads } = scores(X);
    for (let i = 0; i < 3; i++) {
      const x = X.row(i);
      const sp = (v: number) => Math.log1p(Math.exp(v));
      expect(values[i]).toBeCloseTo(-0.5 * (x[0] ** 2 + x[1] ** 2) - sp(x[0]) - sp(x[1]), 5);
      for (let j = 0; j < 2; j++) expect(grads.get(i, j)).toBeCloseTo(-x[j] - 1 / (1 + Math.exp(-x[j])), 5);
    }
    expect(() => scores(Matrix.from([[Number.NaN, 1]]))).toThrow(ValueError);
    expect(() => valueAndGradRows((X) => tf.sum(X))(X)).toThrow(/3 values/);
  });
});

describe('valueAndGrads on named tensors', () => {
  it('gives the gradient of a least-squares loss w.r.t. W and b (closed form Xᵀr, Σr)', () => {
    const X = tf.tensor2d([
      [1, 0],
      [0, 2],
      [1, 1],
    ]);
    const y = tf.tensor2d([[1], [0], [2]]);
    const W = tf.tensor2d([[0.5], [-1]]);
    const b = tf.tensor1d([0.25]);
    const vg = valueAndGrads(({ W, b }) =>
      tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.add(tf.matMul(X, W), b), y)))),
    );
    const { value, grads } = vg({ W, b });
    // residuals r = XW + b − y = (0.75 − 1, −1.75, −0.25 − 2) = (−0.25, −1.75, −2.25)
    const r = [-0.25, -1.75, -2.25];
    expect(value).toBeCloseTo(0.5 * r.reduce((s, v) => s + v * v, 0), 5);
    const gW = grads.W.dataSync();
    expect(gW[0]).toBeCloseTo(r[0] + r[2], 5);
    expect(gW[1]).toBeCloseTo(2 * r[1] + r[2], 5);
    expect(grads.b.dataSync()[0]).toBeCloseTo(r[0] + r[1] + r[2], 5);
    tf.dispose(grads);
    expect(() => vg({})).toThrow(ShapeError);
    expect(() => vg({ W: [1] as never })).toThrow(/params.W/);
    tf.dispose([X, y, W, b]);
  });
});

describe('hvp', () => {
  it('is exact for a quadratic (H v = A v) in both modes', () => {
    const A = tf.tensor2d([
      [4, 1, 0],
      [1, 3, -1],
      [0, -1, 2],
    ]);
    const f = (x: tf.Tensor1D) =>
      tf.mul(0.5, tf.sum(tf.mul(x, tf.reshape(tf.matMul(A, tf.reshape(x, [3, 1])), [3])))) as tf.Scalar;
    const v = [1, -2, 0.5];
    expect(Array.from(hvp(f, [0.3, 0.1, -2], v))).toEqual([2, -5.5, 3]);
    const fd = hvp(f, [0.3, 0.1, -2], v, { mode: 'fd' });
    expect(maxRelativeError(fd, [2, -5.5, 3])).toBeLessThan(1e-4);
    A.dispose();
  });

  it('matches the analytic Hessian of Σ exp(xᵢ)·xᵢ₊₁ through safeExp', () => {
    const f = (x: tf.Tensor1D) => tf.sum(tf.mul(safeExp(tf.slice(x, 0, 2)), tf.slice(x, 1, 2))) as tf.Scalar;
    const x = [0.2, -0.4, 0.7];
    const v = [1, 2, -1];
    // f = e^{x0}x1 + e^{x1}x2; H = [[e^{x0}x1, e^{x0}, 0], [e^{x0}, e^{x1}x2, e^{x1}], [0, e^{x1}, 0]]
    const e0 = Math.exp(0.2);
    const e1 = Math.exp(-0.4);
    const H = [
      [e0 * -0.4, e0, 0],
      [e0, e1 * 0.7, e1],
      [0, e1, 0],
    ];
    const Hv = H.map((row) => row.reduce((s, h, j) => s + h * v[j], 0));
    expect(maxRelativeError(hvp(f, x, v), Hv)).toBeLessThan(1e-5);
  });

  it('rejects a v of the wrong length', () => {
    expect(() => hvp((x) => tf.sum(x), [1, 2], [1])).toThrow(ShapeError);
    expect(() => hvp((x) => tf.sum(x), [1, 2], [1, 1], { mode: 'bad' as never })).toThrow(/mode/);
  });
});

describe('hessian', () => {
  it('assembles the exact Hessian of a cubic from HVPs', () => {
    // f = x0³ + x0·x1² → H = [[6x0, 2x1], [2x1, 2x0]]
    const f = (x: tf.Tensor1D) => {
      const [a, b] = tf.split(x, 2);
      return tf.sum(tf.add(tf.pow(a, 3), tf.mul(a, tf.square(b)))) as tf.Scalar;
    };
    const H = hessian(f, [0.5, -2]);
    expect(H.toArray()).toEqual([
      [3, -4],
      [-4, 1],
    ]);
  });
});

describe('unflatten', () => {
  it('splits a flat vector into named shapes, differentiably', () => {
    const shapes = { W: [2, 2], b: [2] };
    expect(flatSize(shapes)).toBe(6);
    const f = (x: tf.Tensor1D) => {
      const { W, b } = unflatten(x, shapes);
      return tf.add(tf.sum(tf.square(W)), tf.mul(3, tf.sum(b))) as tf.Scalar;
    };
    expect(Array.from(grad(f)([1, 2, 3, 4, 5, 6]))).toEqual([2, 4, 6, 8, 3, 3]);
    const t = tf.zeros([5]) as tf.Tensor1D;
    expect(() => unflatten(t, shapes)).toThrow(ShapeError);
    t.dispose();
  });
});
