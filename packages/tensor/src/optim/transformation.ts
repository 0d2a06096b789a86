/**
 * The optax-style core: a {@link GradientTransformation} is a pair of pure functions
 * `init(params) -> state` and `update(grads, state, params?) -> { updates, state }` on flat
 * `Float64Array` parameters. States are plain JSON-serialisable objects and are never mutated:
 * `update` returns a new state. Updates are *added* to the parameters ({@link applyUpdates}).
 * @module
 */
import { DescentError, ShapeError, ValueError, checkName, describe } from '../errors';
import { readOptions } from '../options/read';
import type { GradientTransformation } from '../protocols/gradientTransformation';

export type { GradientTransformation, StateOf } from '../protocols/gradientTransformation';

/** Throws unless `grads` is a Float64Array-like of the expected length with finite entries. */
export function checkVector(name: string, v: unknown, expected?: number): asserts v is Float64Array {
  checkName(name);
  if (
    expected !== undefined &&
    (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0)
  ) {
    throw new ValueError(`expected must be a length, got ${describe(expected)}`, 'expected');
  }
  if (!(v instanceof Float64Array)) {
    throw new ShapeError(`${name} must be a Float64Array, got ${describe(v)}`, name);
  }
  if (expected !== undefined && v.length !== expected) {
    throw new ShapeError(
      `${name} must have length ${expected} (the length at init), got length ${v.length}`,
      name,
    );
  }
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new ValueError(
        `${name} must contain only finite numbers, got ${describe(v[i])} at index ${i}`,
        name,
      );
    }
  }
}

function assertIntegerArg(n: unknown): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new ValueError(`n must be a length, got ${describe(n)}`, 'n');
}

/** Checks that a transformation state is a plain object (also for stateless transformations, whose state is `{}`). */
export function stateObject(state: unknown): Record<string, unknown> {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new ValueError(`state must be an object, got ${describe(state)}`, 'state');
  }
  return state as Record<string, unknown>;
}

/**
 * Re-throws a typed error about `state…` as one about `prefix…` (e.g. the i-th state of a chain,
 * `state[2].mu[0]`, or a state saved in a blob, `optStates[3].nu[1]`); other errors unchanged.
 */
export function restateError(e: unknown, prefix: string): unknown {
  checkName(prefix);
  if (!(e instanceof DescentError) || !e.argument?.startsWith('state')) return e;
  const arg = `${prefix}${e.argument.slice(5)}`;
  const Ctor = e.constructor as new (message: string, argument?: string) => DescentError;
  return new Ctor(e.message.replace(/\bstate\b/, prefix), arg);
}

/**
 * Checks a transformation state restored from JSON by running one update with zero gradients at
 * `params` on it (states are validated where they are read); a damaged state is a typed error
 * naming the entry under `path` (`optStates[3].nu[1] must be a finite number >= 0, got -1`).
 * Returns the state.
 */
export function validateState<S, T extends GradientTransformation<S>>(
  opt: T,
  params: Float64Array,
  state: unknown,
  path = 'state',
): S {
  if (opt === null || typeof opt !== 'object' || typeof opt.update !== 'function') {
    throw new ValueError(`opt must be a GradientTransformation, got ${describe(opt)}`, 'opt');
  }
  checkVector('params', params);
  checkName(path);
  try {
    opt.update(new Float64Array(params.length), state as S, params);
  } catch (e) {
    throw restateError(e, path);
  }
  return state as S;
}

/**
 * Reads the numeric array field `key` of a transformation state (length `n`, every entry a finite
 * number): a state restored from JSON is validated here, so a damaged state is a typed error
 * naming the entry (`state.mu[3] must be a finite number, got null`), never NaN updates.
 */
export function stateArray(
  state: unknown,
  key: string,
  n: number,
  options: { nonNegative?: boolean } = {},
): number[] {
  checkName(key);
  assertIntegerArg(n);
  const { nonNegative = false } = readOptions<{ nonNegative?: boolean }>(options);
  const arr = stateObject(state)[key];
  if (!Array.isArray(arr))
    throw new ValueError(`state.${key} must be a number array, got ${describe(arr)}`, 'state');
  if (arr.length !== n) {
    throw new ShapeError(
      `grads must have length ${arr.length} (the length at init), got length ${n}`,
      'grads',
    );
  }
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || (nonNegative && v < 0)) {
      const what = nonNegative ? 'a finite number >= 0' : 'a finite number';
      throw new ValueError(`state.${key}[${i}] must be ${what}, got ${describe(v)}`, `state.${key}[${i}]`);
    }
  }
  return arr as number[];
}

/** Reads `state.count` (a non-negative integer step counter). */
export function stateCount(state: unknown): number {
  const c = stateObject(state).count;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
    throw new ValueError(`state.count must be a non-negative integer, got ${describe(c)}`, 'state');
  }
  return c;
}

/**
 * Checks the arguments of a `chain` (this one, or a chain over other parameter types such as
 * `@descent/nn`'s trees): every entry must have `init` and `update` functions, else a
 * {@link ValueError} naming `transforms[i]`; `kind` is the protocol named in the message.
 */
export function checkChainArguments(transforms: readonly unknown[], kind = 'GradientTransformation'): void {
  if (!Array.isArray(transforms))
    throw new ValueError(`transforms must be an array of transformations, got ${describe(transforms)}`, 'transforms');
  if (typeof kind !== 'string') throw new ValueError(`kind must be a string, got ${describe(kind)}`, 'kind');
  transforms.forEach((t, i) => {
    const o = t as Partial<GradientTransformation<unknown, unknown>> | null;
    if (o == null || typeof o.init !== 'function' || typeof o.update !== 'function') {
      throw new ValueError(
        `transforms[${i}] (chain argument ${i}) must be a ${kind}, got ${describe(t)}`,
        `transforms[${i}]`,
      );
    }
  });
}

/**
 * Checks the state of a `chain` of `n` transformations: an array of `n` inner states, else a
 * {@link ValueError} naming `state`. Returns it.
 */
export function chainState(state: unknown, n: number): unknown[] {
  assertIntegerArg(n);
  if (!Array.isArray(state) || state.length !== n) {
    throw new ValueError(`state must be an array of ${n} inner states, got ${describe(state)}`, 'state');
  }
  return state;
}

/**
 * Chains transformations left to right: the updates of one are the grads of the next
 * (optax `chain`). The state is the array of the inner states.
 *
 * ```ts
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a chain mixes transformations of different state types
export function chain(...transforms: GradientTransformation<any>[]): GradientTransformation<unknown[]> {
  checkChainArguments(transforms);
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update(grads, state, params) {
      chainState(state, transforms.length);
      let u = grads;
      const next: unknown[] = new Array(transforms.length);
      for (let i = 0; i < transforms.length; i++) {
        let r: { updates: Float64Array; state: unknown };
        try {
          r = transforms[i].update(u, state[i], params);
        } catch (e) {
          throw restateError(e, `state[${i}]`);
        }
        u = r.updates;
        next[i] = r.state;
      }
      return { updates: u, state: next };
    },
  };
}

/** `params + updates` as a new Float64Array (optax `apply_updates`). */
export function applyUpdates(params: Float64Array, updates: Float64Array): Float64Array {
  if (!(params instanceof Float64Array))
    throw new ShapeError(`params must be a Float64Array, got ${describe(params)}`, 'params');
  checkVector('updates', updates, params.length);
  const out = new Float64Array(params.length);
  for (let i = 0; i < out.length; i++) out[i] = params[i] + updates[i];
  return out;
}

/** The identity transformation (state `{}`); useful as a placeholder. */
export function identity(): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (grads, state) => {
      checkVector('grads', grads);
      stateObject(state);
      return { updates: Float64Array.from(grads), state: {} };
    },
  };
}
