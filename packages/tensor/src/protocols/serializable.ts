/**
 * The serialisation protocol: every stateful object writes a versioned plain-JSON blob
 * `{ type, version, ... }` and its class reads it back with a validating `fromJSON`
 * (see `openBlob` in the serialisation layer).
 * @module
 */

/**
 * A serialised object: plain JSON (numbers, strings, booleans, null, arrays, objects) with the
 * class name in `type` and the format version in `version`. Non-finite numbers that a state may
 * legitimately hold (`Infinity` before the first evaluation, `maxEvals: Infinity`) are written as
 * the strings `'Infinity'` / `'-Infinity'` (see `encodeNumber`), so that `JSON.stringify` never
 * turns them into `null`.
 */
export interface VersionedJSON<T extends string = string> {
  /** The class (or kind) that wrote the blob, e.g. `'CMAES'`. */
  type: T;
  /** The format version (an integer ≥ 1), raised whenever the layout changes. */
  version: number;
  [field: string]: unknown;
}

/** The header every blob has: `{ type, version }` (an interface without an index signature satisfies it). */
export interface BlobHeader {
  readonly type: string;
  readonly version: number;
}

/**
 * An object that can be saved: `JSON.parse(JSON.stringify(x.toJSON()))` handed to the class's
 * `fromJSON` continues bit for bit (up to the sign of zero, which JSON does not keep).
 */
export interface Serializable<J extends BlobHeader = VersionedJSON> {
  /** The full state as a versioned plain-JSON blob. */
  toJSON(): J;
}

/**
 * The static side of a {@link Serializable} class: `fromJSON` accepts the blob (or its JSON
 * text) and validates every field, throwing a `ValueError` or `ShapeError` that names the field
 * path (`state.C[3] must be a finite number, got null`) for anything wrong.
 */
export interface Deserializer<T, Extra = never> {
  /** Restores an object from a blob written by its `toJSON` (or from the blob's JSON text). */
  fromJSON(json: unknown, extra?: Extra): T;
}
