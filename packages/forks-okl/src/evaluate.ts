/**
 * Online (progressive-validation) evaluation: every round predicts before it learns.
 * @module
 */
import { ShapeError, assertInteger } from '@descent/tensor';
import { enumOpt } from './options';
import type { OnlineBinaryLearner } from './types';

/** Options of {@link evaluateOnline}. */
export interface EvaluateOptions {
  /** Record a curve point every n rounds (default max(1, ⌊N/100⌋)). */
  recordEvery?: number;
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
  round: number;
  /** Mistakes / rounds so far (all rounds counted). */
  mistakeRate: number;
  /** Mistakes in the last `recordEvery` rounds / `recordEvery` (the local error, shows drift). */
  windowMistakeRate: number;
  cumulativeLoss: number;
}

/** What {@link evaluateOnline} returns. */
export interface OnlineEvaluation {
  rounds: number;
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

/** Runs `learner` over the stream in order and reports the online metrics. */
export function evaluateOnline(learner: OnlineBinaryLearner, stream: { X: ArrayLike<ArrayLike<number>>; y: ArrayLike<number> }, o: EvaluateOptions = {}): OnlineEvaluation {
  const { X, y } = stream;
  if (X.length !== y.length) throw new ShapeError(`stream.y must have the same length as stream.X (${X.length}), got ${y.length}`, 'stream.y');
  const N = X.length;
  const every = o.recordEvery ?? Math.max(1, Math.floor(N / 100));
  assertInteger('recordEvery', every, 1);
  const timeRounds = o.timeRounds ?? true;
  const countFrom = enumOpt('countFrom', o.countFrom, 'start', ['start', 'afterWarmup'] as const);
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
      history.push({ round: t + 1, mistakeRate: (countFrom === 'start' ? mistakes : after) / (t + 1), windowMistakeRate: win / len, cumulativeLoss: loss });
      win = 0;
    }
  }
  const timeMs = performance.now() - t0;
  let median = Number.NaN;
  let mean = Number.NaN;
  if (timeRounds && N > 0) {
    const sorted = Float64Array.from(roundUs).sort();
    median = sorted[Math.floor(N / 2)];
    mean = roundUs.reduce((s, v) => s + v, 0) / N;
  }
  return {
    rounds: N,
    mistakes,
    mistakeRate: N ? mistakes / N : 0,
    mistakeRateAfterWarmup: N ? after / N : 0,
    warmupRounds: warm,
    cumulativeLoss: loss,
    sketchUpdates: sk,
    timeMs,
    medianRoundUs: median,
    meanRoundUs: mean,
    roundUs,
    history,
  };
}
