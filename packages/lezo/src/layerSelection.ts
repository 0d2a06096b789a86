/**
 * Which parameter groups a (Le)ZO step perturbs and updates.
 *
 * The groups of a parameter tree (one per layer, see `@descent/nn`) split into
 * - **blocks**, the layers LeZO samples (default: the groups named `block0`, `block1`, … of
 *   `@descent/nn`'s transformer; when there are none, every group);
 * - **always-active** groups, perturbed and updated at every step (default: every group that is
 *   not a block — the embeddings, final norm and head of a transformer: reviewers of the LeZO
 *   paper note these stay tuned, which is reconstructed, not read);
 * - frozen groups (only when both lists are given and leave some group out): never touched.
 *
 * Each step keeps `k` of the `N` blocks (the paper's "dropout number" is `N − k`; MeZO is k = N):
 * `'uniform'` draws k distinct blocks uniformly from the step seed's `'select'` stream (LeZO,
 * reconstructed), `'cyclic'` takes k consecutive blocks in turn, `(p·k + i) mod N` at position p
 * (MeZO's experimental `zo_layer_wise_optim` with k = 1, ZO-Bench's block-wise ZO).
 *
 * Everything here is plain JavaScript (no tfjs).
 * @module
 */
import {
  Rng,
  ValueError,
  assertInteger,
  describe,
  option,
  readEnum,
  readNumber,
  resolveOptions,
} from '@descent/tensor';
import { assertStepSeed } from './noise';

/** How the active blocks of a step are chosen. */
export type SelectionMode = 'uniform' | 'cyclic';

/** The layer-sparsity options of LeZO (all optional; without `drop`/`keep`/`keepFraction` every block is active). */
export interface SparsityOptions {
  /** Blocks *not* perturbed per step: the paper's "dropout number" (0 = MeZO). */
  drop?: number;
  /** Blocks perturbed per step (k = N − drop). */
  keep?: number;
  /** Fraction of blocks perturbed per step, k = round(keepFraction · N) (the paper's 1 − ρ). */
  keepFraction?: number;
  /** `'uniform'` (default, LeZO) or `'cyclic'` (block-wise ZO in turn). */
  selection?: SelectionMode;
  /** The sampled groups (default: `block<i>` groups if any, else every group). */
  blocks?: readonly string[];
  /** Groups active at every step (default: every group that is not a block). */
  alwaysActive?: readonly string[];
}

/** A resolved selection over the groups of one tree. */
export interface LayerSelection {
  /** Every group of the tree, in tree order. */
  groups: string[];
  /** The sampled groups, in tree order (N = blocks.length). */
  blocks: string[];
  /** Groups active at every step, in tree order. */
  always: string[];
  /** Blocks kept per step (k). */
  keep: number;
  /** How blocks are chosen. */
  mode: SelectionMode;
}

const BLOCK_RE = /^block\d+$/;

function readGroupList(value: unknown, name: string, groups: readonly string[]): string[] {
  if (!Array.isArray(value)) {
    throw new ValueError(`${name} must be an array of group names, got ${describe(value)}`, name);
  }
  const seen = new Set<string>();
  value.forEach((g, i) => {
    if (typeof g !== 'string' || !groups.includes(g)) {
      throw new ValueError(
        `${name}[${i}] must name a group of the parameters (${groups.join(', ')}), got ${describe(g)}`,
        `${name}[${i}]`,
      );
    }
    if (seen.has(g))
      throw new ValueError(`${name}[${i}] repeats group ${JSON.stringify(g)}`, `${name}[${i}]`);
    seen.add(g);
  });
  return groups.filter((g) => seen.has(g));
}

/**
 * Resolves sparsity options against the groups of a tree (in tree order). Throws
 * {@link ValueError} naming the option on an unknown group, overlapping lists, more than one of
 * `drop`/`keep`/`keepFraction`, a count out of range, or a selection that trains nothing.
 */
export function resolveSelection(groups: readonly string[], options: SparsityOptions = {}): LayerSelection {
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ValueError(
      `groups must be a non-empty array of group names, got ${describe(groups)}`,
      'groups',
    );
  }
  groups.forEach((g, i) => {
    if (typeof g !== 'string' || g.length === 0) {
      throw new ValueError(
        `groups[${i}] must be a group name (a non-empty string), got ${describe(g)}`,
        `groups[${i}]`,
      );
    }
    if (groups.indexOf(g) !== i)
      throw new ValueError(`groups[${i}] repeats ${JSON.stringify(g)}`, `groups[${i}]`);
  });
  const pass = option.custom((v: unknown) => v);
  const o = resolveOptions(options, {
    drop: pass,
    keep: pass,
    keepFraction: pass,
    selection: pass,
    blocks: pass,
    alwaysActive: pass,
  }) as SparsityOptions;
  const mode =
    o.selection === undefined
      ? 'uniform'
      : readEnum(o.selection, 'selection', ['uniform', 'cyclic'] as const);
  let blocks: string[];
  let always: string[];
  const givenBlocks = o.blocks === undefined ? null : readGroupList(o.blocks, 'blocks', groups);
  const givenAlways =
    o.alwaysActive === undefined ? null : readGroupList(o.alwaysActive, 'alwaysActive', groups);
  if (givenBlocks && givenAlways) {
    const both = givenBlocks.find((g) => givenAlways.includes(g));
    if (both !== undefined) {
      throw new ValueError(
        `alwaysActive must not repeat a group of blocks, got ${JSON.stringify(both)} in both`,
        'alwaysActive',
      );
    }
    blocks = givenBlocks;
    always = givenAlways;
  } else if (givenBlocks) {
    blocks = givenBlocks;
    always = groups.filter((g) => !givenBlocks.includes(g));
  } else if (givenAlways) {
    always = givenAlways;
    blocks = groups.filter((g) => !givenAlways.includes(g));
  } else {
    const named = groups.filter((g) => BLOCK_RE.test(g));
    blocks = named.length > 0 ? named : groups.slice();
    always = groups.filter((g) => !blocks.includes(g));
  }
  const n = blocks.length;
  const given = (['drop', 'keep', 'keepFraction'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    throw new ValueError(
      `pass at most one of drop, keep and keepFraction, got ${given.join(' and ')}`,
      given[1],
    );
  }
  let keep = n;
  if (o.drop !== undefined) {
    assertInteger('drop', o.drop, 0);
    if (o.drop > n) throw new ValueError(`drop must be <= the number of blocks ${n}, got ${o.drop}`, 'drop');
    keep = n - o.drop;
  } else if (o.keep !== undefined) {
    assertInteger('keep', o.keep, 0);
    if (o.keep > n) throw new ValueError(`keep must be <= the number of blocks ${n}, got ${o.keep}`, 'keep');
    keep = o.keep;
  } else if (o.keepFraction !== undefined) {
    const f = readNumber(o.keepFraction, 'keepFraction', { min: 0, max: 1 });
    keep = Math.round(f * n);
  }
  if (keep === 0 && always.length === 0) {
    throw new ValueError(
      'the selection trains nothing: keep at least one block or make a group always active',
      given[0] ?? 'blocks',
    );
  }
  return { groups: groups.slice(), blocks, always, keep, mode };
}

/** Throws {@link ValueError} unless `selection` is a {@link LayerSelection} (as {@link resolveSelection} returns). */
export function assertSelection(selection: unknown): asserts selection is LayerSelection {
  const s = selection as Partial<LayerSelection> | null;
  const ok =
    s != null &&
    typeof s === 'object' &&
    Array.isArray(s.groups) &&
    Array.isArray(s.blocks) &&
    Array.isArray(s.always) &&
    Number.isInteger(s.keep) &&
    (s.keep as number) >= 0 &&
    (s.keep as number) <= s.blocks.length &&
    (s.mode === 'uniform' || s.mode === 'cyclic') &&
    [...s.blocks, ...s.always].every((g) => (s.groups as unknown[]).includes(g));
  if (!ok) {
    throw new ValueError(
      `selection must be a LayerSelection from resolveSelection (groups, blocks, always, keep, mode), got ${describe(selection)}`,
      'selection',
    );
  }
}

/**
 * Indices (into `selection.blocks`, ascending) of the blocks active at `position` (step ×
 * directions + direction) under step seed `seed`. `seed` is the 32-bit step seed of one
 * direction (an integer in [0, 2³²), as `stepSeed` returns and the ZO step log records),
 * not a user-facing run seed: string seeds are hashed once by the optimizer, not here.
 */
export function activeBlocks(selection: LayerSelection, seed: number, position: number): number[] {
  assertSelection(selection);
  assertStepSeed('seed', seed);
  assertInteger('position', position, 0);
  const n = selection.blocks.length;
  const k = selection.keep;
  if (k === n) return Array.from({ length: n }, (_, i) => i);
  if (k === 0) return [];
  if (selection.mode === 'cyclic') {
    const start = (position * k) % n;
    const out = Array.from({ length: k }, (_, i) => (start + i) % n);
    return out.sort((a, b) => a - b);
  }
  // partial Fisher–Yates: k distinct indices, each block with probability k/N
  const rng = new Rng(seed).fold('select');
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

/**
 * The active groups (always-active ones and the selected blocks), in tree order, at `position`
 * under the 32-bit step seed `seed` (see {@link activeBlocks}).
 */
export function activeGroups(selection: LayerSelection, seed: number, position: number): string[] {
  const chosen = new Set(activeBlocks(selection, seed, position).map((i) => selection.blocks[i]));
  return selection.groups.filter((g) => chosen.has(g) || selection.always.includes(g));
}
