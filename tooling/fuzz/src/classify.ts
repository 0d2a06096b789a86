/**
 * Judging one call: a typed `DescentError` naming the argument passes; a user callback's own
 * error propagating passes (documented); anything returned is scanned for non-finite numbers and
 * tensors (leak check); everything else — an untyped error, a typed error naming nothing, a bad
 * input accepted, a NaN, a leak — fails.
 * @module
 */
import { FuzzCallbackError } from './values';

/** How a case ended. */
export type OutcomeKind = 'typed' | 'documented' | 'fail';

/** A judged case. */
export interface Outcome {
  kind: OutcomeKind;
  /** Why (the error message, the non-finite value, the leak). */
  detail: string;
}

/** Whether `e` is a descent typed error (recognised by its prototype chain, across module copies). */
export function isDescentError(e: unknown): e is Error & { argument?: string } {
  if (!(e instanceof Error)) {
    if (e === null || typeof e !== 'object') return false;
  }
  for (let p = Object.getPrototypeOf(e); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === 'DescentError') return true;
  }
  return false;
}

interface TensorLike {
  rank: number;
  shape: number[];
  size?: number;
  dataSync(): ArrayLike<number>;
  dispose(): void;
  isDisposed?: boolean;
}

function isTensor(v: unknown): v is TensorLike {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as TensorLike).dataSync === 'function' &&
    typeof (v as TensorLike).dispose === 'function' &&
    Array.isArray((v as TensorLike).shape)
  );
}

/** The first non-finite number inside `value` (depth-limited walk), or null. Tensors are read when small. */
export function findNonFinite(
  value: unknown,
  tensors: TensorLike[],
  depth = 0,
  path = 'result',
  seen = new Set<unknown>(),
): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${value} at ${path}`;
  if (value === null || typeof value !== 'object' || depth > 5 || seen.has(value)) return null;
  seen.add(value);
  if (isTensor(value)) {
    tensors.push(value);
    if (value.isDisposed) return null;
    const size = value.shape.reduce((a, b) => a * b, 1);
    if (size > 100000) return null;
    let data: ArrayLike<number>;
    try {
      data = value.dataSync();
    } catch {
      return null; // string tensors and the like
    }
    for (let i = 0; i < data.length; i++)
      if (typeof data[i] === 'number' && !Number.isFinite(data[i]))
        return `${data[i]} at ${path}[${i}] (tensor)`;
    return null;
  }
  if (ArrayBuffer.isView(value)) {
    const v = value as unknown as ArrayLike<unknown>;
    for (let i = 0; i < v.length && i < 100000; i++) {
      const x = v[i];
      if (typeof x === 'number' && !Number.isFinite(x)) return `${x} at ${path}[${i}]`;
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && i < 10000; i++) {
      const r = findNonFinite(value[i], tensors, depth + 1, `${path}[${i}]`, seen);
      if (r) return r;
    }
    return null;
  }
  if (value instanceof Map || value instanceof Set) return null;
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return null;
  }
  for (const k of keys.slice(0, 200)) {
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[k];
    } catch {
      continue;
    }
    const r = findNonFinite(v, tensors, depth + 1, `${path}.${k}`, seen);
    if (r) return r;
  }
  return null;
}

/** Disposes the tensors a call returned (so they do not count as leaks). */
export function disposeAll(tensors: TensorLike[]): void {
  for (const t of tensors) {
    try {
      if (!t.isDisposed) t.dispose();
    } catch {
      // already gone
    }
  }
}

/** Judges a thrown value. */
export function judgeError(e: unknown): Outcome {
  if (e instanceof FuzzCallbackError)
    return { kind: 'documented', detail: "the user callback's own error propagated unchanged" };
  if (isDescentError(e)) {
    const arg = e.argument;
    if (typeof arg === 'string' && arg.length > 0)
      return { kind: 'typed', detail: `${e.name}(${arg}): ${e.message}` };
    return { kind: 'fail', detail: `typed ${e.name} naming no argument: ${e.message}` };
  }
  const err = e as Error | null;
  const name = err && typeof err === 'object' && 'name' in err ? String(err.name) : typeof e;
  const msg = err && typeof err === 'object' && 'message' in err ? String(err.message) : String(e);
  return { kind: 'fail', detail: `untyped ${name}: ${msg.split('\n')[0].slice(0, 200)}` };
}
