/**
 * What the one-call helpers (`minimize`, `sample`, `plan`, `solve`, `train`) return besides
 * their specific result.
 * @module
 */
import type { StopReason } from './stopReason';

/** One entry of a run's history: `step` is the 0-based index of the step, generation or round. */
export interface HistoryEntry {
  /** The step (generation, iteration, round) this entry was recorded after. */
  step: number;
}

/**
 * The common part of every run result:
 *
 * ```ts
 * const r = await minimize(f, { x0, maxEvals: 1000 });
 * r.stopReason; // 'ftarget' | 'maxEvals' | …
 * r.history.at(-1)?.step;
 * ```
 */
export interface RunResult<H extends HistoryEntry = HistoryEntry> {
  /** What the run recorded after each step (or every few steps), in order of `step`. */
  history: H[];
  /** Objective (or gradient, or oracle) evaluations used. */
  evaluations: number;
  /** Wall-clock time of the run in milliseconds. */
  timeMs: number;
  /** Why the run ended. */
  stopReason: StopReason;
}
