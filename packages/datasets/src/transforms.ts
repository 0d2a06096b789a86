/**
 * Pure, seeded transformations of example sets: splits, label noise, class selection,
 * 2×2 downsampling of images and feature standardisation. Every random choice goes through the
 * shared `Rng` (same seed, same bits, on every platform); inputs are never modified.
 * @module
 */
import { Rng, type Seed, ShapeError, ValueError, describe, readSeed } from '@descent/tensor';
import { type ClassificationData, type Examples, assertExamples, takeExamples } from './examples';

/**
 * A seeded split of `data` into named parts, cut in the order of `sizes` from one permutation
 * `new Rng(seed).fold('split').permutation(n)`. A size is a count (an integer ≥ 0) or a fraction
 * of n in (0, 1) (rounded); the parts must fit into n (examples left over are dropped).
 *
 * ```ts
 * const { train, test } = splitData(mnist, { train: 0.8, test: 0.2 }, 0);
 * const { train, validation, test } = splitData(mnist, { train: 1000, validation: 200, test: 1000 }, 'run-1');
 * ```
 */
export function splitData<D extends Examples, K extends string>(
  data: D,
  sizes: Record<K, number>,
  seed: Seed,
): Record<K, D> {
  assertExamples('data', data);
  readSeed(seed);
  if (sizes == null || typeof sizes !== 'object' || Array.isArray(sizes)) {
    throw new ValueError(`sizes must be an object { part: count or fraction }, got ${describe(sizes)}`, 'sizes');
  }
  const n = data.n;
  const keys = Object.keys(sizes) as K[];
  if (keys.length === 0) throw new ValueError('sizes must name at least one part, got {}', 'sizes');
  const counts = keys.map((k) => {
    const v = sizes[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v >= 1 && !Number.isInteger(v))) {
      throw new ValueError(`sizes.${k} must be a count (integer >= 0) or a fraction in (0, 1), got ${describe(v)}`, `sizes.${k}`);
    }
    return v > 0 && v < 1 ? Math.round(v * n) : v;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > n) {
    throw new ValueError(`sizes must add up to at most n = ${n}, got ${keys.map((k, i) => `${k} ${counts[i]}`).join(' + ')} = ${total}`, 'sizes');
  }
  const perm = new Rng(seed).fold('split').permutation(n);
  const out = {} as Record<K, D>;
  let start = 0;
  keys.forEach((k, i) => {
    out[k] = takeExamples(data, perm.subarray(start, start + counts[i]));
    start += counts[i];
  });
  return out;
}

/**
 * Corrupts the labels of exactly `round(fraction · n)` examples (drawn without replacement):
 * each gets a class drawn uniformly from the *other* classes (the hyper-cleaning protocol of
 * Franceschi et al. 2017). The result records `cleanY` (the labels before) and `corrupted`
 * (1 where changed). Draws from `new Rng(seed).fold('label-noise')`. Apply it to the training
 * split only.
 *
 * ```ts
 * const noisy = withLabelNoise(train, 0.5, 0); // half the labels wrong; noisy.corrupted marks them
 * ```
 */
export function withLabelNoise<D extends Examples>(data: D, fraction: number, seed: Seed): D {
  assertExamples('data', data);
  readSeed(seed);
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new ValueError(`fraction must be in [0, 1], got ${describe(fraction)}`, 'fraction');
  }
  if (data.classes < 2 && fraction > 0) {
    throw new ValueError(`data must have at least 2 classes to corrupt labels, got ${data.classes}`, 'data');
  }
  const n = data.n;
  const rng = new Rng(seed).fold('label-noise');
  const chosen = rng.permutation(n).subarray(0, Math.round(fraction * n));
  const out = takeExamples(data, Int32Array.from({ length: n }, (_, i) => i));
  const clean = data.cleanY ?? data.y;
  out.cleanY = Int32Array.from(clean);
  out.corrupted = data.corrupted ? Uint8Array.from(data.corrupted) : new Uint8Array(n);
  // sorted so that the draws do not depend on the permutation's order of the chosen rows
  const rows = Int32Array.from(chosen).sort();
  for (const i of rows) {
    out.y[i] = (clean[i] + 1 + rng.int(data.classes - 1)) % data.classes;
    out.corrupted[i] = 1;
  }
  return out;
}

/**
 * The examples of the classes `classIds` (in file order). With `relabel` (default true) class
 * `classIds[k]` becomes class k (e.g. digits 5–9 → 0–4 for a transfer task); otherwise the ids
 * and `classes` are kept.
 */
export function selectClasses<D extends Examples>(
  data: D,
  classIds: readonly number[],
  options: { relabel?: boolean } = {},
): D {
  assertExamples('data', data);
  if (!Array.isArray(classIds) || classIds.length === 0) {
    throw new ValueError(`classIds must be a non-empty array of class ids, got ${describe(classIds)}`, 'classIds');
  }
  const map = new Map<number, number>();
  classIds.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 0 || c >= data.classes || map.has(c)) {
      throw new ValueError(`classIds must be distinct integers in [0, ${data.classes - 1}], got ${describe(c)} at index ${k}`, 'classIds');
    }
    map.set(c, k);
  });
  const relabel = options?.relabel ?? true;
  const idx: number[] = [];
  for (let i = 0; i < data.n; i++) if (map.has(data.y[i])) idx.push(i);
  const out = takeExamples(data, idx);
  if (relabel) {
    for (let i = 0; i < out.n; i++) out.y[i] = map.get(out.y[i]) as number;
    if (out.cleanY) for (let i = 0; i < out.n; i++) out.cleanY[i] = map.get(out.cleanY[i]) ?? -1;
    out.classes = classIds.length;
    out.classNames = classIds.map((c) => data.classNames[c]);
  }
  return out;
}

/**
 * Images averaged over 2×2 blocks (28×28 → 14×14; an odd last row or column is dropped), as in
 * the papers' "MNIST downsampled to 14×14".
 */
export function downsample2x2(data: ClassificationData): ClassificationData {
  assertExamples('data', data);
  if (!data.imageShape) throw new ShapeError('data must be images (imageShape set), got plain features', 'data');
  const [h, w, c] = data.imageShape;
  const H = Math.floor(h / 2);
  const W = Math.floor(w / 2);
  if (H === 0 || W === 0) throw new ShapeError(`images must be at least 2×2, got ${h}×${w}`, 'data');
  const f = H * W * c;
  const x = new Float32Array(data.n * f);
  for (let i = 0; i < data.n; i++) {
    const src = i * data.features;
    for (let r = 0; r < H; r++)
      for (let s = 0; s < W; s++)
        for (let k = 0; k < c; k++) {
          const a = src + ((2 * r) * w + 2 * s) * c + k;
          const b = a + w * c;
          x[i * f + (r * W + s) * c + k] = (data.x[a] + data.x[a + c] + data.x[b] + data.x[b + c]) / 4;
        }
  }
  const out = takeExamples(data, Int32Array.from({ length: data.n }, (_, i) => i));
  return { ...out, name: `${data.name} ${H}×${W}`, x, features: f, imageShape: [H, W, c] };
}

/**
 * Every image of `data` followed by its copies translated by each `[dy, dx]` of `shifts` (pixels
 * moved down by dy and right by dx; uncovered pixels are 0, pixels moved out are lost): the
 * classic training-set expansion by small translations (Simard, Steinkraus & Platt 2003). The
 * result holds `n · (1 + shifts.length)` examples, originals first, then one block per shift in
 * the given order (labels, noise marks and `sourceIndex` copied, so a copy still names its source
 * row). Deterministic; shuffle with your seeded batches. Apply it to a training split only.
 *
 * ```ts
 * const wider = shiftedCopies(train, [[0, 1], [0, -1], [1, 0], [-1, 0]]); // 5× the examples
 * ```
 */
export function shiftedCopies(data: ClassificationData, shifts: ReadonlyArray<readonly [number, number]>): ClassificationData {
  assertExamples('data', data);
  if (!data.imageShape) throw new ShapeError('data must be images (imageShape set), got plain features', 'data');
  if (!Array.isArray(shifts)) throw new ValueError(`shifts must be an array of [dy, dx] pairs, got ${describe(shifts)}`, 'shifts');
  const [h, w, c] = data.imageShape;
  shifts.forEach((sh, j) => {
    if (!Array.isArray(sh) || sh.length !== 2 || !sh.every((v) => Number.isInteger(v))) {
      throw new ValueError(`shifts[${j}] must be a pair of integers [dy, dx], got ${describe(sh)}`, `shifts[${j}]`);
    }
    if (Math.abs(sh[0]) >= h || Math.abs(sh[1]) >= w) {
      throw new ValueError(`shifts[${j}] must move less than the image size ${h}×${w}, got [${sh}]`, `shifts[${j}]`);
    }
  });
  const n = data.n;
  const f = data.features;
  const copies = 1 + shifts.length;
  const idx = new Int32Array(n * copies);
  for (let k = 0; k < copies; k++) for (let i = 0; i < n; i++) idx[k * n + i] = i;
  const out = takeExamples(data, idx);
  const x = out.x;
  shifts.forEach(([dy, dx], j) => {
    const base = (j + 1) * n * f;
    x.fill(0, base, base + n * f);
    for (let i = 0; i < n; i++) {
      const src = i * f;
      const dst = base + i * f;
      for (let r = Math.max(0, dy); r < Math.min(h, h + dy); r++) {
        const s0 = Math.max(0, dx);
        const s1 = Math.min(w, w + dx);
        const from = src + ((r - dy) * w + (s0 - dx)) * c;
        x.set(data.x.subarray(from, from + (s1 - s0) * c), dst + (r * w + s0) * c);
      }
    }
  });
  return { ...out, name: `${data.name} + ${shifts.length} shifted copies` };
}

/** Per-feature mean and standard deviation of a training set, and their application. */
export interface FeatureScaler {
  /** Mean of each feature over the fitted examples. */
  mean: Float64Array;
  /** Standard deviation of each feature (population; 1 where it is 0). */
  std: Float64Array;
  /** `(x − mean) / std` for every example of `data` (a new set). */
  apply(data: ClassificationData): ClassificationData;
}

/**
 * Standardisation fitted on `train` (fit on the training split only, then apply to every
 * split). Accumulates in float64; constant features keep std 1.
 *
 * ```ts
 * const scaler = featureScaler(train);
 * const [trainZ, testZ] = [scaler.apply(train), scaler.apply(test)];
 * ```
 */
export function featureScaler(train: ClassificationData): FeatureScaler {
  assertExamples('train', train);
  if (!(train.x instanceof Float32Array)) throw new ValueError('train must be ClassificationData (numeric features)', 'train');
  if (train.n === 0) throw new ShapeError('train must have at least one example, got 0', 'train');
  const f = train.features;
  const mean = new Float64Array(f);
  const std = new Float64Array(f);
  for (let i = 0; i < train.n; i++) for (let j = 0; j < f; j++) mean[j] += train.x[i * f + j];
  for (let j = 0; j < f; j++) mean[j] /= train.n;
  for (let i = 0; i < train.n; i++)
    for (let j = 0; j < f; j++) {
      const d = train.x[i * f + j] - mean[j];
      std[j] += d * d;
    }
  for (let j = 0; j < f; j++) {
    const s = Math.sqrt(std[j] / train.n);
    std[j] = s > 0 ? s : 1;
  }
  return {
    mean,
    std,
    apply(data: ClassificationData): ClassificationData {
      assertExamples('data', data);
      if (data.features !== f) throw new ShapeError(`data must have ${f} features, got ${data.features}`, 'data');
      const x = new Float32Array(data.x.length);
      for (let i = 0; i < data.n; i++) for (let j = 0; j < f; j++) x[i * f + j] = (data.x[i * f + j] - mean[j]) / std[j];
      return { ...takeExamples(data, Int32Array.from({ length: data.n }, (_, i) => i)), x };
    },
  };
}
