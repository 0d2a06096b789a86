/**
 * Seed-regenerated zeroth-order SGD on a parameter tree: MeZO (Malladi et al. 2023) and its
 * layer-sparse variant LeZO (Wang et al. 2024, arXiv 2410.09823), one algorithm.
 *
 * One step, per direction j = 1..n (n-SPSA; MeZO uses n = 1):
 *
 *   s_j ← step seed                                   (never stored with the weights)
 *   S_j ← always-active groups ∪ k sampled blocks      (LeZO; MeZO: every group)
 *   θ_S ← θ_S + ε z_S          ℓ₊ ← L(θ; B)            z_S regenerated from (s_j, tensor index)
 *   θ_S ← θ_S − 2ε z_S         ℓ₋ ← L(θ; B)
 *   θ_S ← θ_S + ε z_S                                  (restored up to float32 rounding)
 *   g_j ← (ℓ₊ − ℓ₋) / (2ε)                            the projected gradient
 *
 * then, per direction, for every tensor p of S_j: p ← p − η (g_j/n · z_p + λ/n · p) (λ only on
 * tensors the decay filter selects). The noise is regenerated four times per direction (three
 * perturbation passes and the update), tensor by tensor into one reused host buffer, so the
 * extra memory is one tensor's worth of noise, not a copy of the model.
 * @module
 */
import {
  type LayerSelection,
  type SelectionMode,
  type SparsityOptions,
  activeGroups,
  resolveSelection,
} from './layerSelection';
import {
  type ParamTree,
  type TensorFilter,
  type TreeJson,
  type TreeObjective,
  assertParamTree,
  cloneTree,
  disposeTree,
  kernelsOnly,
  treeFromJSON,
  treeLeaves,
  treeToJSON,
} from '@descent/nn';
import {
  type Rng,
  type RngState,
  type Schedule,
  type Seed,
  type Serializable,
  ShapeError,
  ValueError,
  type VersionedJSON,
  assertSchedule,
  describe,
  evaluateSchedule,
  makeBlob,
  openBlob,
  option,
  resolveOptions,
} from '@descent/tensor';
import { runRng, stepSeed } from './noise';
import { type ZoLeaf, leavesOf, perturbLeaves, updateLeaves } from './perturb';
import type { StepOptimizer, StepResult } from './stepOptimizer';
import { tf } from './tf';
import { type ZoLog, type ZoLogDirection, readZoLog } from './zoLog';

/** Options of {@link ZoSgd} (and of {@link MeZO} / {@link LeZO}). */
export interface ZoSgdOptions extends SparsityOptions {
  /**
   * Learning rate η (a constant or a schedule of the step). Required: ZO step sizes scale roughly
   * like 1/(active parameters); MeZO used 1e-6/1e-7 for OPT-13B and 1e-6 for RoBERTa-large, and
   * about 1e-3..1e-2 suits models of 10⁵..10⁶ parameters (see the README).
   */
  learningRate: Schedule;
  /** Perturbation size ε (default 1e-3, MeZO's `EPS`). */
  eps?: number;
  /** Weight decay λ in the ZO-SGD update (default 0, MeZO's default). */
  weightDecay?: number;
  /** Tensors that are decayed (default `kernelsOnly`: no biases, no layer-norm vectors, as MeZO). */
  decayFilter?: TensorFilter;
  /** Directions per step, n-SPSA (default 1, MeZO's default). */
  directions?: number;
  /** Seed of the step seeds (default 0). */
  seed?: Seed;
  /** Record the step log for {@link replay} (default false; it grows by one entry per step). */
  log?: boolean;
  /**
   * The millisecond clock of the step timings (default `performance.now`, wall clock). On a shared
   * machine pass process CPU time, e.g. `() => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }`.
   * Not saved in blobs.
   */
  clock?: () => number;
}

/** One direction of a ZO step, as reported. */
export interface ZoDirectionResult extends ZoLogDirection {
  /** Loss at θ + εz. */
  lossPlus: number;
  /** Loss at θ − εz. */
  lossMinus: number;
}

/** What a ZO step reports. */
export interface ZoStepResult extends StepResult {
  /** The projected gradient (ℓ₊ − ℓ₋)/(2ε), averaged over the directions. */
  projectedGrad: number;
  /** Learning rate used. */
  learningRate: number;
  /** Every direction: seed, projected gradient, ℓ₊, ℓ₋, active groups. */
  directions: ZoDirectionResult[];
  /** Groups active in at least one direction, in tree order. */
  activeGroups: string[];
  /** Scalars perturbed per pass, summed over the directions. */
  activeParams: number;
}

/** The JSON blob of a {@link ZoSgd}. */
export interface ZoSgdJSON extends VersionedJSON<'ZoSgd'> {
  version: 1;
  variant: ZoVariant;
  step: number;
  /** The stream of the step seeds (`Rng.toJSON()` of `new Rng(seed)`). */
  rng: RngState;
  eps: number;
  weightDecay: number;
  directions: number;
  /** The learning rate if it was a constant, else null (pass it again to `fromJSON`). */
  learningRate: number | null;
  selection: { blocks: string[]; always: string[]; keep: number; mode: SelectionMode };
  decayed: boolean[];
  params: TreeJson;
  log: ZoLog | null;
}

/** Which class wrote a blob. */
export type ZoVariant = 'ZoSgd' | 'MeZO' | 'LeZO';

const wallClock = (): number => performance.now();

const SPARSITY_KEYS = ['drop', 'keep', 'keepFraction', 'selection', 'blocks', 'alwaysActive'] as const;

const passThrough = option.custom((v: unknown) => v);

const SCHEMA = {
  learningRate: option.custom(
    (v, name) => {
      assertSchedule(name, v);
      return v as Schedule;
    },
    { required: true },
  ),
  eps: option.number({ gt: 0, default: 1e-3 }),
  weightDecay: option.number({ min: 0, default: 0 }),
  decayFilter: option.func<TensorFilter>({ default: kernelsOnly }),
  directions: option.integer({ min: 1, default: 1 }),
  seed: option.seed(),
  log: option.boolean({ default: false }),
  clock: option.func<() => number>(),
  drop: passThrough,
  keep: passThrough,
  keepFraction: passThrough,
  selection: passThrough,
  blocks: passThrough,
  alwaysActive: passThrough,
};

const RENAMED = {
  lr: 'learningRate',
  epsilon: 'eps',
  zoEps: 'eps',
  n: 'directions',
  nSpsa: 'directions',
  dropLayers: 'drop',
  keepLayers: 'keep',
  wd: 'weightDecay',
};

/**
 * Zeroth-order SGD with seed-regenerated two-point SPSA over a parameter tree, optionally layer
 * sparse. Owns a copy of the parameters (dispose yours if you no longer need them; call
 * {@link ZoSgd.dispose} when done). {@link MeZO} and {@link LeZO} are this class with each
 * paper's settings.
 *
 * ```ts
 * const opt = new LeZO(params, { learningRate: 1e-3, drop: 6 });
 * const r = opt.stepOn(objective(model, softmaxCrossEntropyLoss, xb, yb));
 * r.projectedGrad; r.activeGroups; r.timings.perturbMs;
 * ```
 */
export class ZoSgd implements StepOptimizer<ZoStepResult>, Serializable<ZoSgdJSON> {
  /** A one-line description, e.g. `LeZO(keep 2 of 8 blocks, uniform)`. */
  readonly name: string;
  /** Which groups are sampled, always active, and how many blocks are kept per step. */
  readonly selection: LayerSelection;
  /** Perturbation size ε. */
  readonly eps: number;
  /** Weight decay λ. */
  readonly weightDecay: number;
  /** Directions per step (n-SPSA). */
  readonly directions: number;
  /** The learning rate (schedule). */
  readonly learningRate: Schedule;
  /** Whether each tensor (tree order) is decayed. */
  readonly decayed: readonly boolean[];
  /** The class variant (`'MeZO'`, `'LeZO'` or `'ZoSgd'`), written to the blob. */
  readonly variant: ZoVariant;

  private readonly tree: ParamTree;
  private readonly leaves: ZoLeaf[];
  private readonly scratch: Float32Array;
  private readonly root: Rng;
  private stepCount = 0;
  private stepLog: ZoLog | null;
  private disposed = false;
  private readonly clock: () => number;

  /**
   * @param params - the initial parameters (copied).
   * @param options - see {@link ZoSgdOptions}; typed errors name the option.
   */
  constructor(params: ParamTree, options: ZoSgdOptions) {
    this.variant = 'ZoSgd';
    assertParamTree('params', params);
    const o = resolveOptions(options, SCHEMA, { renamed: RENAMED });
    const groups = Object.keys(params);
    const sparsity: SparsityOptions = {};
    for (const k of SPARSITY_KEYS) if (o[k] !== undefined) (sparsity as Record<string, unknown>)[k] = o[k];
    this.selection = resolveSelection(groups, sparsity);
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.directions = o.directions;
    this.learningRate = o.learningRate;
    this.root = runRng(o.seed);
    this.clock = o.clock ?? wallClock;
    const leaves = treeLeaves(params);
    this.leaves = leaves.map(({ path, tensor }, index) => {
      if (tensor.dtype !== 'float32') {
        throw new ValueError(
          `params.${path.group}.${path.name} must be a float32 tensor, got ${tensor.dtype}`,
          `params.${path.group}.${path.name}`,
        );
      }
      const d = (o.decayFilter ?? kernelsOnly)(path, tensor);
      if (typeof d !== 'boolean') {
        throw new ValueError(
          `decayFilter must return a boolean, got ${describe(d)} for ${path.group}.${path.name}`,
          'decayFilter',
        );
      }
      return { group: path.group, name: path.name, index, size: tensor.size, decay: d };
    });
    this.decayed = this.leaves.map((l) => l.decay);
    this.scratch = new Float32Array(Math.max(...this.leaves.map((l) => l.size), 1));
    this.stepLog = o.log ? this.emptyLog() : null;
    this.name = describeSelection('ZO-SGD', this.selection, this.directions);
    this.tree = cloneTree(params);
  }

  /** The live parameter tree (handles are replaced by every step; see {@link StepOptimizer.params}). */
  get params(): ParamTree {
    this.assertLive();
    return this.tree;
  }

  /** Steps taken so far. */
  get step(): number {
    return this.stepCount;
  }

  /** The step log (null unless constructed with `log: true`). The object is live; copy it to keep a snapshot. */
  get log(): ZoLog | null {
    return this.stepLog;
  }

  /** Bytes of the host noise buffer (one float32 array as large as the largest tensor). */
  get hostBytes(): number {
    return this.scratch.byteLength;
  }

  /** Total number of scalar parameters. */
  get size(): number {
    return this.leaves.reduce((s, l) => s + l.size, 0);
  }

  /** The step seed of `direction` at `step` (a pure function of the run seed). */
  seedAt(step: number, direction = 0): number {
    return stepSeed(this.root, step, direction);
  }

  /** The groups active at `step` in `direction` (a pure function of the run seed and the step). */
  activeGroupsAt(step: number, direction = 0): string[] {
    if (!Number.isInteger(direction) || direction < 0 || direction >= this.directions) {
      throw new ValueError(
        `direction must be an integer in [0, ${this.directions}), got ${describe(direction)}`,
        'direction',
      );
    }
    return activeGroups(this.selection, this.seedAt(step, direction), step * this.directions + direction);
  }

  /** A copy of the current parameters (owned by the caller). */
  snapshot(): ParamTree {
    return cloneTree(this.params);
  }

  /**
   * One ZO step on `f`. If `f` throws or returns a non-finite loss, the perturbation is undone
   * (the parameters are back at θ, up to float32 rounding), no update is made, the step count is
   * unchanged, and the error is rethrown (a non-finite loss is a {@link ValueError} naming `f`).
   */
  stepOn(f: TreeObjective): ZoStepResult {
    this.assertLive();
    if (typeof f !== 'function')
      throw new ValueError(`f must be a function of the parameters, got ${describe(f)}`, 'f');
    const now = this.clock;
    const t0 = now();
    const step = this.stepCount;
    const eta = evaluateSchedule(this.learningRate, step, 'learningRate');
    const n = this.directions;
    const directions: ZoDirectionResult[] = [];
    let perturbMs = 0;
    let forwardMs = 0;
    let activeParams = 0;
    for (let j = 0; j < n; j++) {
      const seed = stepSeed(this.root, step, j);
      const groups = activeGroups(this.selection, seed, step * n + j);
      const leaves = leavesOf(this.leaves, groups);
      activeParams += leaves.reduce((s, l) => s + l.size, 0);
      let offset = 0; // the current perturbation, in units of ε
      let lossPlus: number;
      let lossMinus: number;
      try {
        let t = now();
        perturbLeaves(this.tree, leaves, seed, this.eps, this.scratch);
        offset = 1;
        perturbMs += now() - t;
        t = now();
        lossPlus = this.forward(f, step);
        forwardMs += now() - t;
        t = now();
        perturbLeaves(this.tree, leaves, seed, -2 * this.eps, this.scratch);
        offset = -1;
        perturbMs += now() - t;
        t = now();
        lossMinus = this.forward(f, step);
        forwardMs += now() - t;
        t = now();
        perturbLeaves(this.tree, leaves, seed, this.eps, this.scratch);
        offset = 0;
        perturbMs += now() - t;
      } catch (e) {
        if (offset !== 0) perturbLeaves(this.tree, leaves, seed, -offset * this.eps, this.scratch);
        throw e;
      }
      const projectedGrad = (lossPlus - lossMinus) / (2 * this.eps);
      directions.push({ seed, projectedGrad, lossPlus, lossMinus, groups });
    }
    const tu = now();
    updateLeaves(this.tree, this.leaves, directions, eta, this.weightDecay, this.scratch);
    const updateMs = now() - tu;
    if (this.stepLog) {
      this.stepLog.steps.push({
        step,
        learningRate: eta,
        directions: directions.map((d) => ({
          seed: d.seed,
          projectedGrad: d.projectedGrad,
          groups: d.groups.slice(),
        })),
      });
    }
    this.stepCount = step + 1;
    const union = new Set(directions.flatMap((d) => d.groups));
    let loss = 0;
    let g = 0;
    for (const d of directions) {
      loss += (d.lossPlus + d.lossMinus) / 2;
      g += d.projectedGrad;
    }
    return {
      step,
      loss: loss / n,
      projectedGrad: g / n,
      learningRate: eta,
      directions,
      activeGroups: this.selection.groups.filter((gr) => union.has(gr)),
      activeParams,
      timings: { perturbMs, forwardMs, updateMs, totalMs: now() - t0 },
    };
  }

  /** f(θ) read back as a number (forward only, no tape). */
  private forward(f: TreeObjective, step: number): number {
    const y = tf.tidy(() => f(this.tree));
    try {
      if (!(y instanceof tf.Tensor))
        throw new ValueError(`f must return a tf.Tensor, got ${describe(y)}`, 'f');
      if (y.size !== 1) throw new ShapeError(`f must return a scalar tensor, got shape [${y.shape}]`, 'f');
      const v = y.dataSync()[0];
      if (!Number.isFinite(v)) {
        throw new ValueError(
          `f must return a finite loss, got ${v} at step ${step} (learning rate or eps too large?)`,
          'f',
        );
      }
      return v;
    } finally {
      if (y instanceof tf.Tensor) y.dispose();
    }
  }

  private emptyLog(): ZoLog {
    return {
      type: 'ZoLog',
      version: 1,
      eps: this.eps,
      weightDecay: this.weightDecay,
      tensors: this.leaves.map((l) => [l.group, l.name]),
      decayed: this.leaves.map((l) => l.decay),
      steps: [],
    };
  }

  private assertLive(): void {
    if (this.disposed) throw new ValueError('this optimizer has been disposed', 'this');
  }

  /** Disposes the parameters. */
  dispose(): void {
    if (this.disposed) return;
    disposeTree(this.tree);
    this.disposed = true;
  }

  /** The full state (parameters, step, options, log) as a versioned blob; resumes bit for bit. */
  toJSON(): ZoSgdJSON {
    this.assertLive();
    return makeBlob('ZoSgd', 1, {
      variant: this.variant,
      step: this.stepCount,
      rng: this.root.toJSON(),
      eps: this.eps,
      weightDecay: this.weightDecay,
      directions: this.directions,
      learningRate: typeof this.learningRate === 'number' ? this.learningRate : null,
      selection: {
        blocks: this.selection.blocks.slice(),
        always: this.selection.always.slice(),
        keep: this.selection.keep,
        mode: this.selection.mode,
      },
      decayed: this.decayed.slice(),
      params: treeToJSON(this.tree),
      log: this.stepLog ? (JSON.parse(JSON.stringify(this.stepLog)) as ZoLog) : null,
    }) as ZoSgdJSON;
  }

  /**
   * Restores an optimizer saved by {@link ZoSgd.toJSON} (the blob or its JSON text). A
   * learning-rate schedule that was a function is not saved: pass it as `learningRate`.
   */
  static fromJSON(json: unknown, extra: { learningRate?: Schedule; clock?: () => number } = {}): ZoSgd {
    const r = openBlob(json, { type: 'ZoSgd', version: 1 });
    const variant = r.oneOf('variant', ['ZoSgd', 'MeZO', 'LeZO'] as const);
    const step = r.integer('step', { min: 0 });
    const rng = r.rng('rng');
    const eps = r.number('eps', { gt: 0 });
    const weightDecay = r.number('weightDecay', { min: 0 });
    const directions = r.integer('directions', { min: 1 });
    const savedLr = r.nullable('learningRate', (x) => x.asNumber({ min: 0 }));
    const learningRate = extra.learningRate ?? savedLr;
    if (learningRate === null) {
      throw new ValueError(
        'ZoSgd.fromJSON: the saved learning rate was a schedule function: pass it as extra.learningRate',
        'learningRate',
      );
    }
    const sel = r.object('selection');
    const blocks = sel.array('blocks', (e) => e.asString());
    const always = sel.array('always', (e) => e.asString());
    const keep = sel.integer('keep', { min: 0, max: blocks.length });
    const mode = sel.oneOf('mode', ['uniform', 'cyclic'] as const);
    const params = treeFromJSON(r.at('params').asObjectValue(), undefined, 'params');
    try {
      const count = treeLeaves(params).length;
      const decayed = r.array('decayed', (e) => e.asBoolean(), { length: count });
      const log = r.nullable('log', (x) => readZoLog(x.asObjectValue()));
      let index = -1;
      const opts: ZoSgdOptions = {
        learningRate,
        eps,
        weightDecay,
        directions,
        log: log !== null,
        blocks,
        alwaysActive: always,
        keep,
        selection: mode,
        decayFilter: () => decayed[++index],
        clock: extra.clock,
      };
      const out =
        variant === 'MeZO'
          ? new MeZO(params, omitSparsity(opts))
          : variant === 'LeZO'
            ? new LeZO(params, opts)
            : new ZoSgd(params, opts);
      out.stepCount = step;
      (out as unknown as { root: Rng }).root = rng;
      if (log) {
        if (log.eps !== eps || log.weightDecay !== weightDecay) {
          out.dispose();
          throw new ValueError(
            'ZoSgd.fromJSON: log.eps and log.weightDecay must match eps and weightDecay',
            'log',
          );
        }
        out.stepLog = log;
      }
      return out;
    } finally {
      disposeTree(params);
    }
  }
}

function omitSparsity(o: ZoSgdOptions): ZoSgdOptions {
  const out = { ...o };
  for (const k of SPARSITY_KEYS) delete (out as Record<string, unknown>)[k];
  return out;
}

function describeSelection(method: string, s: LayerSelection, directions: number): string {
  const n = directions > 1 ? `, ${directions}-SPSA` : '';
  if (s.keep === s.blocks.length) return `${method}(all ${s.groups.length} groups${n})`;
  return `${method}(keep ${s.keep} of ${s.blocks.length} blocks, ${s.mode}${s.always.length ? ` + ${s.always.length} always active` : ''}${n})`;
}

/**
 * MeZO (Malladi et al. 2023, arXiv 2305.17333): seed-regenerated two-point SPSA and ZO-SGD on
 * every parameter. Defaults from MeZO's code: ε = 1e-3, λ = 0, one direction, decay on all but
 * biases and layer norms.
 *
 * ```ts
 * const opt = new MeZO(params, { learningRate: 1e-3 });
 * ```
 */
export class MeZO extends ZoSgd {
  /** See {@link ZoSgdOptions}; the sparsity options are not accepted (use {@link LeZO}). */
  constructor(params: ParamTree, options: Omit<ZoSgdOptions, keyof SparsityOptions>) {
    for (const k of SPARSITY_KEYS) {
      if (options != null && (options as Record<string, unknown>)[k] !== undefined) {
        throw new ValueError(`MeZO perturbs every group: ${k} is a LeZO option (use new LeZO(...))`, k);
      }
    }
    super(params, options as ZoSgdOptions);
    (this as { variant: ZoVariant }).variant = 'MeZO';
    (this as { name: string }).name = this.directions > 1 ? `MeZO(${this.directions}-SPSA)` : 'MeZO';
  }
}

/**
 * LeZO (Wang et al. 2024, arXiv 2410.09823, reconstructed: the paper's code is not public):
 * MeZO restricted each step to the always-active groups plus k blocks drawn uniformly without
 * replacement from the step seed. Pass the paper's "dropout number" as `drop` (or `keep`,
 * `keepFraction`); default `drop = ⌊N/2⌋`. `drop: 0` is MeZO, bit for bit.
 *
 * ```ts
 * const opt = new LeZO(params, { learningRate: 1e-3, drop: 6 }); // 2 of 8 blocks per step
 * ```
 */
export class LeZO extends ZoSgd {
  /** See {@link ZoSgdOptions}. */
  constructor(params: ParamTree, options: ZoSgdOptions) {
    const o = options as unknown as Record<string, unknown> | null;
    const hasCount =
      o != null && (o.drop !== undefined || o.keep !== undefined || o.keepFraction !== undefined);
    super(params, hasCount || o == null ? options : ({ ...options, keepFraction: 0.5 } as ZoSgdOptions));
    (this as { variant: ZoVariant }).variant = 'LeZO';
    (this as { name: string }).name = describeSelection('LeZO', this.selection, this.directions);
  }
}
