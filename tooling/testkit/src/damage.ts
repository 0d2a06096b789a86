/**
 * Damaged blobs: every way a saved blob can be broken (truncated text, wrong type or version,
 * missing fields, nulls, strings, non-finite or huge numbers, type swaps, shortened arrays), and
 * the property that `fromJSON` meets each one with a typed error naming the field, or restores
 * a sound object.
 * @module
 */
import { isDescentError, numbersIn } from './bits';

/** How serious a damage is. */
export type DamageSeverity =
  /** The blob cannot be valid any more: `fromJSON` must throw a typed error. */
  | 'invalid'
  /** The blob may still be valid (a deleted optional field, a shorter history, another number): typed error or a sound object. */
  | 'suspect';

/** One damaged copy of a blob. */
export interface Damage {
  /** What was done, e.g. `'state.C[3] → null'`. */
  label: string;
  /** The path of the damaged field (`''` for the whole blob). */
  path: string;
  /** The damaged blob (an object, or JSON text, or anything for root damage). */
  blob: unknown;
  severity: DamageSeverity;
  /**
   * Whether a typed error must name this field (checked for `'invalid'` damages; a `'suspect'`
   * value may be caught later by whatever it breaks). False for length changes: a shortened vector
   * may be caught by its consistency with another field (`pending must have length 2`), and
   * naming that field is as right.
   */
  namesField: boolean;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Visits the nodes of a JSON value (arrays: at most first, middle and last element). */
function* nodes(
  value: Json,
  path: string,
  keys: (string | number)[],
): Generator<{ path: string; keys: (string | number)[]; value: Json }> {
  if (path) yield { path, keys, value };
  if (Array.isArray(value)) {
    const n = value.length;
    const picks = [...new Set([0, n >> 1, n - 1])].filter((i) => i >= 0 && i < n);
    for (const i of picks) yield* nodes(value[i], childPath(path, i), [...keys, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* nodes(v, childPath(path, k), [...keys, k]);
  }
}

function setAt(
  root: Json,
  keys: (string | number)[],
  f: (parent: Json[] | Record<string, Json>, key: string | number) => void,
): Json {
  const copy = clone(root);
  let p: Json = copy;
  for (let i = 0; i < keys.length - 1; i++) p = (p as Record<string, Json>)[keys[i] as string];
  f(p as Json[] | Record<string, Json>, keys[keys.length - 1]);
  return copy;
}

function replaced(root: Json, keys: (string | number)[], v: unknown): Json {
  return setAt(root, keys, (p, k) => {
    (p as Record<string | number, unknown>)[k] = v;
  });
}

/**
 * Every damaged copy of `blob` (a blob as `toJSON` writes it), deterministic: whole-blob damage
 * (not an object, truncated JSON text, wrong type or version), and for each field (of arrays the
 * first, middle and last element): deleted, `null`, a string, NaN/±Infinity, a huge, negative or
 * fractional number, a type swap, and arrays shortened, lengthened or emptied.
 */
export function damagedBlobs(blob: unknown): Damage[] {
  const root = clone(blob) as Json;
  const out: Damage[] = [];
  const add = (label: string, path: string, b: unknown, severity: DamageSeverity, namesField = true) =>
    out.push({ label, path, blob: b, severity, namesField });
  for (const v of [null, undefined, [], 42, 'not a blob', {}])
    add(`whole blob → ${JSON.stringify(v) ?? 'undefined'}`, '', v, 'invalid');
  const text = JSON.stringify(root);
  for (const frac of [0.1, 0.5, 0.9]) {
    const cut = Math.max(1, Math.floor(text.length * frac));
    add(`JSON text truncated to ${cut} of ${text.length} characters`, '', text.slice(0, cut), 'invalid');
  }
  // a versioned blob: its header is damaged too (a nested state without one, e.g. an Rng, is not)
  if (
    root !== null &&
    typeof root === 'object' &&
    !Array.isArray(root) &&
    'type' in root &&
    'version' in root
  ) {
    add("type → 'NotThisClass'", 'type', { ...root, type: 'NotThisClass' }, 'invalid');
    add('version → 999', 'version', { ...root, version: 999 }, 'invalid');
    add("version → '1'", 'version', { ...root, version: String(root.version) }, 'invalid');
    const { type: _t, ...noType } = root;
    add('type deleted', 'type', noType, 'invalid');
    const { version: _v, ...noVersion } = root;
    add('version deleted', 'version', noVersion, 'invalid');
  }
  for (const { path, keys, value } of nodes(root, '', [])) {
    if (path === 'type' || path === 'version') continue;
    const parentIsArray = typeof keys[keys.length - 1] === 'number';
    if (!parentIsArray) {
      add(
        `${path} deleted`,
        path,
        setAt(root, keys, (p, k) => delete (p as Record<string, Json>)[k as string]),
        'suspect',
      );
    }
    if (typeof value === 'number') {
      add(`${path} → null`, path, replaced(root, keys, null), 'invalid');
      add(`${path} → 'abc'`, path, replaced(root, keys, 'abc'), 'invalid');
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        add(`${path} → ${bad}`, path, replaced(root, keys, bad), 'invalid');
      }
      add(`${path} → [${value}]`, path, replaced(root, keys, [value]), 'invalid');
      add(`${path} → {}`, path, replaced(root, keys, {}), 'invalid');
      for (const odd of [1e308, -1e308, -1, 0.5, value + 1e-9 * Math.max(1, Math.abs(value))]) {
        add(`${path} → ${odd}`, path, replaced(root, keys, odd), 'suspect');
      }
    } else if (typeof value === 'string') {
      add(`${path} → null`, path, replaced(root, keys, null), 'suspect');
      add(`${path} → 42`, path, replaced(root, keys, 42), 'suspect');
      add(`${path} → 'abc'`, path, replaced(root, keys, 'abc'), 'suspect');
    } else if (typeof value === 'boolean') {
      add(`${path} → null`, path, replaced(root, keys, null), 'invalid');
      add(`${path} → 1`, path, replaced(root, keys, 1), 'invalid');
      add(`${path} → '${value}'`, path, replaced(root, keys, String(value)), 'invalid');
    } else if (Array.isArray(value)) {
      add(`${path} → null`, path, replaced(root, keys, null), 'suspect');
      add(`${path} → 42`, path, replaced(root, keys, 42), 'invalid');
      add(`${path} → {}`, path, replaced(root, keys, {}), 'invalid');
      if (value.length > 0) {
        add(
          `${path} without its last element`,
          path,
          replaced(root, keys, value.slice(0, -1)),
          'suspect',
          false,
        );
        add(
          `${path} with its last element twice`,
          path,
          replaced(root, keys, [...value, value[value.length - 1]]),
          'suspect',
          false,
        );
        add(`${path} → []`, path, replaced(root, keys, []), 'suspect', false);
      }
    } else if (value !== null && typeof value === 'object') {
      add(`${path} → null`, path, replaced(root, keys, null), 'suspect');
      add(`${path} → 42`, path, replaced(root, keys, 42), 'invalid');
      add(`${path} → []`, path, replaced(root, keys, []), 'invalid');
    }
  }
  return out;
}

/** What {@link checkDamagedBlobs} needs. */
export interface DamageCheckSpec<T> {
  /** A valid blob (`obj.toJSON()` of an object in an interesting state, e.g. with a pending batch). */
  blob: unknown;
  /** The class's `fromJSON`. */
  fromJSON: (json: unknown) => T;
  /**
   * Uses an object that `fromJSON` accepted from a damaged blob (e.g. a few ask/tell steps) and
   * returns what it observed; it must not throw anything but a typed error, and every number it
   * returns must be finite. Default: nothing.
   */
  probe?: (obj: T) => unknown;
  /** Require the typed error's message to name the damaged field (default true). */
  requirePath?: boolean;
}

/** Counts of {@link checkDamagedBlobs}. */
export interface DamageReport {
  /** Damaged blobs tried. */
  tried: number;
  /** Met with a typed error. */
  typedErrors: number;
  /** Accepted, and the restored object was sound. */
  accepted: number;
}

function lastSegment(path: string): string {
  const m = /([A-Za-z_$][\w$]*|\[\d+\])$/.exec(path);
  return m ? m[1] : path;
}

/**
 * Feeds every damaged copy of `spec.blob` ({@link damagedBlobs}) to `fromJSON`. Passes when each
 * `'invalid'` damage gives a typed `DescentError` whose message names the damaged field, and each
 * `'suspect'` damage gives a typed error or an object whose `probe` runs without untyped errors
 * and returns only finite numbers. Throws listing the first failures; returns the counts.
 */
export function checkDamagedBlobs<T>(spec: DamageCheckSpec<T>): DamageReport {
  const failures: string[] = [];
  const report: DamageReport = { tried: 0, typedErrors: 0, accepted: 0 };
  const requirePath = spec.requirePath ?? true;
  for (const d of damagedBlobs(spec.blob)) {
    report.tried++;
    let obj: T;
    try {
      obj = spec.fromJSON(d.blob);
    } catch (e) {
      if (!isDescentError(e)) {
        failures.push(
          `${d.label}: untyped ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`,
        );
      } else if (
        requirePath &&
        d.severity === 'invalid' &&
        d.namesField &&
        d.path &&
        d.path !== 'type' &&
        d.path !== 'version' &&
        !e.message.includes(lastSegment(d.path))
      ) {
        failures.push(`${d.label}: the error does not name the field (${lastSegment(d.path)}): ${e.message}`);
      } else report.typedErrors++;
      continue;
    }
    if (d.severity === 'invalid') {
      failures.push(`${d.label}: accepted (fromJSON must throw a typed error)`);
      continue;
    }
    try {
      const seen = spec.probe ? spec.probe(obj) : undefined;
      const bad = [...numbersIn(seen)].find(([, v]) => !Number.isFinite(v));
      if (bad) failures.push(`${d.label}: accepted, then the object produced ${bad[1]} at ${bad[0]}`);
      else report.accepted++;
    } catch (e) {
      if (isDescentError(e)) report.typedErrors++;
      else
        failures.push(
          `${d.label}: accepted, then the object threw an untyped ${(e as Error)?.name}: ${(e as Error)?.message}`,
        );
    }
  }
  if (failures.length > 0) {
    const shown = failures.slice(0, 15).join('\n  ');
    throw new Error(
      `${failures.length} of ${report.tried} damaged blobs were not met with a typed error or a sound object:\n  ${shown}${failures.length > 15 ? `\n  … and ${failures.length - 15} more` : ''}`,
    );
  }
  return report;
}
