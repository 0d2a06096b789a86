/**
 * First-order baselines behind the same step interface as the ZO optimizers: backprop gradients
 * (`valueAndGradTree` of `@descent/nn`) and any tree optimizer of `@descent/nn` (`sgd`, `adam`,
 * `adamw`, ...).
 * @module
 */
import {
  type ParamTree,
  type TreeJson,
  type TreeObjective,
  type TreeTransformation,
  assertParamTree,
  assertSameStructure,
  cloneTree,
  disposeState,
  disposeTree,
  optimizerStep,
  stateFromJSON,
  stateToJSON,
  treeFromJSON,
  treeToJSON,
  valueAndGradTree,
} from '@descent/nn';
import {
  type Serializable,
  ValueError,
  type VersionedJSON,
  describe,
  makeBlob,
  openBlob,
} from '@descent/tensor';
import type { StepOptimizer, StepResult } from './stepOptimizer';

/** Options of {@link FirstOrder}. */
export interface FirstOrderOptions<S> {
  /** The tree optimizer, e.g. `sgd({ learningRate: 0.05 })` or `adam({ learningRate: 1e-3 })`. */
  optimizer: TreeTransformation<S>;
  /** Name in reports (default `'FO'`). */
  name?: string;
  /** The millisecond clock of the step timings (default `performance.now`; see `ZoSgdOptions.clock`). */
  clock?: () => number;
}

/** The JSON blob of a {@link FirstOrder}. */
export interface FirstOrderJSON extends VersionedJSON<'FirstOrder'> {
  version: 1;
  name: string;
  step: number;
  params: TreeJson;
  optState: unknown;
}

const wallClock = (): number => performance.now();

/**
 * Backprop training with a tree optimizer, one step per {@link FirstOrder.stepOn} call; owns a
 * copy of the parameters and the optimizer state. `timings.forwardMs` is forward + backward.
 *
 * ```ts
 * const fo = new FirstOrder(params, { optimizer: adam({ learningRate: 1e-3 }), name: 'FO-Adam' });
 * fo.stepOn(objective(model, softmaxCrossEntropyLoss, xb, yb));
 * ```
 */
export class FirstOrder<S = unknown> implements StepOptimizer<StepResult>, Serializable<FirstOrderJSON> {
  /** Name in reports. */
  readonly name: string;
  /** The tree optimizer. */
  readonly optimizer: TreeTransformation<S>;
  private tree: ParamTree;
  private optState: S;
  private stepCount = 0;
  private disposed = false;
  private readonly clock: () => number;

  /** @param params - the initial parameters (copied). */
  constructor(params: ParamTree, options: FirstOrderOptions<S>) {
    assertParamTree('params', params);
    const o = options as Partial<FirstOrderOptions<S>> | undefined;
    const opt = o?.optimizer;
    if (opt == null || typeof opt.init !== 'function' || typeof opt.update !== 'function') {
      throw new ValueError(
        `optimizer must be a TreeTransformation (e.g. adam(...)), got ${describe(opt)}`,
        'optimizer',
      );
    }
    if (o?.name !== undefined && typeof o.name !== 'string') {
      throw new ValueError(`name must be a string, got ${describe(o.name)}`, 'name');
    }
    if (o?.clock !== undefined && typeof o.clock !== 'function') {
      throw new ValueError(
        `clock must be a function returning milliseconds, got ${describe(o.clock)}`,
        'clock',
      );
    }
    this.clock = o?.clock ?? wallClock;
    this.optimizer = opt;
    this.name = o?.name ?? 'FO';
    this.tree = cloneTree(params);
    try {
      this.optState = opt.init(this.tree);
    } catch (e) {
      disposeTree(this.tree);
      throw e;
    }
  }

  /** The current parameters (replaced by every step). */
  get params(): ParamTree {
    this.assertLive();
    return this.tree;
  }

  /** Steps taken. */
  get step(): number {
    return this.stepCount;
  }

  /** A copy of the current parameters (owned by the caller). */
  snapshot(): ParamTree {
    return cloneTree(this.params);
  }

  /** No host scratch memory. */
  get hostBytes(): number {
    return 0;
  }

  /** One step: value and gradient of `f` by backprop, optimizer update, new parameters. */
  stepOn(f: TreeObjective): StepResult {
    this.assertLive();
    if (typeof f !== 'function')
      throw new ValueError(`f must be a function of the parameters, got ${describe(f)}`, 'f');
    const now = this.clock;
    const t0 = now();
    const { value, grads } = valueAndGradTree(f)(this.tree);
    const t1 = now();
    try {
      const next = optimizerStep(this.optimizer, grads, this.optState, this.tree);
      this.tree = next.params;
      this.optState = next.optState;
    } finally {
      disposeTree(grads);
    }
    const t2 = now();
    const step = this.stepCount++;
    return {
      step,
      loss: value,
      timings: { perturbMs: 0, forwardMs: t1 - t0, updateMs: t2 - t1, totalMs: t2 - t0 },
    };
  }

  private assertLive(): void {
    if (this.disposed) throw new ValueError('this optimizer has been disposed', 'this');
  }

  /** Disposes the parameters and the optimizer state. */
  dispose(): void {
    if (this.disposed) return;
    disposeTree(this.tree);
    disposeState(this.optState);
    this.disposed = true;
  }

  /** Parameters, optimizer state and step as a versioned blob (bit-exact resume). */
  toJSON(): FirstOrderJSON {
    this.assertLive();
    return makeBlob('FirstOrder', 1, {
      name: this.name,
      step: this.stepCount,
      params: treeToJSON(this.tree),
      optState: stateToJSON(this.optState, 'optState'),
    }) as FirstOrderJSON;
  }

  /** Restores a {@link FirstOrder} saved by `toJSON`, with the same kind of `optimizer`. */
  static fromJSON<S>(
    json: unknown,
    optimizer: TreeTransformation<S>,
    extra: { clock?: () => number } = {},
  ): FirstOrder<S> {
    const r = openBlob(json, { type: 'FirstOrder', version: 1 });
    const name = r.string('name');
    const step = r.integer('step', { min: 0 });
    const params = treeFromJSON(r.at('params').asObjectValue(), undefined, 'params');
    try {
      const out = new FirstOrder(params, { optimizer, name, clock: extra.clock });
      try {
        const template = out.optState;
        const state = stateFromJSON(r.at('optState').asRaw(), template, 'optState') as S;
        disposeState(template);
        out.optState = state;
        assertSameStructure('params', out.tree, params);
        out.stepCount = step;
        return out;
      } catch (e) {
        out.dispose();
        throw e;
      }
    } finally {
      disposeTree(params);
    }
  }
}
