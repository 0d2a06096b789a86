/**
 * A whole training run with SAM and/or adversarial training switched on or off by schedules:
 * the loop of Zhou et al.'s ERM_to_SAM.py / ERM_to_Adv.py, with the escape curve after the switch.
 * @module
 */
import { type RunResult, type StopReason, ValueError, assertInteger, describe } from '@descent/tensor';
import {
  type Dataset,
  type ParamTree,
  type PgdOptions,
  type TrainSetup,
  type TrainState,
  assertDataset,
  batchesPerEpoch,
  cloneTree,
  disposeState,
  disposeTree,
  epochBatches,
  evaluate,
  initTrainState,
  pgdAttack,
} from '@descent/nn';
import { treeDistance } from './escape';
import { resetBuffers } from './resetBuffers';
import { isSamTransformation } from './isSamTransformation';
import type { SamStats } from './sam';
import { samStep } from './samStep';
import { SwitchSchedule } from './switchSchedule';
import { tf } from './tf';

/** Adversarial training inside a run. */
export interface AdversarialTraining {
  /** The PGD attack on the training minibatches (its seed is derived per step from the run's seed). */
  attack: Omit<PgdOptions, 'seed'>;
  /** When adversarial training is on (default: every step). */
  schedule?: SwitchSchedule;
}

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  /** Epochs E (the budget is E × ⌈n / batchSize⌉ steps). */
  epochs: number;
  /** Minibatch size. */
  batchSize: number;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number | string;
  /** Start from these parameters (copied) instead of `model.init(seed)`. */
  params?: ParamTree;
  /** m-sharpness sub-batch size for SAM steps (default: the whole minibatch). */
  m?: number;
  /** Adversarial training (PGD on the inputs). */
  adversarial?: AdversarialTraining;
  /**
   * Record the escape curve ‖w_t − w_s‖ after step s: `true` for the switch step of the SAM (or
   * adversarial) schedule, or `{ from: s }` for any step (e.g. the same step of a plain SGD run, as
   * the control the SAM curve is compared with).
   */
  escape?: boolean | { from: number };
  /** Evaluated after every epoch (loss and accuracy). */
  validation?: Dataset;
  /** Called after every epoch; return false to stop. */
  onEpoch?: (record: EpochRecord) => boolean | undefined;
}

/** One epoch of a {@link trainRun}. */
export interface EpochRecord {
  /** Steps done after this epoch. */
  step: number;
  /** The epoch (0-indexed). */
  epoch: number;
  /** Mean minibatch loss over the epoch (at the weights before each step). */
  loss: number;
  /** SAM steps in this epoch. */
  samSteps: number;
  /** Adversarial steps in this epoch. */
  adversarialSteps: number;
  /** Validation loss (NaN without validation). */
  validationLoss: number;
  /** Validation accuracy (NaN without validation). */
  validationAccuracy: number;
  /** Milliseconds since the start. */
  timeMs: number;
}

/** The escape curve after the switch. */
export interface EscapeCurve {
  /** The step s the distances are measured from (the switch step with `escape: true`). */
  switchStep: number;
  /** ‖w_{s+j} − w_s‖ for j = 0, 1, …, T − s. */
  distance: Float64Array;
  /** The minibatch loss at step s + j (j < T − s). */
  loss: Float64Array;
}

/** What {@link trainRun} returns (the shared `RunResult` fields plus the final state). */
export interface TrainRunResult<S = unknown> extends RunResult<EpochRecord> {
  /** The final parameters (owned by the caller). */
  params: ParamTree;
  /** The final optimizer state (owned by the caller: `disposeState`). */
  optState: S;
  /** Steps done. */
  steps: number;
  /** The escape curve (with `escape: true`), else null. */
  escape: EscapeCurve | null;
  /** The last SAM statistics (null without SAM). */
  lastStats: SamStats | null;
}

function scheduleOf(x: unknown, name: string, total: number): SwitchSchedule | null {
  if (x === undefined || x === null) return null;
  if (!(x instanceof SwitchSchedule))
    throw new ValueError(`${name} must be a SwitchSchedule, got ${describe(x)}`, name);
  if (x.totalSteps !== total)
    throw new ValueError(
      `${name}.totalSteps must equal the run's budget of ${total} steps (epochs × batches per epoch), got ${x.totalSteps}`,
      name,
    );
  return x;
}

/**
 * Trains `setup.model` on `data` for a fixed budget with `setup.optimizer` (a {@link sam}
 * transformation, possibly with a switch schedule, or any tree optimizer), optionally with
 * adversarial training. Evaluations are gradient evaluations in minibatch equivalents (a SAM
 * step is 2, a PGD step 1).
 *
 * ```ts
 * const T = 30 * batchesPerEpoch(n, 128);
 * const schedule = switchSchedule({ totalSteps: T, stepsPerEpoch: T / 30, at: { lastEpochs: 3 } });
 * const run = trainRun({ model, loss, optimizer: sam(sgd({ learningRate: 0.05, momentum: 0.9 }), { schedule }) },
 *   train, { epochs: 30, batchSize: 128, seed: 1, escape: true });
 * ```
 */
export function trainRun<S>(
  setup: TrainSetup<tf.Tensor, S>,
  data: Dataset,
  options: TrainRunOptions,
): TrainRunResult<S> {
  const n = assertDataset('data', data);
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be { epochs, batchSize, ... }, got ${describe(options)}`, 'options');
  assertInteger('epochs', options.epochs, 1);
  assertInteger('batchSize', options.batchSize, 1);
  const seed = options.seed ?? 0;
  const perEpoch = batchesPerEpoch(n, options.batchSize);
  const total = options.epochs * perEpoch;
  const opt = setup?.optimizer as unknown;
  const samSchedule = isSamTransformation(opt)
    ? scheduleOf(opt.options.schedule, 'optimizer schedule', total)
    : null;
  const adv = options.adversarial;
  if (adv !== undefined && (adv == null || typeof adv !== 'object' || adv.attack == null))
    throw new ValueError(`adversarial must be { attack, schedule? }, got ${describe(adv)}`, 'adversarial');
  const advSchedule = adv ? scheduleOf(adv.schedule, 'adversarial.schedule', total) : null;
  const escapeSchedule = samSchedule ?? advSchedule;
  let escapeFrom: number | null = null;
  if (typeof options.escape === 'object' && options.escape !== null) {
    assertInteger('escape.from', options.escape.from, 0, total);
    escapeFrom = options.escape.from;
  } else if (options.escape === true) {
    if (escapeSchedule === null)
      throw new ValueError(
        'escape: true needs a switch schedule (on the SAM optimizer or adversarial.schedule); give { from: step } otherwise',
        'escape',
      );
    escapeFrom = escapeSchedule.switchStep;
  } else if (options.escape !== undefined && options.escape !== false)
    throw new ValueError(
      `escape must be a boolean or { from: step }, got ${describe(options.escape)}`,
      'escape',
    );
  if (options.onEpoch !== undefined && typeof options.onEpoch !== 'function')
    throw new ValueError(`onEpoch must be a function, got ${describe(options.onEpoch)}`, 'onEpoch');

  let state: TrainState<S>;
  if (options.params !== undefined) {
    const params = cloneTree(options.params);
    try {
      state = { params, optState: setup.optimizer.init(params), step: 0 };
    } catch (e) {
      disposeTree(params);
      throw e;
    }
  } else state = initTrainState(setup, seed);

  const t0 = performance.now();
  const history: EpochRecord[] = [];
  let evaluations = 0;
  let stopReason: StopReason = 'maxSteps';
  let lastStats: SamStats | null = null;
  let wSwitch: ParamTree | null = null;
  const escapeOn = escapeFrom !== null;
  const sw = escapeFrom ?? 0;
  const distance = new Float64Array(escapeOn ? total - sw + 1 : 0);
  const escLoss = new Float64Array(escapeOn ? total - sw : 0);
  try {
    outer: for (let epoch = 0; epoch < options.epochs; epoch++) {
      const batches = epochBatches(n, options.batchSize, seed, epoch);
      let lossSum = 0;
      let samSteps = 0;
      let advSteps = 0;
      for (const idx of batches) {
        const step = state.step;
        if (escapeOn && step === sw) wSwitch = cloneTree(state.params);
        const idxT = tf.tensor1d(idx, 'int32');
        const xb = tf.gather(data.x, idxT);
        const yb = tf.gather(data.y, idxT);
        idxT.dispose();
        let xUse = xb;
        try {
          const advOn = adv !== undefined && (advSchedule === null || advSchedule.active(step));
          if (advSchedule?.isSwitch(step) && advSchedule.momentumAtSwitch === 'reset') {
            const fresh = resetBuffers(state.optState);
            disposeState(state.optState);
            state = { ...state, optState: fresh };
          }
          if (advOn && adv) {
            xUse = pgdAttack(setup.model, setup.loss, state.params, xb, yb, {
              ...adv.attack,
              seed: `${seed}/pgd/${step}`,
            }).x;
            evaluations += adv.attack.steps ?? 10;
            advSteps++;
          }
          let r: ReturnType<typeof samStep<S>>;
          try {
            r = samStep(setup, state, xUse, yb, { m: options.m });
          } catch (e) {
            if (e instanceof ValueError && e.argument === 'f' && /not finite/.test(e.message)) {
              stopReason = 'diverged';
              break outer;
            }
            throw e;
          }
          state = r.state;
          lossSum += r.loss;
          lastStats = r.stats;
          evaluations += r.stats?.gradEvals ?? 1;
          if (r.stats?.sam) samSteps++;
          if (escapeOn && wSwitch !== null && step >= sw) {
            escLoss[step - sw] = r.loss;
            distance[step - sw + 1] = treeDistance(state.params, wSwitch);
          }
        } finally {
          if (xUse !== xb) xUse.dispose();
          xb.dispose();
          yb.dispose();
        }
      }
      let validationLoss = Number.NaN;
      let validationAccuracy = Number.NaN;
      if (options.validation) {
        const ev = evaluate(setup.model, state.params, options.validation.x, options.validation.y, {
          loss: setup.loss,
        });
        validationLoss = ev.loss;
        validationAccuracy = ev.accuracy;
      }
      const record: EpochRecord = {
        step: state.step,
        epoch,
        loss: lossSum / batches.length,
        samSteps,
        adversarialSteps: advSteps,
        validationLoss,
        validationAccuracy,
        timeMs: performance.now() - t0,
      };
      history.push(record);
      if (options.onEpoch && options.onEpoch(record) === false) {
        stopReason = 'callback';
        break;
      }
    }
  } catch (e) {
    disposeTree(state.params);
    disposeState(state.optState);
    throw e;
  } finally {
    disposeTree(wSwitch);
  }
  return {
    history,
    evaluations,
    timeMs: performance.now() - t0,
    stopReason,
    params: state.params,
    optState: state.optState,
    steps: state.step,
    escape: escapeOn ? { switchStep: sw, distance, loss: escLoss } : null,
    lastStats,
  };
}
