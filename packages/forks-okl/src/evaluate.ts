/**
 * Online (progressive-validation) evaluation: every round predicts before it learns.
 * @module
 */
import { type RunResult, ShapeError, ValueError, type VectorLike, describe, median, option, resolveOptions } from '@descent/tensor';
import type { OnlineBinaryLearner } from './types';

/** Options of {@link evaluateOnline}. */
export interface EvaluateOptions {
  /** Record a curve point every n rounds (default max(1, ⌊N/100⌋)). Renamed from `recordEvery`. */
  historyEvery?: number;
  /** Time each round (default true; adds ~0.1 µs per round). */
  timeRounds?: boolean;
  /**
   * Which mistakes the curve counts: `'start'` (every round, default, the fair protocol) or
   * `'afterWarmup'` (the reference code's convention for FORKS, SkeGD and NOGD: budget-filling
   * rounds are not counted, the rate is still divided by all rounds). Both totals are always
   * reported in `mistakeRate` / `mistakeRateAfterWarmup`.
   */
  countFrom?: 'start' | 'afterWarmup';
}

/** One point of the online curve. */
export interface CurvePoint {
  /** Rounds processed when the point was recorded. */
  step: number;
  /** Mistakes / rounds so far (all rounds counted). */
  mistakeRate: number;
  /** Mistakes in the last `historyEvery` rounds / `historyEvery` (the local error, shows drift). */
  windowMistakeRate: number;
  cumulativeLoss: number;
}

/** What {@link evaluateOnline} returns. */
export interface OnlineEvaluation extends RunResult<CurvePoint> {
  /** Rounds processed (= `evaluations`, the labelled examples used). */
  steps: number;
  mistakes: number;
  /** Mistakes / N with every round counted (the fair protocol, notes §4.4). */
  mistakeRate: number;
  /** Mistakes after the learner left its warm-up phase / N (the reference code's convention for FORKS, SkeGD, NOGD). */
  mistakeRateAfterWarmup: number;
  /** Rounds spent in warm-up (budget filling). */
  warmupRounds: number;
  cumulativeLoss: number;
  /** Rounds in which a sketch / embedding was updated. */
  sketchUpdates: number;
  /** Wall time of the whole loop (ms). */
  timeMs: number;
  /** Median time of one round (µs). */
  medianRoundUs: number;
  /** Mean time of one round (µs). */
  meanRoundUs: number;
  /** Per-round times (µs) if `timeRounds`. */
  roundUs: Float64Array;
  history: CurvePoint[];
}

const EVALUATE_SCHEMA = {
  historyEvery: option.integer({ min: 1 }),
  timeRounds: option.boolean({ default: true }),
  countFrom: option.oneOf(['start', 'afterWarmup'] as const, { default: 'start' }),
};

/**
 * Runs `learner` over the stream in order (predict, then learn, every round) and reports the online
 * metrics, with the run-result fields of the core (`history` by step, `evaluations`, `timeMs`,
 * `stopReason: 'maxSteps'` — the stream ended).
 */
export function evaluateOnline(learner: OnlineBinaryLearner, stream: { X: ArrayLike<VectorLike>; y: ArrayLike<number> }, o: EvaluateOptions = {}): OnlineEvaluation {
  if (learner === null || typeof learner !== 'object' || typeof (learner as OnlineBinaryLearner).learnOne !== 'function') {
    throw new ValueError(`learner must be a streaming learner (with learnOne), got ${describe(learner)}`, 'learner');
  }
  if (stream === null || typeof stream !== 'object') throw new ValueError(`stream must be { X, y }, got ${describe(stream)}`, 'stream');
  const { X, y } = stream;
  if (X == null || typeof X !== 'object' || typeof X.length !== 'number') throw new ValueError(`stream.X must be an array of rows, got ${describe(X)}`, 'stream.X');
  if (y == null || typeof y !== 'object' || typeof y.length !== 'number') throw new ValueError(`stream.y must be an array of labels, got ${describe(y)}`, 'stream.y');
  if (X.length !== y.length) throw new ShapeError(`stream.y must have the same length as stream.X (${X.length}), got ${y.length}`, 'stream.y');
  const N = X.length;
  const opts = resolveOptions(o, EVALUATE_SCHEMA, { name: 'options', renamed: { recordEvery: 'historyEvery' } });
  const every = opts.historyEvery ?? Math.max(1, Math.floor(N / 100));
  const timeRounds = opts.timeRounds;
  const countFrom = opts.countFrom;
  const roundUs = new Float64Array(timeRounds ? N : 0);
  let mistakes = 0;
  let after = 0;
  let warm = 0;
  let loss = 0;
  let sk = 0;
  let win = 0;
  const history: CurvePoint[] = [];
  const t0 = performance.now();
  for (let t = 0; t < N; t++) {
    const a = timeRounds ? performance.now() : 0;
    const r = learner.learnOne(X[t], y[t]);
    if (timeRounds) roundUs[t] = (performance.now() - a) * 1000;
    if (r.mistake) {
      mistakes++;
      if (!r.warmup) after++;
      if (countFrom === 'start' || !r.warmup) win++;
    }
    if (r.warmup) warm++;
    if (r.sketchUpdated) sk++;
    loss += r.loss;
    if ((t + 1) % every === 0 || t === N - 1) {
      const len = (t + 1) % every === 0 ? every : (t + 1) % every;
      history.push({ step: t + 1, mistakeRate: (countFrom === 'start' ? mistakes : after) / (t + 1), windowMistakeRate: win / len, cumulativeLoss: loss });
      win = 0;
    }
  }
  const timeMs = performance.now() - t0;
  let medianUs = Number.NaN;
  let mean = Number.NaN;
  if (timeRounds && N > 0) {
    medianUs = median(roundUs);
    mean = roundUs.reduce((s, v) => s + v, 0) / N;
  }
  return {
    steps: N,
    evaluations: N,
    stopReason: 'maxSteps',
    mistakes,
    mistakeRate: N ? mistakes / N : 0,
    mistakeRateAfterWarmup: N ? after / N : 0,
    warmupRounds: warm,
    cumulativeLoss: loss,
    sketchUpdates: sk,
    timeMs,
    medianRoundUs: medianUs,
    meanRoundUs: mean,
    roundUs,
    history,
  };
}
