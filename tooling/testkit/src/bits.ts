/**
 * Bit-exact comparison of the observations two runs produce (numbers, typed arrays, arrays,
 * plain objects), and the check that an error is one of descent's typed errors.
 * @module
 */

/** Whether `e` is a descent typed error (a `DescentError` subclass), recognised without importing @descent/tensor. */
export function isDescentError(e: unknown): e is Error & { argument?: string } {
  if (!(e instanceof Error)) return false;
  for (let p = Object.getPrototypeOf(e); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === 'DescentError') return true;
  }
  return false;
}

function sameNumber(a: number, b: number): boolean {
  // bit for bit, except the sign of zero (JSON does not keep it) and NaN payloads
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * The first difference between `a` and `b` (a path and the two values), or `null` when they are
 * the same bit for bit (numbers compared exactly; +0 = −0 and NaN = NaN).
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    return sameNumber(a, b) ? null : `${path || 'value'}: ${a} vs ${b}`;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b) || Array.isArray(a) || Array.isArray(b)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x == null || y == null || typeof x.length !== 'number' || typeof y.length !== 'number') {
      return `${path || 'value'}: ${String(a)} vs ${String(b)}`;
    }
    if (x.length !== y.length) return `${path || 'value'}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      const d = firstDifference(x[i], y[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path || 'value'}: keys [${ka}] vs [${kb}]`;
    for (const k of ka) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      );
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path || 'value'}: ${String(a)} vs ${String(b)}`;
}

/** Throws (with the first differing path) unless `a` and `b` are the same bit for bit. */
export function expectSameBits(a: unknown, b: unknown, what = 'values'): void {
  const d = firstDifference(a, b);
  if (d) throw new Error(`${what} differ at ${d}`);
}

/** Every number inside `value` (typed arrays, arrays, objects), with its path. */
export function* numbersIn(value: unknown, path = ''): Generator<[string, number]> {
  if (typeof value === 'number') yield [path || 'value', value];
  else if (ArrayBuffer.isView(value)) {
    const v = value as unknown as ArrayLike<unknown>;
    for (let i = 0; i < v.length; i++) if (typeof v[i] === 'number') yield [`${path}[${i}]`, v[i] as number];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* numbersIn(value[i], `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* numbersIn(v, path ? `${path}.${k}` : k);
  }
}
