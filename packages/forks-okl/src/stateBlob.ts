/**
 * Reading the plain-JSON states of the building blocks (decompositions, sketches), which carry no
 * `{ type, version }` header of their own (they live inside a learner's blob): a
 * {@link BlobReader} at their root.
 * @module
 */
import { BlobReader } from '@descent/tensor';

/** A reader of the state `json` (an object), with `context` (e.g. `'TisvdState'`) in its messages. */
export function openStateBlob(json: unknown, context: string): BlobReader {
  const r = new BlobReader(json, '', `${context}.fromJSON`);
  r.asObjectValue();
  return r;
}
