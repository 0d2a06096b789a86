/**
 * Synthetic streams and the paper's adversarial construction. Every generator is seeded through
 * {@link Rng}; the same seed gives the same stream.
 * @module
 */
import { Rng, ShapeError, ValueError, assertInteger, assertPositive, describe, median, readBoolean, readOptions, readVector } from '@descent/tensor';
import type { Label } from './types';

/** A labelled stream held in memory. */
export interface Stream {
  name: string;
  dim: number;
  X: Float64Array[];
  y: Label[];
}

/**
 * Checks a stream argument: `X` an array of rows (arrays, typed arrays or rank-1 tensors) of length
 * `dim` with finite entries, `y` an array of ±1 labels of the same length; returns the rows as
 * Float64Arrays (the originals when they already are). Typed errors name `name.X[i]` / `name.y`.
 */
export function readStream(s: unknown, name = 's'): Stream {
  const o = readOptions<Stream>(s, name);
  const X = o.X as unknown;
  const y = o.y as unknown;
  if (!Array.isArray(X)) throw new ShapeError(`${name}.X must be an array of rows, got ${describe(X)}`, `${name}.X`);
  if (!Array.isArray(y)) throw new ShapeError(`${name}.y must be an array of labels, got ${describe(y)}`, `${name}.y`);
  if (y.length !== X.length) throw new ShapeError(`${name}.y must have one label per row (${X.length}), got length ${y.length}`, `${name}.y`);
  const dim = o.dim ?? (X.length > 0 ? (X[0] as ArrayLike<number>)?.length : 1);
  assertInteger(`${name}.dim`, dim, 1);
  const rows = X.map((x, i) => readVector(x, `${name}.X[${i}]`, { length: dim }));
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1 && y[i] !== -1) throw new ValueError(`${name}.y[${i}] must be -1 or +1, got ${describe(y[i])}`, `${name}.y`);
  }
  if (o.name !== undefined && typeof o.name !== 'string') throw new ValueError(`${name}.name must be a string, got ${describe(o.name)}`, `${name}.name`);
  return { name: o.name ?? 'stream', dim, X: rows, y: y as Label[] };
}

/** Options of {@link rbfBlobs}. */
export interface RbfBlobsOptions {
  n: number;
  dim?: number;
  /** Number of Gaussian blobs, each with a random label (default 8). */
  centers?: number;
  /** Blob standard deviation (default 0.35; centres ~ N(0, I)). */
  spread?: number;
  /** Flip every label every `driftEvery` rounds (abrupt concept drift; default 0 = none). */
  driftEvery?: number;
  /** Label noise probability (default 0). */
  noise?: number;
  seed?: number | string;
}

/** Gaussian blobs with random ±1 labels per blob, optionally with periodic label flips (drift). */
export function rbfBlobs(options: RbfBlobsOptions): Stream {
  const o = readOptions(options) as RbfBlobsOptions;
  assertInteger('n', o.n, 1);
  const dim = o.dim ?? 2;
  const c = o.centers ?? 8;
  const spread = o.spread ?? 0.35;
  assertInteger('dim', dim, 1);
  assertInteger('centers', c, 2);
  assertPositive('spread', spread);
  const rng = new Rng(o.seed ?? 0).fold('rbfBlobs');
  const centres = rng.fold('centres').normalArray(c * dim, 0, 1.5);
  const lab: Label[] = Array.from({ length: c }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const draw = rng.fold('points');
  const X: Float64Array[] = [];
  const y: Label[] = [];
  for (let t = 0; t < o.n; t++) {
    const b = draw.int(c);
    const x = new Float64Array(dim);
    for (let j = 0; j < dim; j++) x[j] = centres[b * dim + j] + spread * draw.normal();
    let l = lab[b];
    if (o.driftEvery && Math.floor(t / o.driftEvery) % 2 === 1) l = -l as Label;
    if (o.noise && draw.uniform() < o.noise) l = -l as Label;
    X.push(x);
    y.push(l);
  }
  return { name: o.driftEvery ? 'rbf-drift' : 'rbf-blobs', dim, X, y };
}

/** Options of {@link kernelTeacher}. */
export interface KernelTeacherOptions {
  n: number;
  /** Input dimension (default 10). */
  dim?: number;
  /** Teacher anchors cⱼ ~ N(0, I) (default 30). */
  anchors?: number;
  /** Teacher width relative to √dim: σ* = width·√dim (default 1; inputs are N(0, I), so the median distance is ≈ √(2·dim)). */
  width?: number;
  seed?: number | string;
}

/**
 * A stationary stream labelled by a Gaussian-kernel teacher: x ~ N(0, I_dim),
 * f*(x) = Σⱼ aⱼ exp(−‖x − cⱼ‖²/(2σ*²)) with aⱼ ~ N(0, 1), y = sign(f*(x) − median f*) (balanced
 * classes, no label noise). The family (dimension, anchors, width, seed) is the stationary test
 * bed of FORKS against PROS-N-KONS.
 */
export function kernelTeacher(options: KernelTeacherOptions): Stream {
  const o = readOptions(options) as KernelTeacherOptions;
  assertInteger('n', o.n, 1);
  const dim = o.dim ?? 10;
  const m = o.anchors ?? 30;
  const width = o.width ?? 1;
  assertInteger('dim', dim, 1);
  assertInteger('anchors', m, 1);
  assertPositive('width', width);
  const rng = new Rng(o.seed ?? 0).fold('teacher');
  const C = rng.fold('c').normalArray(m * dim);
  const a = rng.fold('a').normalArray(m);
  const s2 = 2 * width * width * dim;
  const draw = rng.fold('x');
  const X: Float64Array[] = [];
  const f: number[] = [];
  for (let t = 0; t < o.n; t++) {
    const x = draw.normalArray(dim);
    let v = 0;
    for (let j = 0; j < m; j++) {
      let q = 0;
      for (let i = 0; i < dim; i++) {
        const d = x[i] - C[j * dim + i];
        q += d * d;
      }
      v += a[j] * Math.exp(-q / s2);
    }
    X.push(x);
    f.push(v);
  }
  const med = median(f);
  return { name: `kernel-teacher-d${dim}`, dim, X, y: f.map((v): Label => (v > med ? 1 : -1)) };
}

/** XOR / checkerboard in 2-D: y = sign(x₁x₂), x ~ U[−1, 1]² (not linearly separable). */
export function xorStream(n: number, seed: number | string = 0): Stream {
  assertInteger('n', n, 1);
  const rng = new Rng(seed).fold('xor');
  const X: Float64Array[] = [];
  const y: Label[] = [];
  for (let t = 0; t < n; t++) {
    const a = 2 * rng.uniform() - 1;
    const b = 2 * rng.uniform() - 1;
    X.push(Float64Array.of(a, b));
    y.push(a * b >= 0 ? 1 : -1);
  }
  return { name: 'xor', dim: 2, X, y };
}

/** Options of {@link recsysLike}. */
export interface RecsysLikeOptions {
  n: number;
  /** Users (one-hot block; default 60). */
  users?: number;
  /** Item categories (one-hot block; default 120). */
  items?: number;
  /** Dense continuous features (default 6, like KuaiRec's daily item statistics). */
  continuous?: number;
  /** Teacher anchors (default 40). */
  anchors?: number;
  /** Teacher kernel width (default 1.2). */
  sigma?: number;
  /** Teacher drift per round: anchor weights follow a random walk with this step (default 0.002). */
  drift?: number;
  seed?: number | string;
}

/**
 * A KuaiRec-like stand-in (notes §4.1): each row is a one-hot user, a one-hot item category and
 * a few continuous item statistics; the label is the sign of a Gaussian-kernel teacher
 * f*(x) = Σⱼ aⱼ κ(cⱼ, x) − median offset, whose weights drift slowly (a random walk).
 */
export function recsysLike(options: RecsysLikeOptions): Stream {
  const o = readOptions(options) as RecsysLikeOptions;
  assertInteger('n', o.n, 1);
  const U = o.users ?? 60;
  const I = o.items ?? 120;
  const C = o.continuous ?? 6;
  const m = o.anchors ?? 40;
  const sigma = o.sigma ?? 1.2;
  const drift = o.drift ?? 0.002;
  const dim = U + I + C;
  const rng = new Rng(o.seed ?? 0).fold('recsys');
  const userTaste = rng.fold('taste').normalArray(U * C);
  const make = (r: Rng): Float64Array => {
    const x = new Float64Array(dim);
    const u = Math.min(U - 1, Math.floor(U * r.uniform() ** 1.5)); // skewed user activity
    const it = r.int(I);
    x[u] = 1;
    x[U + it] = 1;
    for (let j = 0; j < C; j++) x[U + I + j] = 0.5 * userTaste[u * C + j] + r.normal() * 0.7;
    return x;
  };
  const anchorRng = rng.fold('anchors');
  const anchors = Array.from({ length: m }, () => make(anchorRng));
  const a = rng.fold('weights').normalArray(m);
  const walk = rng.fold('walk');
  const draw = rng.fold('points');
  const X: Float64Array[] = [];
  const scores: number[] = [];
  for (let t = 0; t < o.n; t++) {
    const x = make(draw);
    let f = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        const d = x[i] - anchors[j][i];
        s += d * d;
      }
      f += a[j] * Math.exp(-s / (2 * sigma * sigma));
    }
    for (let j = 0; j < m; j++) a[j] += drift * walk.normal();
    X.push(x);
    scores.push(f);
  }
  const med = median(scores);
  return { name: 'recsys-like', dim, X, y: scores.map((f) => (f > med ? 1 : -1)) };
}

/**
 * A cod-rna-like stand-in (8 features, nonlinear, ~1/3 positives, some label noise): the real
 * cod-rna is not redistributable here (notes §5b).
 */
export function codRnaLike(n: number, seed: number | string = 0): Stream {
  assertInteger('n', n, 1);
  const rng = new Rng(seed).fold('codrna');
  const X: Float64Array[] = [];
  const y: Label[] = [];
  for (let t = 0; t < n; t++) {
    const x = rng.normalArray(8);
    const f = Math.sin(1.5 * x[0]) + 0.8 * x[1] * x[2] - 0.5 * x[3] * x[3] + 0.3 * x[4] - 0.4 * Math.abs(x[5]) + 0.2 * x[6] * x[7] - 0.1;
    let l: Label = f > 0.35 ? 1 : -1;
    if (rng.uniform() < 0.05) l = -l as Label;
    X.push(x);
    y.push(l);
  }
  return { name: 'cod-rna-like', dim: 8, X, y };
}

/** Options of {@link adversarialBlocks}. */
export interface AdversarialOptions {
  /** kb: distinct samples used (default 500). */
  blocks?: number;
  /** kr: consecutive repeats of each sample (default 10). */
  repeats?: number;
  /** Flip the labels of every odd-numbered block (default true). */
  flipOdd?: boolean;
  seed?: number | string;
}

/**
 * The paper's adversarial construction (notes §4.3): take the first `blocks` indices of a random
 * permutation, emit each sample `repeats` times consecutively, and flip the label of every
 * odd-numbered block: N = blocks × repeats rounds.
 */
export function adversarialBlocks(data: Stream, o: AdversarialOptions = {}): Stream {
  const stream = readStream(data, 'data');
  readOptions(o);
  const flipOdd = o.flipOdd === undefined ? true : readBoolean(o.flipOdd, 'flipOdd');
  const kb = o.blocks ?? 500;
  const kr = o.repeats ?? 10;
  assertInteger('blocks', kb, 1);
  assertInteger('repeats', kr, 1);
  if (kb > stream.X.length) throw new ShapeError(`blocks must be <= the number of samples (${stream.X.length}), got ${kb}`, 'blocks');
  const perm = new Rng(o.seed ?? 0).fold('adversarial').permutation(stream.X.length);
  const X: Float64Array[] = [];
  const y: Label[] = [];
  for (let b = 0; b < kb; b++) {
    const i = perm[b];
    const l = flipOdd && b % 2 === 1 ? (-stream.y[i] as Label) : stream.y[i];
    for (let r = 0; r < kr; r++) {
      X.push(stream.X[i]);
      y.push(l);
    }
  }
  return { name: `${stream.name}-adversarial`, dim: stream.dim, X, y };
}

/** A random permutation of a stream (the paper's 20 repetitions use 20 permutations). */
export function permuteStream(s: Stream, seed: number | string): Stream {
  const stream = readStream(s, 's');
  const p = new Rng(seed).fold('permute').permutation(stream.X.length);
  return { name: stream.name, dim: stream.dim, X: Array.from(p, (i) => stream.X[i]), y: Array.from(p, (i) => stream.y[i]) };
}

/** Standardises each feature to zero mean / unit variance (constant features left at 0). */
export function standardize(s: Stream): Stream {
  const stream = readStream(s, 's');
  const d = stream.dim;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const x of stream.X) for (let j = 0; j < d; j++) mean[j] += x[j];
  for (let j = 0; j < d; j++) mean[j] /= stream.X.length;
  for (const x of stream.X) for (let j = 0; j < d; j++) sq[j] += (x[j] - mean[j]) ** 2;
  const sd = Array.from(sq, (v) => Math.sqrt(v / stream.X.length));
  return { ...stream, X: stream.X.map((x) => Float64Array.from(x, (v, j) => (sd[j] > 0 ? (v - mean[j]) / sd[j] : 0))) };
}
