/**
 * Reference implementations over typed arrays (no tfjs): the float64 SPSA estimator and ZO-SGD
 * for statistical tests, and a float32 mirror of the tensor arithmetic that replays a
 * {@link ZoLog} bit for bit like {@link replay} does with tensors.
 *
 * Parameters are a list of *blocks* (one array per tensor, in tree order) with the group of each
 * block; the noise of block i under step seed s is {@link fillNoise}(·, s, i), the selection is
 * {@link activeGroups} — the same laws as the tensor optimizer.
 * @module
 */
import {
  type KeyPart,
  type Rng,
  type Schedule,
  ShapeError,
  ValueError,
  assertInteger,
  describe,
  evaluateSchedule,
  readNumber,
} from '@descent/tensor';
import { type LayerSelection, type SparsityOptions, activeGroups, resolveSelection } from './layerSelection';
import { fillNoise, runRng, stepSeed } from './noise';
import { type ZoLog, checkLogTensors, readZoLog } from './zoLog';

/** A scalar function of parameter blocks (float64). */
export type ArrayObjective = (theta: readonly Float64Array[]) => number;

/** What {@link spsaReference} returns. */
export interface SpsaReferenceResult {
  /** (ℓ₊ − ℓ₋)/(2ε). */
  projectedGrad: number;
  /** f(θ + εz). */
  lossPlus: number;
  /** f(θ − εz). */
  lossMinus: number;
}

function checkBlocks(name: string, blocks: readonly ArrayLike<number>[], like?: readonly ArrayLike<number>[]): void {
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new ShapeError(`${name} must be a non-empty array of blocks, got ${describe(blocks)}`, name);
  }
  if (like && like.length !== blocks.length) {
    throw new ShapeError(`${name} must have ${like.length} blocks, got ${blocks.length}`, name);
  }
  blocks.forEach((b: ArrayLike<number>, i) => {
    if (!ArrayBuffer.isView(b) && !Array.isArray(b)) {
      throw new ShapeError(`${name}[${i}] must be a typed array, got ${describe(b)}`, `${name}[${i}]`);
    }
    if (like && b.length !== like[i]?.length) {
      throw new ShapeError(`${name}[${i}] must have length ${like[i]?.length}, got ${b.length}`, `${name}[${i}]`);
    }
  });
}

/**
 * Two-point SPSA in float64 along a given direction z: (f(θ + εz) − f(θ − εz))/(2ε), with θ ± εz
 * formed in new arrays (θ is not touched). For a quadratic f this is exactly zᵀ∇f(θ) for every ε.
 */
export function spsaReference(
  f: ArrayObjective,
  theta: readonly Float64Array[],
  z: readonly Float64Array[],
  eps: number,
): SpsaReferenceResult {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  checkBlocks('theta', theta);
  checkBlocks('z', z, theta);
  readNumber(eps, 'eps', { gt: 0 });
  const shifted = (s: number) => theta.map((t, i) => t.map((v, j) => v + s * z[i][j]));
  const lossPlus = f(shifted(eps));
  const lossMinus = f(shifted(-eps));
  if (!Number.isFinite(lossPlus) || !Number.isFinite(lossMinus)) {
    throw new ValueError(`f must return finite losses, got ${lossPlus} and ${lossMinus}`, 'f');
  }
  return { projectedGrad: (lossPlus - lossMinus) / (2 * eps), lossPlus, lossMinus };
}

/** The float64 noise of every block under step seed `seed` (zero blocks where `active[i]` is false). */
export function noiseBlocks(seed: number, sizes: readonly number[], active?: readonly boolean[]): Float64Array[] {
  return sizes.map((n, i) => (active && !active[i] ? new Float64Array(n) : fillNoise(new Float64Array(n), seed, i)));
}

/** Options of {@link ReferenceZo}. */
export interface ReferenceZoOptions extends SparsityOptions {
  /** Learning rate (constant or schedule). Required. */
  learningRate: Schedule;
  /** Perturbation size ε (default 1e-3). */
  eps?: number;
  /** Weight decay λ (default 0). */
  weightDecay?: number;
  /** Whether each block is decayed (default: all). */
  decayed?: readonly boolean[];
  /** Directions per step (default 1). */
  directions?: number;
  /** Seed of the step seeds (default 0). */
  seed?: KeyPart;
}

/** What a {@link ReferenceZo} step reports. */
export interface ReferenceZoStep {
  /** Step index. */
  step: number;
  /** Per direction: seed, projected gradient, active groups. */
  directions: Array<{ seed: number; projectedGrad: number; groups: string[]; lossPlus: number; lossMinus: number }>;
}

/**
 * ZO-SGD in float64 over parameter blocks, with the tensor optimizer's seeds, noise law,
 * selection and update rule (p ← (1 − ηλ/n) p − (η g_j/n) z_j per direction), but exact
 * arithmetic: θ ± εz are formed in new arrays, so θ is restored exactly. For statistical tests
 * and float64 runs of small problems without tfjs.
 *
 * ```ts
 * const zo = new ReferenceZo([w], ['w'], { learningRate: 0.01 });
 * for (let t = 0; t < 1000; t++) zo.stepOn((th) => loss(th[0]));
 * ```
 */
export class ReferenceZo {
  /** The parameter blocks (updated in place). */
  readonly theta: Float64Array[];
  /** The group of each block. */
  readonly blockGroups: readonly string[];
  /** The resolved layer selection. */
  readonly selection: LayerSelection;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly decayed: readonly boolean[];
  private readonly directions: number;
  private readonly learningRate: Schedule;
  private readonly root: Rng;
  private t = 0;

  /**
   * @param theta - initial blocks (copied to float64).
   * @param blockGroups - the group of each block (groups in order of first appearance).
   */
  constructor(theta: readonly ArrayLike<number>[], blockGroups: readonly string[], options: ReferenceZoOptions) {
    checkBlocks('theta', theta);
    if (!Array.isArray(blockGroups) || blockGroups.length !== theta.length) {
      throw new ShapeError(`blockGroups must name the group of each of the ${theta.length} blocks, got ${describe(blockGroups)}`, 'blockGroups');
    }
    this.theta = theta.map((b) => Float64Array.from(b));
    this.blockGroups = blockGroups.slice();
    const o = options ?? ({} as ReferenceZoOptions);
    this.eps = readNumber(o.eps ?? 1e-3, 'eps', { gt: 0 });
    this.weightDecay = readNumber(o.weightDecay ?? 0, 'weightDecay', { min: 0 });
    this.directions = o.directions ?? 1;
    assertInteger('directions', this.directions, 1);
    if (o.learningRate === undefined) throw new ValueError('learningRate is required, got undefined', 'learningRate');
    this.learningRate = o.learningRate;
    this.decayed = o.decayed ? o.decayed.slice() : theta.map(() => true);
    if (this.decayed.length !== theta.length) {
      throw new ShapeError(`decayed must have ${theta.length} entries, got ${this.decayed.length}`, 'decayed');
    }
    this.root = runRng(o.seed ?? 0);
    const groups = [...new Set(blockGroups)];
    this.selection = resolveSelection(groups, o);
  }

  /** Steps taken. */
  get step(): number {
    return this.t;
  }

  /** One step on `f`. */
  stepOn(f: ArrayObjective): ReferenceZoStep {
    const step = this.t;
    const eta = evaluateSchedule(this.learningRate, step);
    const n = this.directions;
    const dirs: ReferenceZoStep['directions'] = [];
    for (let j = 0; j < n; j++) {
      const seed = stepSeed(this.root, step, j);
      const groups = activeGroups(this.selection, seed, step * n + j);
      const active = this.blockGroups.map((g) => groups.includes(g));
      const z = noiseBlocks(
        seed,
        this.theta.map((b) => b.length),
        active,
      );
      const r = spsaReference(f, this.theta, z, this.eps);
      dirs.push({ seed, groups, ...r });
    }
    for (const d of dirs) {
      const a = (eta * d.projectedGrad) / n;
      const c = 1 - (eta * this.weightDecay) / n;
      const z = noiseBlocks(
        d.seed,
        this.theta.map((b) => b.length),
      );
      this.theta.forEach((b, i) => {
        if (!d.groups.includes(this.blockGroups[i])) return;
        const ci = this.decayed[i] ? c : 1;
        for (let k = 0; k < b.length; k++) b[k] = ci * b[k] - a * z[i][k];
      });
    }
    this.t = step + 1;
    return { step, directions: dirs };
  }
}

/**
 * Replays a {@link ZoLog} on float32 blocks with exactly the tensor arithmetic (see
 * `perturb.ts`): the result equals {@link replay}'s (and the run's) weights bit for bit, on any
 * tfjs backend or none. `initial` is one Float32Array per tensor in tree order, `paths` the
 * [group, name] of each.
 */
export function replayArrays(
  initial: readonly Float32Array[],
  paths: ReadonlyArray<[string, string]>,
  log: ZoLog | string,
): Float32Array[] {
  const l = readZoLog(log);
  checkBlocks('initial', initial);
  checkLogTensors(l, paths.slice(), 'paths');
  if (initial.length !== paths.length) {
    throw new ShapeError(`initial must have ${paths.length} blocks (one per path), got ${initial.length}`, 'initial');
  }
  const p = initial.map((b) => Float32Array.from(b));
  const maxLen = Math.max(1, ...p.map((b) => b.length));
  const z = new Float32Array(maxLen);
  const u = new Float32Array(maxLen);
  const perturb = (i: number, seed: number, scale: number) => {
    const b = p[i];
    const zi = fillNoise(z.subarray(0, b.length), seed, i);
    for (let k = 0; k < b.length; k++) {
      u[k] = scale * zi[k]; // fround(scale · z)
      b[k] = b[k] + u[k]; // fround(p + u)
    }
  };
  for (const entry of l.steps) {
    for (const d of entry.directions) {
      for (let i = 0; i < p.length; i++) {
        if (!d.groups.includes(paths[i][0])) continue;
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
        if (!d.groups.includes(paths[i][0])) continue;
        const b = p[i];
        const zi = fillNoise(z.subarray(0, b.length), d.seed, i);
        const decay = l.decayed[i] && c !== 1;
        for (let k = 0; k < b.length; k++) {
          u[k] = -a * zi[k]; // fround(−a · z)
          const cp = decay ? Math.fround(c * b[k]) : b[k];
          b[k] = cp + u[k];
        }
      }
    }
  }
  return p;
}
