/**
 * Labelled examples as flat typed arrays, the platform-neutral shape every loader of this
 * package returns for learning: {@link ClassificationData} (numeric features, e.g. images) and
 * {@link TextData} (strings), and the one row selection they share ({@link takeExamples}).
 * A float32 feature block turns into a tensor without a copy: `tf.tensor2d(d.x, [d.n, d.features])`.
 * @module
 */
import { ShapeError, ValueError, checkName, describe } from '@descent/tensor';

/** What every labelled example set has. */
export interface LabelledExamples {
  /** The data set's name (and what was done to it, e.g. `'mnist-digits 14×14'`). */
  name: string;
  /** Number of examples. */
  n: number;
  /** Class id of each example, in [0, classes). */
  y: Int32Array;
  /** Number of classes. */
  classes: number;
  /** Name of each class, in class-id order. */
  classNames: readonly string[];
  /** Row of each example in the shipped file (follows every selection and split). */
  sourceIndex: Int32Array;
  /** The labels before {@link withLabelNoise} changed some (present after it). */
  cleanY?: Int32Array;
  /** 1 where {@link withLabelNoise} changed the label (present after it). */
  corrupted?: Uint8Array;
}

/** Numeric examples: `x` holds `n × features` float32 values, row-major. */
export interface ClassificationData extends LabelledExamples {
  /** The features, example after example (`x[i * features + j]`). */
  x: Float32Array;
  /** Features per example. */
  features: number;
  /** `[height, width, channels]` of one example when the rows are images (`features` = h·w·c). */
  imageShape?: readonly [number, number, number];
}

/** Text examples. */
export interface TextData extends LabelledExamples {
  /** The text of each example. */
  texts: string[];
  /** The source group of each example (e.g. `'easy-ham-1'`, `'spam-2'`). */
  groups: string[];
}

/** Either kind of example set. */
export type Examples = ClassificationData | TextData;

function isClassification(d: Examples): d is ClassificationData {
  return (d as ClassificationData).x instanceof Float32Array;
}

/** Throws a typed error naming `name` unless `data` is a consistent example set; returns it typed. */
export function assertExamples<D extends Examples>(name: string, data: D): D {
  checkName(name);
  const d = data as Partial<ClassificationData & TextData> | null;
  if (d == null || typeof d !== 'object' || !(d.y instanceof Int32Array) || !Number.isInteger(d.n)) {
    throw new ValueError(`${name} must be ClassificationData or TextData, got ${describe(data)}`, name);
  }
  const n = d.n as number;
  if (d.y.length !== n) throw new ShapeError(`${name}.y must have ${n} labels, got ${d.y.length}`, `${name}.y`);
  if (!(d.sourceIndex instanceof Int32Array) || d.sourceIndex.length !== n) {
    throw new ShapeError(`${name}.sourceIndex must be an Int32Array of length ${n}`, `${name}.sourceIndex`);
  }
  if (!Number.isInteger(d.classes) || (d.classes as number) < 1) {
    throw new ValueError(`${name}.classes must be a positive integer, got ${describe(d.classes)}`, `${name}.classes`);
  }
  if (d.x instanceof Float32Array) {
    if (!Number.isInteger(d.features) || d.x.length !== n * (d.features as number)) {
      throw new ShapeError(`${name}.x must hold n × features = ${n} × ${d.features} values, got ${d.x.length}`, `${name}.x`);
    }
  } else if (Array.isArray(d.texts)) {
    if (d.texts.length !== n) throw new ShapeError(`${name}.texts must have ${n} texts, got ${d.texts.length}`, `${name}.texts`);
  } else {
    throw new ValueError(`${name} must have features x (Float32Array) or texts, got neither`, name);
  }
  return data;
}

/**
 * The examples `indices` of `data`, in that order, as a new set of the same kind (every
 * per-example field is copied: features, labels, texts, groups, noise marks, source rows).
 *
 * ```ts
 * const firstTen = takeExamples(spam, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * ```
 */
export function takeExamples<D extends Examples>(data: D, indices: ArrayLike<number>): D {
  assertExamples('data', data);
  const n = data.n;
  const m = indices?.length;
  if (!Number.isInteger(m)) throw new ValueError(`indices must be an array of integers, got ${describe(indices)}`, 'indices');
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new ValueError(`indices must be integers in [0, ${n - 1}], got ${describe(j)} at index ${i}`, 'indices');
    }
    idx[i] = j;
  }
  const pick = <A extends Int32Array | Uint8Array>(a: A, make: (k: number) => A): A => {
    const out = make(m);
    for (let i = 0; i < m; i++) out[i] = a[idx[i]];
    return out;
  };
  const base: LabelledExamples = {
    name: data.name,
    n: m,
    y: pick(data.y, (k) => new Int32Array(k)),
    classes: data.classes,
    classNames: data.classNames,
    sourceIndex: pick(data.sourceIndex, (k) => new Int32Array(k)),
  };
  if (data.cleanY) base.cleanY = pick(data.cleanY, (k) => new Int32Array(k));
  if (data.corrupted) base.corrupted = pick(data.corrupted, (k) => new Uint8Array(k));
  if (isClassification(data)) {
    const f = data.features;
    const x = new Float32Array(m * f);
    for (let i = 0; i < m; i++) x.set(data.x.subarray(idx[i] * f, (idx[i] + 1) * f), i * f);
    const out: ClassificationData = { ...base, x, features: f };
    if (data.imageShape) out.imageShape = data.imageShape;
    return out as D;
  }
  const t = data as TextData;
  const out: TextData = {
    ...base,
    texts: Array.from(idx, (j) => t.texts[j]),
    groups: Array.from(idx, (j) => t.groups[j]),
  };
  return out as D;
}

/**
 * The examples `i` of `data` (ascending) for which `predicate(i, data)` returns true, as a new set
 * of the same kind ({@link takeExamples} of those indices). The predicate must return a boolean.
 *
 * ```ts
 * const hardHam = filterExamples(spam, (i, d) => d.groups[i] === 'hard-ham-1');
 * ```
 */
export function filterExamples<D extends Examples>(data: D, predicate: (index: number, data: D) => boolean): D {
  assertExamples('data', data);
  if (typeof predicate !== 'function') throw new ValueError(`predicate must be a function, got ${describe(predicate)}`, 'predicate');
  const out: number[] = [];
  for (let i = 0; i < data.n; i++) {
    const keep: unknown = predicate(i, data);
    if (typeof keep !== 'boolean') {
      throw new ValueError(`predicate must return true or false, got ${describe(keep)} for example ${i}`, 'predicate');
    }
    if (keep) out.push(i);
  }
  return takeExamples(data, out);
}
