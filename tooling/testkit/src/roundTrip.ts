/**
 * The round-trip property every serialisable class of descent must have: an object in a random
 * state → `toJSON` → `JSON.stringify` → `JSON.parse` → `fromJSON` writes the same blob again and
 * continues bit for bit.
 * @module
 */
import fc from 'fast-check';
import { expectSameBits, firstDifference } from './bits';

/** What {@link checkRoundTrip} needs to know about a class. */
export interface RoundTripSpec<T, A> {
  /** Random settings from which {@link RoundTripSpec.make} builds an object in some state. */
  arbitrary: fc.Arbitrary<A>;
  /** An object in a random state (constructed from `args`, then advanced a random number of steps). */
  make: (args: A) => T;
  /** The class's `fromJSON`. */
  fromJSON: (json: unknown) => T;
  /** How to save (default `obj.toJSON()`). */
  toJSON?: (obj: T) => unknown;
  /**
   * Continues the run (a few more `ask`/`tell`, `update`, `learnOne` calls …) and returns what it
   * observed (candidates, predictions, updates); the original and the restored copy must observe
   * the same bits.
   */
  advance: (obj: T, args: A) => unknown;
  /** fast-check runs (default 25). */
  numRuns?: number;
  /** fast-check seed (default: fast-check's). */
  seed?: number;
}

function save<T>(spec: RoundTripSpec<T, unknown>, obj: T): unknown {
  return spec.toJSON ? spec.toJSON(obj) : (obj as unknown as { toJSON(): unknown }).toJSON();
}

/** Checks the blob header: `{ type: string, version: integer >= 1 }`. */
export function assertVersionedBlob(json: unknown): void {
  const b = json as { type?: unknown; version?: unknown } | null;
  if (b === null || typeof b !== 'object' || Array.isArray(b))
    throw new Error(`toJSON must return an object, got ${String(json)}`);
  if (typeof b.type !== 'string' || b.type.length === 0)
    throw new Error(`toJSON must write a string 'type', got ${String(b.type)}`);
  if (typeof b.version !== 'number' || !Number.isInteger(b.version) || b.version < 1) {
    throw new Error(`toJSON must write an integer 'version' >= 1, got ${String(b.version)}`);
  }
}

/**
 * Asserts the round-trip property with fast-check: for random states, the blob survives
 * `JSON.stringify`/`JSON.parse` (no `undefined`, no non-finite number turned into `null`),
 * `fromJSON` of it writes the identical blob, and both objects continue bit for bit (and end
 * in identical states).
 *
 * ```ts
 * checkRoundTrip({
 *   arbitrary: fc.record({ seed: fc.integer(), steps: fc.nat(5) }),
 *   make: ({ seed, steps }) => { const es = new CMAES({ mean0: [0, 0], sigma0: 1, seed }); run(es, steps); return es; },
 *   fromJSON: CMAES.fromJSON,
 *   advance: (es) => run(es, 3),
 * });
 * ```
 */
export function checkRoundTrip<T, A>(spec: RoundTripSpec<T, A>): void {
  const s = spec as unknown as RoundTripSpec<T, unknown>;
  fc.assert(
    fc.property(spec.arbitrary, (args) => {
      const obj = spec.make(args);
      const json = save(s, obj);
      assertVersionedBlob(json);
      const text = JSON.stringify(json);
      const parsed = JSON.parse(text);
      const diffJson = firstDifference(json, parsed);
      if (diffJson) throw new Error(`the blob does not survive JSON.stringify/parse: ${diffJson}`);
      const copy = spec.fromJSON(parsed);
      expectSameBits(
        JSON.parse(JSON.stringify(save(s, copy))),
        parsed,
        'the blob written by the restored object and the original blob',
      );
      const a = spec.advance(obj, args);
      const b = spec.advance(copy, args);
      expectSameBits(b, a, 'observations of the restored object and of the original');
      expectSameBits(save(s, copy), save(s, obj), 'states after continuing');
    }),
    { numRuns: spec.numRuns ?? 25, seed: spec.seed },
  );
}
