/**
 * SAM as a gradient transformation around any base transformation (optax.contrib.sam's opaque
 * mode, without its footguns).
 *
 * One SAM step (Foret et al. 2021, Alg. 1), with g = ∇L_B(w) the caller's minibatch gradient:
 *
 *   ε̂ = perturbation(g)                    (SAM ρg/‖g‖, ASAM ρT²g/‖Tg‖, USAM ρg)
 *   g′ = ∇L_B(w + ε̂)                       (second pass, on the same minibatch)
 *   (u, s) = base.update(g′, s, w)          (base state updated exactly once per step)
 *
 * The weights the caller holds are never perturbed: `w + ε̂` is a temporary tree, and the
 * returned updates are the base optimizer's updates of the original `w` (apply them with
 * `applyUpdates(params, updates)`). The second pass needs the loss as a function of the weights,
 * passed per step in the context (`update(grads, state, params, { objective })`, like optax's
 * `grad_fn` in opaque mode); {@link samStep} does this for the usual model/loss/minibatch loop.
 *
 * Options beyond the paper's core: m-sharpness (the context's objective is a list of sub-batch
 * losses: ε̂_i from each sub-batch's own gradient, g′ the weighted mean of the g′_i), L2 weight
 * decay inside or outside the perturbation, SAM every k steps (`interval`), a {@link SwitchSchedule}
 * (SGD→SAM / SAM→SGD with momentum kept or reset), and per-step statistics.
 * @module
 */
import { ValueError, describe, makeBlob, openBlob, option, resolveOptions } from '@descent/tensor';
import {
  type ParamTree,
  type TreeObjective,
  type TreeTransformation,
  addTrees,
  assertParamTree,
  assertSameStructure,
  axpyTree,
  cloneTree,
  disposeState,
  disposeTree,
  dotTrees,
  scaleTree,
  stateFromJSON,
  stateToJSON,
  treeNorm,
  valueAndGradTree,
} from '@descent/nn';
import { type SamMode, SAM_MODES, perturbation, resolveRho } from './perturbation';
import { resetBuffers } from './resetBuffers';
import { SwitchSchedule } from './switchSchedule';
import { isSamTransformation } from './isSamTransformation';

/** Options of {@link sam}. */
export interface SamOptions {
  /** `'sam'` (default), `'asam'` or `'usam'`. */
  mode?: SamMode;
  /** Neighbourhood radius ρ (default 0.05 for SAM, 0.5 for ASAM; required for USAM). */
  rho?: number;
  /** ASAM's offset η in T_w = |w| + η (default 0.01, Kwon et al.; davda54/sam uses 0). */
  asamOffset?: number;
  /** Guard added to the gradient norm (default 1e-12, davda54/sam). */
  eps?: number;
  /**
   * L2 weight decay coefficient λ (default 0): λ·w is added to the gradient handed to the base
   * optimizer (on every step), as PyTorch SGD's `weight_decay`.
   */
  weightDecay?: number;
  /**
   * Whether the L2 term is part of the perturbed objective (default false).
   * `false` (davda54/sam, Zhou et al.'s code): ε̂ is computed from the loss gradient alone and
   * the base sees ∇L(w+ε̂) + λw. `true` (google-research/sam, where ½λ‖w‖² is in the loss):
   * ε̂ is computed from g + λw and the base sees ∇L(w+ε̂) + λ(w+ε̂).
   */
  weightDecayInPerturbation?: boolean;
  /** Do a SAM step every `interval` steps and a plain step otherwise (default 1; MosaicML's `interval`). */
  interval?: number;
  /**
   * When SAM is on (default: always). With `momentumAtSwitch: 'reset'` the base optimizer's
   * buffers are zeroed at the switch (counters kept, see {@link resetBuffers}).
   */
  schedule?: SwitchSchedule;
}

/** The resolved options of a SAM transformation. */
export interface ResolvedSamOptions {
  /** The perturbation. */
  mode: SamMode;
  /** ρ. */
  rho: number;
  /** ASAM's offset. */
  asamOffset: number;
  /** Norm guard. */
  eps: number;
  /** L2 coefficient λ. */
  weightDecay: number;
  /** L2 term inside the perturbation (google-research/sam) or not (davda54/sam). */
  weightDecayInPerturbation: boolean;
  /** SAM every k steps. */
  interval: number;
  /** When SAM is on (null: always). */
  schedule: SwitchSchedule | null;
}

/** State of a SAM transformation: the base optimizer's state and the step count. */
export interface SamState<S = unknown> {
  /** The base transformation's state. */
  base: S;
  /** Steps done so far (drives `interval` and `schedule`). */
  count: number;
}

/** What a SAM step needs besides the gradient: the minibatch loss as a function of the weights. */
export interface SamContext {
  /**
   * The minibatch loss L_B(w) (one function), or for m-sharpness the sub-batch losses L_i(w)
   * (each the mean over its sub-batch), whose weighted mean Σ ωᵢ Lᵢ is L_B.
   */
  objective: TreeObjective | readonly TreeObjective[];
  /** Weights ωᵢ of the sub-batch losses (default equal; normalised to sum 1), e.g. sub-batch sizes. */
  weights?: readonly number[];
  /** The sub-batch gradients ∇Lᵢ(w) when the caller has them already (saves one pass). */
  partGrads?: readonly ParamTree[];
  /** L_B(w) when the caller knows it (reported in the stats). */
  loss?: number;
}

/** Per-step statistics of a SAM transformation. */
export interface SamStats {
  /** The step (the state's count before this update). */
  step: number;
  /** Whether this was a SAM step (two passes) or a plain one. */
  sam: boolean;
  /** Whether the schedule switched phases at this step. */
  switched: boolean;
  /** L_B(w) (NaN when unknown: pass `context.loss`). */
  loss: number;
  /** L_B(w + ε̂) (for m-sharpness Σ ωᵢ Lᵢ(w + ε̂ᵢ); NaN on plain steps). */
  perturbedLoss: number;
  /** ‖g‖₂ of the loss gradient at w (weight decay excluded). */
  gradNorm: number;
  /** ‖ε̂‖₂ (for m-sharpness the weighted mean of ‖ε̂ᵢ‖; 0 on plain steps). */
  epsNorm: number;
  /** cos(g, g′) between the loss gradients at w and at w + ε̂ (NaN on plain steps or a zero gradient). */
  cosine: number;
  /** Gradient evaluations of this step in minibatch equivalents, the caller's first pass included. */
  gradEvals: number;
}

/** The result of {@link SamTransformation.update}. */
export interface SamUpdate<S> {
  /** The base optimizer's updates for the original weights (owned by the caller). */
  updates: ParamTree;
  /** The new state (owned by the caller; the old one is not touched). */
  state: SamState<S>;
  /** What happened in this step. */
  stats: SamStats;
}

/** A SAM transformation: a {@link TreeTransformation} whose update takes a {@link SamContext}. */
export interface SamTransformation<S = unknown> extends TreeTransformation<SamState<S>> {
  /** Marks SAM transformations (`samStep` and `trainRun` check it). */
  readonly kind: 'sam';
  /** The wrapped base transformation. */
  readonly base: TreeTransformation<S>;
  /** The resolved options. */
  readonly options: Readonly<ResolvedSamOptions>;
  /**
   * One step. `grads` = ∇L_B(params). `context.objective` is required on SAM steps (a
   * {@link ValueError} names it otherwise); plain steps (interval, schedule) use `grads` only.
   */
  update(grads: ParamTree, state: SamState<S>, params?: ParamTree, context?: SamContext): SamUpdate<S>;
}

/** Whether step `count` is a SAM step under `options` (schedule on and count % interval = 0). */
function samActive(options: ResolvedSamOptions, count: number): boolean {
  const on = options.schedule ? options.schedule.active(count) : true;
  return on && count % options.interval === 0;
}

/** Whether the next update of `opt` from `state` is a SAM step (two passes). */
export function isSamStepOf(opt: SamTransformation<unknown>, state: { count: number }): boolean {
  const count = state?.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
    throw new ValueError(`state.count must be a non-negative integer, got ${describe(count)}`, 'state.count');
  return samActive(opt.options, count);
}

function readState<S>(state: unknown): SamState<S> {
  const s = state as Partial<SamState<S>> | null;
  if (s == null || typeof s !== 'object' || !('base' in s))
    throw new ValueError(`state must be a SAM state { base, count }, got ${describe(state)}`, 'state');
  if (typeof s.count !== 'number' || !Number.isInteger(s.count) || s.count < 0)
    throw new ValueError(
      `state.count must be a non-negative integer, got ${describe(s.count)}`,
      'state.count',
    );
  return s as SamState<S>;
}

function readWeights(weights: readonly number[] | undefined, k: number): number[] {
  if (weights === undefined) return new Array(k).fill(1 / k);
  if (!Array.isArray(weights) || weights.length !== k)
    throw new ValueError(
      `context.weights must be an array of ${k} numbers (one per sub-batch loss), got ${describe(weights)}`,
      'context.weights',
    );
  let total = 0;
  for (let i = 0; i < k; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new ValueError(
        `context.weights must be finite numbers >= 0, got ${describe(w)} at index ${i}`,
        'context.weights',
      );
    total += w;
  }
  if (total <= 0) throw new ValueError('context.weights must not all be 0', 'context.weights');
  return weights.map((w) => w / total);
}

/**
 * Wraps `base` into SAM (or ASAM / USAM).
 *
 * ```ts
 * const opt = sam(sgd({ learningRate: 0.05, momentum: 0.9 }), { rho: 0.05 });
 * let state = opt.init(params);
 * const { value, grads } = valueAndGradTree(f)(params);           // first pass
 * const r = opt.update(grads, state, params, { objective: f, loss: value }); // second pass inside
 * const next = applyUpdates(params, r.updates);                    // w − η g′, never w + ε̂
 * ```
 */
export function sam<S>(base: TreeTransformation<S>, options: SamOptions = {}): SamTransformation<S> {
  if (base == null || typeof base.init !== 'function' || typeof base.update !== 'function')
    throw new ValueError(`base must be a TreeTransformation, got ${describe(base)}`, 'base');
  const o = resolveOptions(options, {
    mode: option.oneOf(SAM_MODES, { default: 'sam' }),
    rho: option.number({ min: 0 }),
    asamOffset: option.number({ min: 0, default: 0.01 }),
    eps: option.number({ min: 0, default: 1e-12 }),
    weightDecay: option.number({ min: 0, default: 0 }),
    weightDecayInPerturbation: option.boolean({ default: false }),
    interval: option.integer({ min: 1, default: 1 }),
    schedule: option.custom((v, name) => {
      if (!(v instanceof SwitchSchedule))
        throw new ValueError(
          `${name} must be a SwitchSchedule (see switchSchedule()), got ${describe(v)}`,
          name,
        );
      return v;
    }),
  });
  const resolved: ResolvedSamOptions = {
    mode: o.mode,
    rho: resolveRho(o.mode, o.rho),
    asamOffset: o.asamOffset,
    eps: o.eps,
    weightDecay: o.weightDecay,
    weightDecayInPerturbation: o.weightDecayInPerturbation,
    interval: o.interval,
    schedule: o.schedule ?? null,
  };
  const { mode, rho, weightDecay: wd, weightDecayInPerturbation: wdIn } = resolved;
  const pOpts = { rho, eps: resolved.eps, offset: resolved.asamOffset };

  /** g + λw (a new tree), or a copy of g when λ = 0. */
  const withDecay = (g: ParamTree, w: ParamTree): ParamTree => (wd > 0 ? axpyTree(wd, w, g) : cloneTree(g));

  return {
    kind: 'sam',
    base,
    options: resolved,
    init(params) {
      return { base: base.init(params), count: 0 };
    },
    update(grads, state, params, context) {
      const st = readState<S>(state);
      assertParamTree('grads', grads);
      if (params !== undefined) assertSameStructure('params', params, grads);
      const step = st.count;
      const schedule = resolved.schedule;
      const switched = schedule ? schedule.isSwitch(step) : false;
      const samNow = samActive(resolved, step);
      if ((samNow || wd > 0) && params === undefined)
        throw new ValueError(
          `params is required by ${samNow ? 'a SAM step' : 'weightDecay'} (update(grads, state, params, context))`,
          'params',
        );
      const owned: ParamTree[] = [];
      let baseState = st.base;
      let resetState: S | null = null;
      try {
        if (switched && schedule?.momentumAtSwitch === 'reset') {
          resetState = resetBuffers(st.base);
          baseState = resetState;
        }
        if (!samNow) {
          const gradNorm = treeNorm(grads);
          if (!Number.isFinite(gradNorm))
            throw new ValueError(`grads must be finite, got a norm of ${gradNorm}`, 'grads');
          const g = wd > 0 ? withDecay(grads, params as ParamTree) : grads;
          if (g !== grads) owned.push(g);
          const r = base.update(g, baseState, params);
          return {
            updates: r.updates,
            state: { base: r.state, count: step + 1 },
            stats: {
              step,
              sam: false,
              switched,
              loss: context?.loss ?? Number.NaN,
              perturbedLoss: Number.NaN,
              gradNorm,
              epsNorm: 0,
              cosine: Number.NaN,
              gradEvals: 1,
            },
          };
        }
        const w = params as ParamTree;
        if (context == null || typeof context !== 'object')
          throw new ValueError(
            `context must be { objective } on a SAM step (the loss as a function of the weights, for the second pass), got ${describe(context)}`,
            'context',
          );
        const obj = context.objective;
        const parts: readonly TreeObjective[] = typeof obj === 'function' ? [obj] : obj;
        if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => typeof p !== 'function'))
          throw new ValueError(
            `context.objective must be a function of the weights or a non-empty array of them, got ${describe(obj)}`,
            'context.objective',
          );
        const k = parts.length;
        const omega = readWeights(context.weights, k);
        let gradEvals = 1;
        // first-pass gradients (and, when computed here, values) of the parts
        let partGrads: readonly ParamTree[];
        let partValues: number[] | null = k === 1 && context.loss !== undefined ? [context.loss] : null;
        if (k === 1) partGrads = [grads];
        else if (context.partGrads !== undefined) {
          if (!Array.isArray(context.partGrads) || context.partGrads.length !== k)
            throw new ValueError(
              `context.partGrads must hold ${k} gradient trees (one per sub-batch loss), got ${describe(context.partGrads)}`,
              'context.partGrads',
            );
          context.partGrads.forEach((g, i) => {
            assertSameStructure(`context.partGrads[${i}]`, g, grads);
          });
          partGrads = context.partGrads;
        } else {
          const computed: ParamTree[] = [];
          partValues = [];
          for (let i = 0; i < k; i++) {
            const r = valueAndGradTree(parts[i])(w);
            owned.push(r.grads);
            computed.push(r.grads);
            partValues.push(r.value);
          }
          partGrads = computed;
          gradEvals += 1;
        }
        let loss = context.loss ?? Number.NaN;
        if (!Number.isFinite(loss) && partValues !== null)
          loss = partValues.reduce((a, v, i) => a + omega[i] * v, 0);
        const gradNorm = treeNorm(grads);
        if (!Number.isFinite(gradNorm))
          throw new ValueError(`grads must be finite, got a norm of ${gradNorm}`, 'grads');
        // second pass per part: g′ᵢ = ∇Lᵢ(w + ε̂ᵢ)
        let gPrime: ParamTree | null = null; // Σ ωᵢ g′ᵢ (loss part)
        let decayAt: ParamTree | null = null; // Σ ωᵢ ε̂ᵢ (for the L2 term inside the perturbation)
        let perturbedLoss = 0;
        let epsNorm = 0;
        let secondPasses = 0;
        try {
          for (let i = 0; i < k; i++) {
            const gP = wdIn && wd > 0 ? withDecay(partGrads[i], w) : partGrads[i];
            let pert: ReturnType<typeof perturbation>;
            try {
              pert = perturbation(mode, gP, w, pOpts);
            } finally {
              if (gP !== partGrads[i]) disposeTree(gP);
            }
            epsNorm += omega[i] * pert.epsNorm;
            let gi: ParamTree;
            try {
              if (pert.epsNorm === 0) {
                // w + 0 = w: the second pass is the first
                gi = cloneTree(partGrads[i]);
                perturbedLoss += omega[i] * (partValues?.[i] ?? Number.NaN);
              } else {
                const wEps = addTrees(w, pert.epsilon);
                try {
                  const r = valueAndGradTree(parts[i])(wEps);
                  gi = r.grads;
                  perturbedLoss += omega[i] * r.value;
                  secondPasses++;
                } finally {
                  disposeTree(wEps);
                }
                if (wdIn && wd > 0) {
                  const next: ParamTree =
                    decayAt === null
                      ? scaleTree(omega[i], pert.epsilon)
                      : axpyTree(omega[i], pert.epsilon, decayAt);
                  disposeTree(decayAt);
                  decayAt = next;
                }
              }
            } finally {
              disposeTree(pert.epsilon);
            }
            if (gPrime === null && k === 1) gPrime = gi;
            else {
              const next: ParamTree =
                gPrime === null ? scaleTree(omega[i], gi) : axpyTree(omega[i], gi, gPrime);
              disposeTree(gi);
              disposeTree(gPrime);
              gPrime = next;
            }
          }
          if (secondPasses > 0) gradEvals += 1;
          const gp = gPrime as ParamTree;
          // cos(g, g′) on the loss gradients
          const gpNorm = treeNorm(gp);
          const cosine = gradNorm > 0 && gpNorm > 0 ? dotTrees(grads, gp) / (gradNorm * gpNorm) : Number.NaN;
          // the gradient handed to the base: g′ + λw (outside) or g′ + λ(w + Σωε̂) (inside)
          let gBase = gp;
          if (wd > 0) {
            gBase = axpyTree(wd, w, gp);
            if (wdIn && decayAt !== null) {
              const next = axpyTree(wd, decayAt, gBase);
              disposeTree(gBase);
              gBase = next;
            }
            owned.push(gBase);
          }
          const r = base.update(gBase, baseState, w);
          return {
            updates: r.updates,
            state: { base: r.state, count: step + 1 },
            stats: {
              step,
              sam: true,
              switched,
              loss,
              perturbedLoss,
              gradNorm,
              epsNorm,
              cosine,
              gradEvals,
            },
          };
        } finally {
          disposeTree(gPrime);
          disposeTree(decayAt);
        }
      } finally {
        for (const t of owned) disposeTree(t);
        if (resetState !== null) disposeState(resetState);
      }
    },
  };
}

/**
 * A SAM state as a versioned blob `{ type: 'SamState', version: 1, count, base }` (the base state
 * in @descent/nn's `stateToJSON` form): checkpoints resume bit for bit.
 */
export function samStateToJSON(state: SamState<unknown>) {
  const st = readState(state);
  return makeBlob('SamState', 1, { count: st.count, base: stateToJSON(st.base, 'state.base') });
}

/**
 * Reads a {@link samStateToJSON} blob (or its text) for optimizer `opt` and parameters like
 * `params` (validated against `opt.init(params)`: structure, shapes, finite numbers). The result's
 * tensors belong to the caller.
 */
export function samStateFromJSON<S>(
  json: unknown,
  opt: SamTransformation<S>,
  params: ParamTree,
): SamState<S> {
  if (!isSamTransformation(opt))
    throw new ValueError(`opt must be a SAM transformation (sam(...)), got ${describe(opt)}`, 'opt');
  const r = openBlob(json, { type: 'SamState', version: 1 });
  const count = r.integer('count', { min: 0 });
  const baseJson = r.at('base').asRaw();
  const template = opt.base.init(params);
  try {
    return { base: stateFromJSON(baseJson, template, 'SamState.fromJSON: base') as S, count };
  } finally {
    disposeState(template);
  }
}
