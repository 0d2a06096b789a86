/**
 * One shared kernel arena for the hot arrays of the sketched learners' steady-state rounds
 * (Q, κ, φ, w and, for FORKS, both learners' A⁻¹), so that the core's wasm kernels
 * (`gemvTOrdered`, `onsNewtonStep`) run on them without copies.
 *
 * One learner at a time owns the arena: its arrays are replaced by views of the arena holding the
 * same values; when another learner claims it, the owner gets its arrays back as ordinary copies.
 * The kernels give the same bits on resident and ordinary arrays, so where a learner's arrays live
 * never changes its results, only its speed. A learner claims the arena when it starts a round and
 * the arena is free or its owner has not run a round since this learner's previous attempt: a
 * learner that follows another one (a new learner after an old one, a restored blob) gets the
 * arena at its second round, while learners that run interleaved keep the first one resident and
 * the others on ordinary arrays (JavaScript) instead of copying the arrays back and forth every
 * round.
 * @module
 */
import { KernelArena } from '@descent/tensor';

/** A learner whose hot arrays can move into the shared arena and back. */
export interface ResidentClient {
  /** Called when another learner takes the arena: replace the views by ordinary copies. */
  evictResident(): void;
}
/** Largest state (bytes) moved into the arena; the memory of a wasm instance never shrinks. */
const MAX_BYTES = 32 << 20;

let arena: KernelArena | null | undefined;
let owner: WeakRef<ResidentClient> | undefined;
let clock = 0;
let ownerLast = 0;
/** The round clock at each client's last refused claim. */
const refused = new WeakMap<ResidentClient, number>();

function sharedArena(): KernelArena | null {
  if (arena === undefined) {
    const a = new KernelArena(0);
    arena = a.wasm ? a : null;
  }
  return arena;
}

/**
 * Called by `client` when it starts a round with the hot arrays `arrays` (not resident). Returns
 * views of the shared arena holding copies of `arrays` (the caller adopts them) when the client
 * gets the arena, undefined when it keeps its ordinary arrays (no wasm, too large, or another
 * learner is active).
 */
export function claimResident(client: ResidentClient, arrays: readonly Float64Array[]): Float64Array[] | undefined {
  clock++;
  const current = owner?.deref();
  if (current === client) {
    ownerLast = clock;
    return undefined;
  }
  if (current !== undefined && ownerLast > (refused.get(client) ?? -1)) {
    // the owner ran a round since this client's previous attempt: busy
    refused.set(client, clock);
    return undefined;
  }
  let bytes = 0;
  for (const a of arrays) bytes += ((a.length * 8 + 15) >> 4) << 4;
  if (bytes > MAX_BYTES) return undefined;
  const ar = sharedArena();
  if (!ar) return undefined;
  if (current !== undefined) current.evictResident();
  owner = undefined;
  ar.reset();
  ar.reserve(bytes);
  const views = arrays.map((a) => {
    const v = ar.f64(a.length);
    v.set(a);
    return v;
  });
  owner = new WeakRef(client);
  ownerLast = clock;
  return views;
}

/** Counts a round of `client` that holds the arena (keeps it from counting as idle). */
export function touchResident(client: ResidentClient): void {
  clock++;
  if (owner?.deref() === client) ownerLast = clock;
}

/** `client` gives the arena up (its views stay valid until the next claim; the caller copies them out first). */
export function releaseResident(client: ResidentClient): void {
  if (owner?.deref() === client) owner = undefined;
}

/** Ordinary copies of `views` (for a client leaving the arena). */
export function copiesOf(views: readonly Float64Array[]): Float64Array[] {
  return views.map((v) => v.slice());
}
