/**
 * A small dense float64 matrix: row-major `Float64Array` storage with its shape.
 * Decompositions and products live in their own modules (`linalg/*`) as free functions.
 * @module
 */
import { ShapeError, ValueError, assertInteger, describe } from './errors';
import { type TensorLike, isTensorLike, tensorValues } from './input/tensorLike';

/** Anything that can be read as a matrix: a {@link Matrix}, nested arrays, or a rank-2 tensor. */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>> | TensorLike;

/** Dense row-major float64 matrix. Entry (i, j) is `data[i * cols + j]`. */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  /** Wraps `data` (not copied) as a rows × cols matrix; zeros if `data` is omitted. */
  constructor(rows: number, cols: number, data?: Float64Array) {
    assertInteger('rows', rows, 0);
    assertInteger('cols', cols, 0);
    if (data !== undefined && !(data instanceof Float64Array)) {
      throw new ValueError(
        `data must be a Float64Array (row-major, rows*cols = ${rows * cols}), got ${describe(data)}; use Matrix.from for nested arrays`,
        'data',
      );
    }
    if (data && data.length !== rows * cols) {
      throw new ShapeError(`data must have length rows*cols = ${rows * cols}, got ${data.length}`, 'data');
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** A matrix from nested arrays (copied). */
  static from(values: ArrayLike<ArrayLike<number>>): Matrix {
    const rows = values.length;
    const cols = rows > 0 ? values[0].length : 0;
    const m = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      if (values[i].length !== cols) throw new ShapeError(`row ${i} must have length ${cols}, got ${values[i].length}`, 'values');
      for (let j = 0; j < cols; j++) m.data[i * cols + j] = values[i][j];
    }
    return m;
  }

  /** Reads a {@link MatrixLike} (copies unless it is already a Matrix). */
  static of(value: MatrixLike, name = 'matrix'): Matrix {
    if (value instanceof Matrix) return value;
    if (isTensorLike(value)) return Matrix.fromTensor(value, name);
    if (value && typeof (value as ArrayLike<unknown>).length === 'number') return Matrix.from(value as ArrayLike<ArrayLike<number>>);
    throw new ShapeError(`${name} must be a Matrix, a 2-D array or a rank-2 tensor, got ${describe(value)}`, name);
  }

  /** The n × n identity. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** A square matrix with `diag` on the diagonal. */
  static diag(diag: ArrayLike<number>): Matrix {
    const n = diag.length;
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = diag[i];
    return m;
  }

  /** Copies a rank-2 tensor's values into a float64 matrix (synchronous read). */
  static fromTensor(t: TensorLike, name = 'tensor'): Matrix {
    if (t.rank !== 2) throw new ShapeError(`${name} must be a rank-2 tensor, got rank ${t.rank}`, name);
    const [rows, cols] = t.shape as number[];
    return new Matrix(rows, cols, tensorValues(t, name));
  }

  /** Entry (i, j); a {@link ValueError} outside the matrix. */
  get(i: number, j: number): number {
    this.checkIndex(i, j);
    return this.data[i * this.cols + j];
  }

  /** Sets entry (i, j); a {@link ValueError} outside the matrix. */
  set(i: number, j: number, v: number): void {
    this.checkIndex(i, j);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ValueError(`v must be a finite number, got ${describe(v)}`, 'v');
    this.data[i * this.cols + j] = v;
  }

  private checkIndex(i: number, j: number, only?: 'row' | 'col'): void {
    if (only !== 'col' && !(Number.isInteger(i) && i >= 0 && i < this.rows)) {
      throw new ValueError(`i must be an integer in [0, ${this.rows}), got ${describe(i)}`, 'i');
    }
    if (only !== 'row' && !(Number.isInteger(j) && j >= 0 && j < this.cols)) {
      throw new ValueError(`j must be an integer in [0, ${this.cols}), got ${describe(j)}`, 'j');
    }
  }

  /** Row i as a view (shares storage). */
  row(i: number): Float64Array {
    this.checkIndex(i, 0, 'row');
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** Column j (a copy). */
  col(j: number): Float64Array {
    this.checkIndex(0, j, 'col');
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }

  /** A deep copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** The transpose (a new matrix). */
  transpose(): Matrix {
    const { rows, cols, data } = this;
    const out = new Matrix(cols, rows);
    const o = out.data;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) o[j * rows + i] = data[i * cols + j];
    return out;
  }

  /** Nested arrays (a copy). */
  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, i) => Array.from(this.row(i)));
  }

  /** The diagonal (a copy). */
  diagonal(): Float64Array {
    const k = Math.min(this.rows, this.cols);
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) out[i] = this.data[i * this.cols + i];
    return out;
  }

  /** True if square. */
  get isSquare(): boolean {
    return this.rows === this.cols;
  }

  /** Throws a {@link ValueError} naming `name` if any entry is NaN or infinite. */
  assertFinite(name = 'matrix'): this {
    if (typeof name !== 'string')
      throw new ValueError(`name must be a string, got ${describe(name)}`, 'name');
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        throw new ValueError(`${name} must be finite, got ${describe(d[i])} at (${Math.floor(i / this.cols)}, ${i % this.cols})`, name);
      }
    }
    return this;
  }
}
