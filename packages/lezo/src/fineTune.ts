/**
 * A fine-tuning loop for any {@link StepOptimizer}: seeded minibatches, periodic evaluation,
 * steps and training time to a target accuracy (the LeZO paper's notion of speed-up), and the
 * time split summed over the run.
 * @module
 */
import {
  type Dataset,
  type LossFn,
  type Model,
  assertDataset,
  epochBatches,
  evaluate,
  objective,
  takeRows,
} from '@descent/nn';
import {
  type RunResult,
  type StopReason,
  ValueError,
  assertInteger,
  describe,
  option,
  resolveOptions,
} from '@descent/tensor';
import type { StepOptimizer, StepResult, StepTimings } from './stepOptimizer';
import { tf } from './tf';

/** One history entry of {@link fineTune}: recorded at every evaluation. */
export interface FineTuneHistoryEntry {
  /** Steps taken when recorded. */
  step: number;
  /** Mean minibatch loss since the previous entry. */
  loss: number;
  /** Loss on the validation data (when given). */
  validationLoss?: number;
  /** Accuracy on the validation data (when given). */
  validationAccuracy?: number;
  /** Training time so far (ms), evaluations excluded. */
  timeMs: number;
}

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /** Steps to take (required). */
  maxSteps: number;
  /** Minibatch size (default 16, MeZO's OPT setting). */
  batchSize?: number;
  /** Seed of the minibatch order (default 0). */
  seed?: number | string;
  /** Held-out data evaluated every `evalEvery` steps and at the end. */
  validation?: Dataset;
  /** Steps between evaluations (default max(1, ⌊maxSteps/20⌋)). */
  evalEvery?: number;
  /** Examples per forward pass when evaluating (default 1024). */
  evalBatchSize?: number;
  /** Target validation accuracy: the first evaluation reaching it sets `stepsToTarget`. */
  targetAccuracy?: number;
  /** Stop once the target is reached (default false). */
  stopAtTarget?: boolean;
  /** Stop after this much training time (ms, evaluations excluded). */
  maxTimeMs?: number;
  /** Called after every step; return `false` to stop (stop reason `'callback'`). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback may return nothing or false to stop
  onStep?: (result: StepResult) => void | boolean;
}

/** What {@link fineTune} returns (the shared run-result shape plus the speed-up quantities). */
export interface FineTuneResult extends RunResult<FineTuneHistoryEntry> {
  /** Steps taken. */
  steps: number;
  /** Loss of the last step (NaN if none). */
  lastLoss: number;
  /** Steps at the first evaluation reaching `targetAccuracy` (null if never or no target). */
  stepsToTarget: number | null;
  /** Training time (ms) at that evaluation (null if never). */
  timeToTargetMs: number | null;
  /** Validation accuracy at the last evaluation (NaN without validation data). */
  finalAccuracy: number;
  /** The step timings summed over the run. */
  timings: StepTimings;
}

/**
 * Fine-tunes `optimizer`'s parameters on `data` with `setup.loss` of `setup.model`, on seeded
 * minibatches (epoch e in the order `new Rng(seed).fold('shuffle', e).permutation(n)`, as
 * `@descent/nn`). Every optimizer sees the same batches for the same seed. A diverging step (a
 * non-finite loss, which the optimizers reject with a `ValueError`) ends the run with stop
 * reason `'diverged'`.
 *
 * ```ts
 * const r = fineTune(new LeZO(params, { learningRate: 1e-3, drop: 6 }), { model, loss }, train,
 *   { maxSteps: 2000, validation: test, targetAccuracy: 0.9 });
 * r.stepsToTarget; r.timeToTargetMs; r.timings.perturbMs;
 * ```
 */
export function fineTune(
  optimizer: StepOptimizer,
  setup: { model: Model; loss: LossFn },
  data: Dataset,
  options: FineTuneOptions,
): FineTuneResult {
  if (optimizer == null || typeof optimizer.stepOn !== 'function') {
    throw new ValueError(
      `optimizer must be a StepOptimizer (MeZO, LeZO, FirstOrder, ...), got ${describe(optimizer)}`,
      'optimizer',
    );
  }
  if (setup == null || typeof setup.model?.apply !== 'function' || typeof setup.loss !== 'function') {
    throw new ValueError(`setup must be { model, loss }, got ${describe(setup)}`, 'setup');
  }
  const n = assertDataset('data', data);
  const o = resolveOptions(options, {
    maxSteps: option.integer({ min: 0, required: true }),
    batchSize: option.integer({ min: 1, default: 16 }),
    seed: option.seed(),
    validation: option.custom((v, name) => {
      assertDataset(name, v);
      return v as Dataset;
    }),
    evalEvery: option.integer({ min: 1 }),
    evalBatchSize: option.integer({ min: 1, default: 1024 }),
    targetAccuracy: option.number({ min: 0, max: 1 }),
    stopAtTarget: option.boolean({ default: false }),
    maxTimeMs: option.number({ gt: 0, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
    onStep: option.func<(r: StepResult) => undefined | boolean>(),
  });
  const batchSize = Math.min(o.batchSize, n);
  const evalEvery = o.evalEvery ?? Math.max(1, Math.floor(o.maxSteps / 20));
  assertInteger('evalEvery', evalEvery, 1);
  const { model, loss } = setup;
  const history: FineTuneHistoryEntry[] = [];
  const timings: StepTimings = { perturbMs: 0, forwardMs: 0, updateMs: 0, totalMs: 0 };
  let stepsToTarget: number | null = null;
  let timeToTargetMs: number | null = null;
  let finalAccuracy = Number.NaN;
  let lossSum = 0;
  let lossCount = 0;
  let lastLoss = Number.NaN;
  let trainMs = 0;
  let steps = 0;
  let evaluations = 0;
  let stopReason: StopReason = 'maxSteps';
  const t0 = performance.now();
  let epoch = 0;
  let batches: Int32Array[] = [];
  let cursor = 0;

  const record = (): boolean => {
    const entry: FineTuneHistoryEntry = {
      step: optimizer.step,
      loss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
      timeMs: trainMs,
    };
    lossSum = 0;
    lossCount = 0;
    if (o.validation) {
      const ev = evaluate(model, optimizer.params, o.validation.x, o.validation.y, {
        loss,
        batchSize: o.evalBatchSize,
      });
      entry.validationLoss = ev.loss;
      entry.validationAccuracy = ev.accuracy;
      finalAccuracy = ev.accuracy;
      if (o.targetAccuracy !== undefined && stepsToTarget === null && ev.accuracy >= o.targetAccuracy) {
        stepsToTarget = steps;
        timeToTargetMs = trainMs;
      }
    }
    history.push(entry);
    return stepsToTarget !== null && o.stopAtTarget;
  };

  if (o.validation && record()) {
    stopReason = 'ftarget';
  } else {
    while (steps < o.maxSteps) {
      if (cursor >= batches.length) {
        batches = epochBatches(n, batchSize, o.seed, epoch++, { dropLast: true });
        cursor = 0;
      }
      const idx = batches[cursor++];
      const batch = takeRows(data, idx);
      let r: StepResult;
      const ts = performance.now();
      try {
        r = optimizer.stepOn(objective(model, loss, batch.x, batch.y));
      } catch (e) {
        if (e instanceof ValueError && e.argument === 'f') {
          stopReason = 'diverged';
          break;
        }
        throw e;
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
      trainMs += performance.now() - ts;
      evaluations += 1;
      steps += 1;
      lastLoss = r.loss;
      lossSum += r.loss;
      lossCount += 1;
      timings.perturbMs += r.timings.perturbMs;
      timings.forwardMs += r.timings.forwardMs;
      timings.updateMs += r.timings.updateMs;
      timings.totalMs += r.timings.totalMs;
      if (o.onStep && o.onStep(r) === false) {
        stopReason = 'callback';
        break;
      }
      if (steps % evalEvery === 0 || steps === o.maxSteps) {
        if (record()) {
          stopReason = 'ftarget';
          break;
        }
      }
      if (trainMs >= o.maxTimeMs) {
        stopReason = 'maxTime';
        break;
      }
    }
    if (history.length === 0 || history[history.length - 1].step !== optimizer.step) record();
  }
  return {
    history,
    evaluations,
    timeMs: performance.now() - t0,
    stopReason,
    steps,
    lastLoss,
    stepsToTarget,
    timeToTargetMs,
    finalAccuracy,
    timings,
  };
}
