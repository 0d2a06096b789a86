/**
 * Small data sets and helpers shared by the tests (not exported by the package).
 * @internal
 * @module
 */
import { type Dataset, type ParamTree, takeRows } from '@descent/nn';
import { Rng } from '@descent/tensor';
import { tf } from '../tf';

/** A 3-class problem in `dim` dimensions: labels from a random linear teacher (seeded by `teacher`), n examples. */
export function teacherData(n: number, dim: number, seed: number, teacher: number = seed): Dataset {
  const rng = new Rng(seed);
  const X = rng.normalArray32(n * dim);
  const W = new Rng(teacher).fold('teacher').normalArray(dim * 3);
  const Y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += X[i * dim + j] * W[j * 3 + c];
      if (s > bestV) {
        bestV = s;
        best = c;
      }
    }
    Y[i] = best;
  }
  return { x: tf.tensor2d(X, [n, dim]), y: tf.tensor1d(Y, 'int32') };
}

/** Rows [start, start + size) of `data` (new tensors). */
export function batchOf(data: Dataset, start: number, size: number): Dataset {
  return takeRows(
    data,
    Int32Array.from({ length: size }, (_, i) => start + i),
  );
}

/** Every tensor's values as float32 arrays, by "group.name". */
export function treeValues(tree: ParamTree): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const g of Object.keys(tree))
    for (const k of Object.keys(tree[g]))
      out[`${g}.${k}`] = Float32Array.from(tree[g][k].dataSync() as Float32Array);
  return out;
}

/** The spacing of float32 numbers at |x| (ulp). */
export function ulp32(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a < 1.1754943508222875e-38) return 1.401298464324817e-45;
  const e = Math.floor(Math.log2(a));
  let u = 2 ** (e - 23);
  // guard log2 rounding at binade edges
  if (a >= 2 ** (e + 1)) u *= 2;
  if (a < 2 ** e) u /= 2;
  return u;
}

/** True when the two records hold the same bits everywhere. */
export function sameBits(a: Record<string, Float32Array>, b: Record<string, Float32Array>): boolean {
  for (const k of Object.keys(a)) {
    const x = new Uint32Array(a[k].buffer, a[k].byteOffset, a[k].length);
    const y = new Uint32Array(b[k].buffer, b[k].byteOffset, b[k].length);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}
