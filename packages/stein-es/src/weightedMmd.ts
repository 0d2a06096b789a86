/**
 * Weighted MMD² between two weighted point sets (issue 16: how good are weighted estimates from a
 * particle set): with weights a (on X, Σ a = 1) and b (on Y, Σ b = 1),
 *
 *   MMD²_w = Σ_ij a_i a_j k(x_i, x_j) + Σ_ij b_i b_j k(y_i, y_j) − 2 Σ_ij a_i b_j k(x_i, y_j),
 *
 * the squared RKHS distance between the weighted empirical measures (the biased V-statistic; with
 * equal weights it is `mmd2(X, Y, kernel)` of @descent/tensor exactly).
 * @module
 */
import { type Kernel, type MatrixLike, Matrix, ValueError, describe, option, readVector, resolveOptions } from '@descent/tensor';

/** Options of {@link weightedMmd2}. */
export interface WeightedMmdOptions {
  /** Weights of the rows of X (normalised; default equal). */
  weightsX?: ArrayLike<number>;
  /** Weights of the rows of Y (normalised; default equal). */
  weightsY?: ArrayLike<number>;
}

const schema = { weightsX: option.custom<unknown>((v) => v), weightsY: option.custom<unknown>((v) => v) };

function normalised(w: unknown, n: number, name: string): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1 / n);
  const v = readVector(w as ArrayLike<number>, name, { length: n, copy: true });
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (v[i] < 0) throw new ValueError(`${name} must be >= 0, got ${v[i]} at index ${i}`, name);
    s += v[i];
  }
  if (!(s > 0)) throw new ValueError(`${name} must not all be 0`, name);
  for (let i = 0; i < n; i++) v[i] /= s;
  return v;
}

function quadratic(K: Matrix, a: Float64Array, b: Float64Array): number {
  const { rows, cols, data } = K;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let row = 0;
    for (let j = 0; j < cols; j++) row += data[i * cols + j] * b[j];
    total += a[i] * row;
  }
  return total;
}

/** Weighted MMD² (V-statistic) between weighted X and weighted Y under `kernel`. */
export function weightedMmd2(X: MatrixLike, Y: MatrixLike, kernel: Kernel, options: WeightedMmdOptions = {}): number {
  if (kernel == null || typeof (kernel as Kernel).matrix !== 'function')
    throw new ValueError(`kernel must be a Kernel (e.g. rbf({bandwidth})), got ${describe(kernel)}`, 'kernel');
  const o = resolveOptions(options, schema, { name: 'weightedMmd2 options' });
  const A = Matrix.of(X, 'X');
  const B = Matrix.of(Y, 'Y');
  const a = normalised(o.weightsX, A.rows, 'weightsX');
  const b = normalised(o.weightsY, B.rows, 'weightsY');
  return quadratic(kernel.matrix(A), a, a) + quadratic(kernel.matrix(B), b, b) - 2 * quadratic(kernel.matrix(A, B), a, b);
}
