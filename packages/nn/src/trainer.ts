/**
 * A stateful trainer: owns the parameters and optimizer state of one training run, fits on
 * seeded minibatches with progress callbacks and budgets, and saves/restores checkpoints that
 * resume bit for bit.
 * @module
 */
import {
  Rng,
  type RngState,
  type RunResult,
  type Serializable,
  type StopReason,
  type VersionedJSON,
  ValueError,
  assertInteger,
  option,
  resolveOptions,
  describe,
  makeBlob,
  openBlob,
} from '@descent/tensor';
import {
  type BatchOptions,
  type Dataset,
  assertDataset,
  batchesPerEpoch,
  epochBatches,
  takeRows,
} from './data';
import type { LossFn } from './losses';
import {
  type Json,
  type TreeJson,
  disposeState,
  stateFromJSON,
  stateToJSON,
  treeFromJSON,
  treeToJSON,
} from './serialize';
import type { tf } from './tf';
import {
  type Evaluation,
  type TrainSetup,
  type TrainState,
  evaluate,
  initTrainState,
  trainStep,
} from './train';
import { type ParamTree, assertSameStructure, cloneTree, disposeTree } from './tree';

/** Options of the {@link Trainer} constructor. */
export interface TrainerOptions {
  /** Seed of the initial parameters (`model.init(seed)`) and of the minibatch order (default 0). */
  seed?: number | string;
  /** Start from these parameters instead of `model.init(seed)` (copied; the caller keeps its tree). */
  params?: ParamTree;
}

/** What {@link FitOptions.onStep} receives after every step. */
export interface FitProgress {
  /** Global step count after this step (over all `fit` calls). */
  step: number;
  /** Epoch of this step (0-based). */
  epoch: number;
  /** Training loss on this step's minibatch. */
  loss: number;
  /** Fraction of this `fit` call's step budget done, in [0, 1]. */
  fraction: number;
}

/** One history entry of {@link Trainer.fit}: recorded at the end of each epoch (or every `historyEvery` steps). */
export interface FitHistoryEntry {
  /** Global step count when recorded. */
  step: number;
  /** Epoch of the last step (0-based). */
  epoch: number;
  /** Mean minibatch training loss since the previous entry. */
  loss: number;
  /** Loss on `validation` (when given). */
  validationLoss?: number;
  /** Accuracy on `validation` (when given). */
  validationAccuracy?: number;
  /** Milliseconds since the start of this `fit` call. */
  timeMs: number;
}

/** Options of {@link Trainer.fit}. */
export interface FitOptions extends BatchOptions {
  /** Minibatch size (default 32). */
  batchSize?: number;
  /** Epochs to run (default 1 unless `maxSteps` is given). */
  epochs?: number;
  /** Steps to run in this call (overrides `epochs`). */
  maxSteps?: number;
  /** Stop after this many milliseconds of wall-clock time (checked after each step). */
  maxTimeMs?: number;
  /** Record a history entry every this many steps (default: at the end of each epoch). */
  historyEvery?: number;
  /** Held-out data evaluated at each history entry. */
  validation?: Dataset;
  /** Examples per forward pass when evaluating `validation` (default 1024). */
  evalBatchSize?: number;
  /**
   * Called after every step; return `false` to stop (stopReason `'callback'`). If it throws, the
   * trainer keeps the state of the last completed step and nothing leaks.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback may return nothing or false to stop
  onStep?: (progress: FitProgress) => void | boolean;
}

/** What {@link Trainer.fit} returns (the shared run-result shape). */
export interface FitResult extends RunResult<FitHistoryEntry> {
  /** Loss of the last step (NaN if no step was taken). */
  lastLoss: number;
  /** Steps taken in this call. */
  steps: number;
}

/** The JSON checkpoint of a {@link Trainer}. */
export interface TrainerJSON extends VersionedJSON<'Trainer'> {
  version: 1;
  /** The minibatch-order stream (`Rng.toJSON()`). */
  rng: RngState;
  step: number;
  params: TreeJson;
  optState: Json;
}

/**
 * Trains a {@link TrainSetup} on minibatches. Owns its tensors: call {@link Trainer.dispose}
 * when done.
 *
 * ```ts
 * const trainer = new Trainer({ model: mlp({ sizes: [784, 128, 10] }), loss: softmaxCrossEntropyLoss, optimizer: adam({ learningRate: 1e-3 }) }, { seed: 1 });
 * const r = trainer.fit(train, { batchSize: 128, epochs: 5, validation: test });
 * const saved = JSON.stringify(trainer.toJSON()); // resume later with Trainer.fromJSON(saved, setup)
 * ```
 */
export class Trainer<S = unknown> implements Serializable<TrainerJSON> {
  /** The model, loss and optimizer. */
  readonly setup: TrainSetup<tf.Tensor, S>;
  /** The stream of the minibatch order (epoch e uses `rng.fold('shuffle', e)`). */
  private rng: Rng;
  private state: TrainState<S> | null;

  constructor(setup: TrainSetup<tf.Tensor, S>, options: TrainerOptions = {}) {
    const o = resolveOptions(options, { seed: option.seed(), params: option.custom((v) => v as ParamTree) });
    const seed = o.seed;
    options = { seed, params: o.params };
    this.rng = new Rng(seed);
    this.setup = setup;
    if (options.params !== undefined) {
      const init = initTrainState(setup, seed); // validates the setup; the model fixes the structure
      disposeState(init.optState);
      try {
        assertSameStructure('params', options.params, init.params);
      } finally {
        disposeTree(init.params);
      }
      const params = cloneTree(options.params);
      this.state = { params, optState: setup.optimizer.init(params), step: 0 };
    } else {
      this.state = initTrainState(setup, seed);
    }
  }

  private live(): TrainState<S> {
    if (this.state === null) throw new ValueError('this Trainer has been disposed', 'this');
    return this.state;
  }

  /** The current parameters (owned by the trainer: do not dispose; copy with `cloneTree` to keep). */
  get params(): ParamTree {
    return this.live().params;
  }

  /** The current optimizer state (owned by the trainer). */
  get optState(): S {
    return this.live().optState;
  }

  /** Steps taken so far (over all calls). */
  get step(): number {
    return this.live().step;
  }

  /** One optimisation step on the batch (x, y); returns its loss. Throws {@link ValueError} on a non-finite loss (the state is unchanged). */
  trainOn(x: tf.Tensor, y: tf.Tensor): number {
    const r = trainStep(this.setup, this.live(), x, y);
    this.state = r.state;
    return r.loss;
  }

  /**
   * Trains on seeded minibatches of `data` until the step budget (`maxSteps`, or `epochs`
   * × batches per epoch), the time budget or the callback stops it; a non-finite loss stops the
   * run with `'diverged'` (keeping the last finite state). The minibatch of global step t depends
   * only on (seed, n, batchSize, t), so a restored checkpoint continues with the same batches.
   * Epoch e visits the examples in the order `new Rng(seed).fold('shuffle', e).permutation(n)`.
   */
  fit(data: Dataset, options: FitOptions = {}): FitResult {
    const n = assertDataset('data', data);
    const batchSize = options.batchSize ?? 32;
    assertInteger('batchSize', batchSize, 1);
    const spe = batchesPerEpoch(n, batchSize, options.dropLast ?? false);
    let steps: number;
    if (options.maxSteps !== undefined) {
      assertInteger('maxSteps', options.maxSteps, 0);
      steps = options.maxSteps;
    } else {
      const epochs = options.epochs ?? 1;
      assertInteger('epochs', epochs, 0);
      steps = epochs * spe;
    }
    if (options.maxTimeMs !== undefined && !(options.maxTimeMs > 0)) {
      throw new ValueError(`maxTimeMs must be > 0, got ${describe(options.maxTimeMs)}`, 'maxTimeMs');
    }
    if (options.historyEvery !== undefined) assertInteger('historyEvery', options.historyEvery, 1);
    if (options.validation !== undefined) assertDataset('validation', options.validation);
    if ((options as { onProgress?: unknown }).onProgress !== undefined) {
      throw new ValueError('onProgress was renamed onStep (the shared step-callback name)', 'onProgress');
    }
    if (options.onStep !== undefined && typeof options.onStep !== 'function') {
      throw new ValueError(`onStep must be a function, got ${describe(options.onStep)}`, 'onStep');
    }
    const t0 = performance.now();
    const history: FitHistoryEntry[] = [];
    let stopReason: StopReason = 'maxSteps';
    let lastLoss = Number.NaN;
    let taken = 0;
    let sum = 0;
    let count = 0;
    let cachedEpoch = -1;
    let batches: Int32Array[] = [];
    const record = (epoch: number) => {
      const entry: FitHistoryEntry = {
        step: this.step,
        epoch,
        loss: count > 0 ? sum / count : Number.NaN,
        timeMs: performance.now() - t0,
      };
      if (options.validation) {
        const ev = this.evaluate(options.validation, { batchSize: options.evalBatchSize });
        entry.validationLoss = ev.loss;
        entry.validationAccuracy = ev.accuracy;
      }
      history.push(entry);
      sum = 0;
      count = 0;
    };
    while (taken < steps) {
      const g = this.step;
      const epoch = Math.floor(g / spe);
      if (epoch !== cachedEpoch) {
        batches = epochBatches(n, batchSize, this.rng, epoch, options);
        cachedEpoch = epoch;
      }
      const batch = takeRows(data, batches[g % spe]);
      try {
        lastLoss = this.trainOn(batch.x, batch.y);
      } catch (e) {
        if (e instanceof ValueError && /not finite/.test(e.message)) {
          stopReason = 'diverged';
          break;
        }
        throw e;
      } finally {
        batch.x.dispose();
        batch.y.dispose();
      }
      taken++;
      sum += lastLoss;
      count++;
      const endOfEpoch = (g + 1) % spe === 0;
      if (options.historyEvery !== undefined ? taken % options.historyEvery === 0 : endOfEpoch) record(epoch);
      if (options.onStep) {
        const go = options.onStep({
          step: this.step,
          epoch,
          loss: lastLoss,
          fraction: steps === 0 ? 1 : taken / steps,
        });
        if (go === false) {
          stopReason = 'callback';
          break;
        }
      }
      if (options.maxTimeMs !== undefined && performance.now() - t0 >= options.maxTimeMs && taken < steps) {
        stopReason = 'maxTime';
        break;
      }
    }
    if (count > 0) record(Math.floor(Math.max(this.step - 1, 0) / spe));
    return {
      history,
      evaluations: taken,
      timeMs: performance.now() - t0,
      stopReason,
      lastLoss,
      steps: taken,
    };
  }

  /** Mean loss (the setup's, or `loss`) and accuracy on `data` at the current parameters. */
  evaluate(
    data: Dataset,
    options: { loss?: LossFn; batchSize?: number; accuracy?: boolean } = {},
  ): Evaluation {
    assertDataset('data', data);
    return evaluate(this.setup.model, this.params, data.x, data.y, {
      loss: options.loss ?? this.setup.loss,
      batchSize: options.batchSize,
      accuracy: options.accuracy,
    });
  }

  /** The checkpoint: seed, step, parameters and optimizer state (bit-exact, validated by {@link Trainer.fromJSON}). */
  toJSON(): TrainerJSON {
    const s = this.live();
    return makeBlob('Trainer', 1, {
      rng: this.rng.toJSON(),
      step: s.step,
      params: treeToJSON(s.params),
      optState: stateToJSON(s.optState, 'optState'),
    }) as TrainerJSON;
  }

  /**
   * Restores a checkpoint written by {@link Trainer.toJSON} (or its JSON text) for `setup` (the
   * same model and optimizer). Validates everything against `setup`: type and version, stream, step,
   * every parameter's group, name, shape and values, and the optimizer state's structure.
   */
  static fromJSON<S>(json: unknown, setup: TrainSetup<tf.Tensor, S>): Trainer<S> {
    const r = openBlob(json, { type: 'Trainer', version: 1 });
    const rng = r.rng('rng');
    const step = r.integer('step', { min: 0 });
    const trainer = new Trainer(setup);
    trainer.rng = rng;
    const old = trainer.live();
    let params: ParamTree | null = null;
    try {
      params = treeFromJSON(r.at('params').asRaw(), old.params, 'params');
      const optState = stateFromJSON(r.at('optState').asRaw(), old.optState, 'optState') as S;
      trainer.state = { params, optState, step };
    } catch (e) {
      disposeTree(params);
      trainer.dispose();
      throw e;
    }
    disposeTree(old.params);
    disposeState(old.optState);
    return trainer;
  }

  /** A copy of the current parameters (owned by the caller). */
  snapshot(): ParamTree {
    return cloneTree(this.params);
  }

  /** Disposes the trainer's tensors; the trainer is unusable afterwards. */
  dispose(): void {
    if (this.state === null) return;
    disposeTree(this.state.params);
    disposeState(this.state.optState);
    this.state = null;
  }
}
