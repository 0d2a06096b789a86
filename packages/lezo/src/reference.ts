/**
 * Reference implementations over typed arrays (no tfjs): the float64 SPSA estimator and ZO-SGD
 * for statistical tests, and a float32 mirror of the tensor arithmetic that replays a
 * {@link ZoLog} bit for bit like {@link replay} does with tensors.
 *
 * Parameters are an {@link ArrayTree} `{ group: { name: numbers } }`, the typed-array twin of a
 * `@descent/nn` parameter tree; its blocks (tensors) in tree order are indexed 0, 1, … and the
 * noise of block i under step seed s is {@link fillNoise}(·, s, i), the selection is
 * {@link activeGroups}: the same laws as the tensor optimizer.
 * @module
 */
import {
  type Rng,
  type Schedule,
  type Seed,
  ShapeError,
  ValueError,
  assertSchedule,
  describe,
  evaluateSchedule,
  option,
  readInteger,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import { type LayerSelection, type SparsityOptions, activeGroups, resolveSelection } from './layerSelection';
import { assertStepSeed, fillNoiseUnchecked, runRng, stepSeed } from './noise';
import { type ZoLog, checkLogTensors, readZoLog } from './zoLog';

/** Named blocks grouped by layer, `{ group: { name: numbers } }` (the typed-array twin of a ParamTree). */
export type ArrayTree = Record<string, Record<string, ArrayLike<number>>>;

/** A scalar function of the parameter blocks (float64, in tree order). */
export type ArrayObjective = (theta: readonly Float64Array[]) => number;

/** The blocks of an {@link ArrayTree} in tree order, with their paths. */
interface ReadTree {
  paths: Array<[string, string]>;
  blocks: Float64Array[];
}

function readArrayTree(tree: unknown, name: string): ReadTree {
  if (tree == null || typeof tree !== 'object' || Array.isArray(tree) || ArrayBuffer.isView(tree)) {
    throw new ShapeError(`${name} must be a tree { group: { name: numbers } }, got ${describe(tree)}`, name);
  }
  const paths: Array<[string, string]> = [];
  const blocks: Float64Array[] = [];
  for (const g of Object.keys(tree)) {
    const group = (tree as Record<string, unknown>)[g];
    if (group == null || typeof group !== 'object' || Array.isArray(group) || ArrayBuffer.isView(group)) {
      throw new ShapeError(
        `${name}.${g} must be a group { name: numbers }, got ${describe(group)}`,
        `${name}.${g}`,
      );
    }
    for (const k of Object.keys(group)) {
      blocks.push(
        readVector((group as Record<string, unknown>)[k] as ArrayLike<number>, `${name}.${g}.${k}`, {
          copy: true,
        }),
      );
      paths.push([g, k]);
    }
  }
  if (blocks.length === 0) throw new ShapeError(`${name} must hold at least one block, got none`, name);
  return { paths, blocks };
}

function readBlocks(blocks: unknown, name: string, like?: readonly Float64Array[]): Float64Array[] {
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new ShapeError(`${name} must be a non-empty array of blocks, got ${describe(blocks)}`, name);
  }
  if (like && like.length !== blocks.length) {
    throw new ShapeError(`${name} must have ${like.length} blocks, got ${blocks.length}`, name);
  }
  return blocks.map((b, i) =>
    readVector(b as ArrayLike<number>, `${name}[${i}]`, like ? { length: like[i].length } : {}),
  );
}

/** What {@link spsaReference} returns. */
export interface SpsaReferenceResult {
  /** (ℓ₊ − ℓ₋)/(2ε). */
  projectedGrad: number;
  /** f(θ + εz). */
  lossPlus: number;
  /** f(θ − εz). */
  lossMinus: number;
}

function spsaUnchecked(
  f: ArrayObjective,
  theta: readonly Float64Array[],
  z: readonly Float64Array[],
  eps: number,
): SpsaReferenceResult {
  const shifted = (s: number) => theta.map((t, i) => t.map((v, j) => v + s * z[i][j]));
  const lossPlus = f(shifted(eps));
  const lossMinus = f(shifted(-eps));
  if (
    typeof lossPlus !== 'number' ||
    typeof lossMinus !== 'number' ||
    !Number.isFinite(lossPlus) ||
    !Number.isFinite(lossMinus)
  ) {
    throw new ValueError(
      `f must return finite losses, got ${describe(lossPlus)} and ${describe(lossMinus)}`,
      'f',
    );
  }
  return { projectedGrad: (lossPlus - lossMinus) / (2 * eps), lossPlus, lossMinus };
}

/**
 * Two-point SPSA in float64 along a given direction z: (f(θ + εz) − f(θ − εz))/(2ε), with θ ± εz
 * formed in new arrays (θ is not touched). For a quadratic f this is exactly zᵀ∇f(θ) for every ε.
 *
 * ```ts
 * const { projectedGrad } = spsaReference(f, [theta], [z], 1e-3);
 * ```
 */
export function spsaReference(
  f: ArrayObjective,
  theta: readonly ArrayLike<number>[],
  z: readonly ArrayLike<number>[],
  eps: number,
): SpsaReferenceResult {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  const th = readBlocks(theta, 'theta');
  const zz = readBlocks(z, 'z', th);
  const e = resolveOptions({ eps }, { eps: option.number({ gt: 0, required: true }) }).eps;
  return spsaUnchecked(f, th, zz, e);
}

/**
 * The float64 noise of blocks of the given sizes under step seed `seed` (block i uses noise index
 * i); blocks where `active[i]` is false are zero.
 */
export function noiseBlocks(
  seed: number,
  sizes: readonly number[],
  active?: readonly boolean[],
): Float64Array[] {
  assertStepSeed('seed', seed);
  if (!Array.isArray(sizes))
    throw new ValueError(`sizes must be an array of block sizes, got ${describe(sizes)}`, 'sizes');
  const n = sizes.map((s, i) => readInteger(s, `sizes[${i}]`, { min: 0 }));
  if (active !== undefined) {
    if (!Array.isArray(active) || active.length !== n.length) {
      throw new ShapeError(
        `active must be an array of ${n.length} booleans, got ${describe(active)}`,
        'active',
      );
    }
    active.forEach((a, i) => {
      if (typeof a !== 'boolean')
        throw new ValueError(`active[${i}] must be a boolean, got ${describe(a)}`, `active[${i}]`);
    });
  }
  return n.map((len, i) =>
    active && !active[i] ? new Float64Array(len) : fillNoiseUnchecked(new Float64Array(len), seed, i),
  );
}

/** Options of {@link ReferenceZo}. */
export interface ReferenceZoOptions extends SparsityOptions {
  /** Learning rate (constant or schedule). Required. */
  learningRate: Schedule;
  /** Perturbation size ε (default 1e-3). */
  eps?: number;
  /** Weight decay λ (default 0). */
  weightDecay?: number;
  /** Paths `[group, name]` of the decayed blocks (default: every block). */
  decayed?: ReadonlyArray<readonly [string, string]>;
  /** Directions per step (default 1). */
  directions?: number;
  /** Seed of the step seeds (default 0). */
  seed?: Seed;
}

/** What a {@link ReferenceZo} step reports. */
export interface ReferenceZoStep {
  /** Step index. */
  step: number;
  /** Per direction: seed, projected gradient, ℓ₊, ℓ₋, active groups. */
  directions: Array<{
    seed: number;
    projectedGrad: number;
    groups: string[];
    lossPlus: number;
    lossMinus: number;
  }>;
}

const pass = option.custom((v: unknown) => v);

/**
 * ZO-SGD in float64 over an {@link ArrayTree}, with the tensor optimizer's seeds, noise law,
 * selection and update rule (p ← (1 − ηλ/n) p − (η g_j/n) z_j per direction), but exact
 * arithmetic: θ ± εz are formed in new arrays, so θ is restored exactly. For statistical tests
 * and float64 runs of small problems without tfjs.
 *
 * ```ts
 * const zo = new ReferenceZo({ layer: { w: new Float64Array(10) } }, { learningRate: 0.01 });
 * for (let t = 0; t < 1000; t++) zo.stepOn(([w]) => w.reduce((s, v) => s + (v - 1) ** 2, 0));
 * ```
 */
export class ReferenceZo {
  /** The parameter blocks in tree order (updated in place by every step). */
  readonly theta: Float64Array[];
  /** The [group, name] of each block. */
  readonly paths: ReadonlyArray<readonly [string, string]>;
  /** The resolved layer selection. */
  readonly selection: LayerSelection;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly decayed: readonly boolean[];
  private readonly directions: number;
  private readonly learningRate: Schedule;
  private readonly root: Rng;
  private t = 0;

  /** @param theta - the initial parameters (copied to float64). */
  constructor(theta: ArrayTree, options: ReferenceZoOptions) {
    const tree = readArrayTree(theta, 'theta');
    this.theta = tree.blocks;
    this.paths = tree.paths;
    const o = resolveOptions(options, {
      learningRate: option.custom(
        (v, name) => {
          assertSchedule(name, v);
          return v as Schedule;
        },
        { required: true },
      ),
      eps: option.number({ gt: 0, default: 1e-3 }),
      weightDecay: option.number({ min: 0, default: 0 }),
      decayed: option.custom((v, name) => {
        if (!Array.isArray(v))
          throw new ValueError(`${name} must be an array of [group, name] paths, got ${describe(v)}`, name);
        return v as ReadonlyArray<readonly [string, string]>;
      }),
      directions: option.integer({ min: 1, default: 1 }),
      seed: option.seed(),
      drop: pass,
      keep: pass,
      keepFraction: pass,
      selection: pass,
      blocks: pass,
      alwaysActive: pass,
    });
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.directions = o.directions;
    this.learningRate = o.learningRate;
    const decayedPaths = o.decayed;
    this.decayed = this.paths.map(
      ([g, k]) => decayedPaths === undefined || decayedPaths.some((p) => p?.[0] === g && p?.[1] === k),
    );
    this.root = runRng(o.seed);
    const sparsity: SparsityOptions = {};
    for (const k of ['drop', 'keep', 'keepFraction', 'selection', 'blocks', 'alwaysActive'] as const) {
      if (o[k] !== undefined) (sparsity as Record<string, unknown>)[k] = o[k];
    }
    this.selection = resolveSelection([...new Set(this.paths.map((p) => p[0]))], sparsity);
  }

  /** Steps taken. */
  get step(): number {
    return this.t;
  }

  /** One step on `f` (evaluated at θ ± εz for each direction). */
  stepOn(f: ArrayObjective): ReferenceZoStep {
    if (typeof f !== 'function')
      throw new ValueError(`f must be a function of the blocks, got ${describe(f)}`, 'f');
    const step = this.t;
    const eta = evaluateSchedule(this.learningRate, step);
    const n = this.directions;
    const sizes = this.theta.map((b) => b.length);
    const dirs: ReferenceZoStep['directions'] = [];
    for (let j = 0; j < n; j++) {
      const seed = stepSeed(this.root, step, j);
      const groups = activeGroups(this.selection, seed, step * n + j);
      const z = noiseBlocks(
        seed,
        sizes,
        this.paths.map((p) => groups.includes(p[0])),
      );
      dirs.push({ seed, groups, ...spsaUnchecked(f, this.theta, z, this.eps) });
    }
    for (const d of dirs) {
      const a = (eta * d.projectedGrad) / n;
      const c = 1 - (eta * this.weightDecay) / n;
      const z = noiseBlocks(d.seed, sizes);
      this.theta.forEach((b, i) => {
        if (!d.groups.includes(this.paths[i][0])) return;
        const ci = this.decayed[i] ? c : 1;
        for (let k = 0; k < b.length; k++) b[k] = ci * b[k] - a * z[i][k];
      });
    }
    this.t = step + 1;
    return { step, directions: dirs };
  }
}

/**
 * Replays a {@link ZoLog} on float32 copies of `initial` with exactly the tensor arithmetic (see
 * the notes of `ZoSgd`): the result equals {@link replay}'s (and the run's) weights bit for bit,
 * on any tfjs backend or none. `initial` must hold the log's tensors in the log's order.
 *
 * ```ts
 * const after = replayArrays({ dense0: { W: w0, b: b0 } }, opt.log); // { dense0: { W, b } } as Float32Arrays
 * ```
 */
export function replayArrays(
  initial: ArrayTree,
  log: ZoLog | string,
): Record<string, Record<string, Float32Array>> {
  const tree = readArrayTree(initial, 'initial');
  const l = readZoLog(log);
  checkLogTensors(l, tree.paths, 'initial');
  const p = tree.blocks.map((b) => Float32Array.from(b));
  const maxLen = Math.max(1, ...p.map((b) => b.length));
  const z = new Float32Array(maxLen);
  const u = new Float32Array(maxLen);
  const groupOf = tree.paths.map((x) => x[0]);
  const perturb = (i: number, seed: number, scale: number) => {
    const b = p[i];
    const zi = fillNoiseUnchecked(z.subarray(0, b.length), seed, i);
    for (let k = 0; k < b.length; k++) {
      u[k] = scale * zi[k]; // fround(scale · z)
      b[k] = b[k] + u[k]; // fround(p + u)
    }
  };
  for (const entry of l.steps) {
    for (const d of entry.directions) {
      for (let i = 0; i < p.length; i++) {
        if (!d.groups.includes(groupOf[i])) continue;
        perturb(i, d.seed, l.eps);
        perturb(i, d.seed, -2 * l.eps);
        perturb(i, d.seed, l.eps);
      }
    }
    const n = entry.directions.length;
    for (const d of entry.directions) {
      const a = (entry.learningRate * d.projectedGrad) / n;
      const c = Math.fround(1 - (entry.learningRate * l.weightDecay) / n);
      for (let i = 0; i < p.length; i++) {
        if (!d.groups.includes(groupOf[i])) continue;
        const b = p[i];
        const zi = fillNoiseUnchecked(z.subarray(0, b.length), d.seed, i);
        const decay = l.decayed[i] && c !== 1;
        for (let k = 0; k < b.length; k++) {
          u[k] = -a * zi[k]; // fround(−a · z)
          const cp = decay ? Math.fround(c * b[k]) : b[k];
          b[k] = cp + u[k];
        }
      }
    }
  }
  const out: Record<string, Record<string, Float32Array>> = {};
  tree.paths.forEach(([g, k], i) => {
    out[g] = out[g] ?? {};
    out[g][k] = p[i];
  });
  return out;
}
