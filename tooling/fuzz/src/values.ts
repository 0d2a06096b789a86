/**
 * The values the fuzz suite feeds: a pool of plausible ("good") arguments used to find a call
 * that works (the baseline), and, per kind of baseline argument, the bad values that replace it.
 * @module
 */

/** What the worker found in the loaded packages (tfjs and the seeded RNG, when present). */
export interface Env {
  // biome-ignore lint/suspicious/noExplicitAny: the tfjs namespace, looked up at run time
  tf?: any;
  Rng?: new (seed?: number | string) => unknown;
  /** Tensors created for the current case (disposed after it). */
  created: { dispose(): void }[];
}

/** The kind of an argument, which decides its bad replacements. */
export type ArgKind =
  | 'undefined'
  | 'number'
  | 'vector'
  | 'matrix'
  | 'object'
  | 'function'
  | 'string'
  | 'boolean'
  | 'other';

/** A value the fuzz suite can build (fresh per case). */
export interface ValueSpec {
  /** A short label used in case names and the expected-failures list. */
  id: string;
  make(env: Env): unknown;
}

/** Thrown by the fuzz suite's own callbacks: a user error that must propagate unchanged (or become a typed error). */
export class FuzzCallbackError extends Error {
  constructor() {
    super('fuzz: a user callback threw');
    this.name = 'FuzzCallbackError';
  }
}

const sumSq = (x: unknown): number => {
  if (typeof x === 'number') return x * x;
  if (x != null && typeof (x as ArrayLike<number>).length === 'number') {
    let s = 0;
    const v = x as ArrayLike<unknown>;
    for (let i = 0; i < v.length; i++) s += sumSq(v[i]);
    return s;
  }
  return 1;
};

/** A callback that answers one number per point, or per point of a batch. */
function goodCallback(...args: unknown[]): unknown {
  const x = args[0];
  if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'object') return x.map(sumSq);
  return sumSq(x);
}

/**
 * Plausible arguments, cheapest and most common first. A baseline is the first combination of
 * these (per position) that a function accepts quickly, without a non-finite result.
 */
export const GOOD: ValueSpec[] = [
  { id: 'undefined', make: () => undefined },
  { id: '{}', make: () => ({}) },
  { id: '[0.5, -1.5, 2]', make: () => [0.5, -1.5, 2] },
  { id: '[0.5, -1.5]', make: () => [0.5, -1.5] },
  {
    id: '4×2 rows',
    make: () => [
      [0.5, -1.5],
      [1, 2],
      [-0.3, 0.7],
      [2, 1],
    ],
  },
  { id: '2', make: () => 2 },
  { id: '1', make: () => 1 },
  { id: '-1', make: () => -1 },
  { id: '3', make: () => 3 },
  { id: '0.5', make: () => 0.5 },
  { id: "'a'", make: () => 'a' },
  { id: 'f(x) = ‖x‖²', make: () => goodCallback },
  { id: 'Float64Array[3]', make: () => Float64Array.of(0.3, -0.2, 0.1) },
  { id: 'true', make: () => true },
  { id: 'new Rng(1)', make: (env) => (env.Rng ? new env.Rng(1) : undefined) },
  {
    id: '2×2 SPD rows',
    make: () => [
      [2, 0.5],
      [0.5, 1],
    ],
  },
  { id: 'tensor1d[3]', make: (env) => tensor(env, [0.5, -1.5, 2], [3]) },
  { id: 'tensor2d 4×2', make: (env) => tensor(env, [0.5, -1.5, 1, 2, -0.3, 0.7, 2, 1], [4, 2]) },
];

/** The kind of a baseline argument. */
export function kindOf(v: unknown): ArgKind {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'function') return 'function';
  if (ArrayBuffer.isView(v)) return 'vector';
  if (Array.isArray(v)) {
    if (v.length > 0 && (Array.isArray(v[0]) || ArrayBuffer.isView(v[0]))) return 'matrix';
    if (v.every((t) => typeof t === 'number')) return 'vector';
    return 'other';
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return 'object';
  return 'other';
}

function tensor(env: Env, values: number[], shape: number[]): unknown {
  if (!env.tf) return undefined;
  const t = env.tf.tensor(values, shape, 'float32');
  env.created.push(t);
  return t;
}

function disposedTensor(env: Env, shape: number[]): unknown {
  if (!env.tf) return undefined;
  const n = shape.reduce((a, b) => a * b, 1);
  const t = env.tf.tensor(new Array(n).fill(1), shape, 'float32');
  t.dispose();
  return t;
}

const throwing: ValueSpec = {
  id: 'a callback that throws',
  make: () => () => {
    throw new FuzzCallbackError();
  },
};

/** Bad replacements by kind of the baseline argument (every one is invalid for that kind). */
export const BAD: Record<ArgKind, ValueSpec[]> = {
  undefined: [
    { id: 'null', make: () => null },
    { id: 'NaN', make: () => Number.NaN },
  ],
  number: [
    { id: 'NaN', make: () => Number.NaN },
    { id: 'Infinity', make: () => Number.POSITIVE_INFINITY },
    { id: '-Infinity', make: () => Number.NEGATIVE_INFINITY },
    { id: 'null', make: () => null },
    { id: "'abc'", make: () => 'abc' },
    { id: '[1]', make: () => [1] },
    { id: '1n (BigInt)', make: () => 1n },
  ],
  vector: [
    { id: '[]', make: () => [] },
    { id: '[1, NaN, 2]', make: () => [1, Number.NaN, 2] },
    { id: '[1, null, 2]', make: () => [1, null, 2] },
    { id: '[1, Infinity, 2]', make: () => [1, Number.POSITIVE_INFINITY, 2] },
    { id: "['a', 'b', 'c']", make: () => ['a', 'b', 'c'] },
    { id: '[[1, 2, 3]] (rank 2)', make: () => [[1, 2, 3]] },
    { id: 'null', make: () => null },
    { id: "'abc'", make: () => 'abc' },
    { id: 'NaN', make: () => Number.NaN },
    { id: 'tensor1d with NaN', make: (env) => tensor(env, [1, Number.NaN, 2], [3]) },
    { id: 'disposed tensor1d', make: (env) => disposedTensor(env, [3]) },
  ],
  matrix: [
    { id: '[]', make: () => [] },
    {
      id: 'ragged rows',
      make: () => [[0.5, -1.5], [1, 2], [-0.3], [2, 1]],
    },
    {
      id: 'rows with null',
      make: () => [
        [0.5, -1.5],
        [1, null],
        [-0.3, 0.7],
        [2, 1],
      ],
    },
    {
      id: 'rows with NaN',
      make: () => [
        [0.5, -1.5],
        [1, Number.NaN],
        [-0.3, 0.7],
        [2, 1],
      ],
    },
    { id: '[1, 2, 3] (rank 1)', make: () => [1, 2, 3] },
    { id: 'null', make: () => null },
    { id: "'abc'", make: () => 'abc' },
    {
      id: 'tensor2d with NaN',
      make: (env) => tensor(env, [0.5, -1.5, 1, Number.NaN, -0.3, 0.7, 2, 1], [4, 2]),
    },
    { id: 'disposed tensor2d', make: (env) => disposedTensor(env, [4, 2]) },
  ],
  object: [
    { id: 'null', make: () => null },
    { id: "'abc'", make: () => 'abc' },
    { id: '42', make: () => 42 },
    { id: '[]', make: () => [] },
  ],
  function: [
    throwing,
    { id: 'a callback returning NaN', make: () => () => Number.NaN },
    { id: "a callback returning 'abc'", make: () => () => 'abc' },
    { id: 'null', make: () => null },
    { id: '42', make: () => 42 },
  ],
  string: [
    { id: '42', make: () => 42 },
    { id: 'null', make: () => null },
    { id: 'NaN', make: () => Number.NaN },
  ],
  boolean: [
    { id: "'yes'", make: () => 'yes' },
    { id: '1', make: () => 1 },
    { id: 'null', make: () => null },
  ],
  other: [
    { id: 'null', make: () => null },
    { id: 'NaN', make: () => Number.NaN },
  ],
};

/** Bad values for one option of an options object. */
export const BAD_OPTION: ValueSpec[] = [
  { id: 'NaN', make: () => Number.NaN },
  { id: 'null', make: () => null },
];

/** Bad values for an option that is a size, a count or a budget (by its name). */
export const BAD_SIZE: ValueSpec[] = [
  { id: '-1', make: () => -1 },
  { id: '2.5', make: () => 2.5 },
];

/** Option names that are sizes, counts or budgets: negative or fractional values are invalid. */
export const SIZE_OPTION =
  /^(n|d|m|k|p|dim|size|count|rank|batch|horizon|budget|popSize|numPopulations|maxSteps|maxEvals|steps|width|depth|sketchSize|sampleSize|numFrequencies|blocks|historyEvery|checkEvery|batchSize|epochs|layers|heads|hidden|units)$/i;

/** Candidates reordered by what a parameter or option name suggests (hinted ones first). */
export function byName<T extends ValueSpec>(name: string | undefined, pool: T[]): T[] {
  if (!name) return pool;
  const hints: [RegExp, RegExp][] = [
    [
      /^(f|fn|func|objective|loss|callback|negLogP|logP|logDensity|score|gradLogP|predicate|map|step|schedule|onStep)$/i,
      /f\(x\)/,
    ],
    [/^(options|opts|o|config|settings|spec)$/i, /^\{\}$/],
    [/^(X|A|M|points|means|rows|xs|data|matrix|samples|Y|B|W|G|L|R|U|V)$/, /rows/],
    [/^(t|tensor|logits|input|inputs|s)$/, /tensor/],
    [/^(x|x0|y|v|u|z|mean0|mean|vector|values|weights|grads|params|center|g|a|b)$/, /^\[|Float64/],
    [/^(n|d|k|m|p|dim|size|count|rank|steps|horizon|budget|i|j|lambda|popSize|degree)$/i, /^(2|3|1)$/],
    [/^(rng|random)$/i, /Rng/],
    [/^(name|type|label|key|text|id|kind|method)$/i, /^'/],
  ];
  for (const [re, want] of hints) {
    if (re.test(name))
      return [...pool.filter((c) => want.test(c.id)), ...pool.filter((c) => !want.test(c.id))];
  }
  return pool;
}
