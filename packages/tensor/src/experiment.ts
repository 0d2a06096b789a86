/**
 * The contract between a package's benchmark experiments and `apps/bench`.
 * An experiment is data in, records out: the harness owns seeds, timing, progress and reports.
 * @module
 */
import type { Rng } from './rng';

/** The run size: `quick` ends within a minute or so on 2 cores; `full` gives the README's numbers. */
export type BenchProfile = 'quick' | 'full';

/** One measurement. The harness adds `experiment`, `seed` and `timeMs` of the run. */
export interface BenchRecord {
  /** The method, algorithm or variant measured (a table row), e.g. `"SV-CMA-ES"`. */
  method: string;
  /** What is measured (a table column), e.g. `"mmd2"`, `"GFLOP/s"`. */
  metric: string;
  /** The measured value. */
  value: number;
  /** The setting of a sweep (e.g. `{ n: 512 }`); part of the row key in tables and the x of plots. */
  params?: Record<string, number | string | boolean>;
  /** Unit of `value` for the report, e.g. `"ms"`. */
  unit?: string;
  /** Seed of the run (set by the harness). */
  seed?: number;
}

/** What the harness hands to `run`. */
export interface BenchContext {
  profile: BenchProfile;
  /** The seed of this run. */
  seed: number;
  /** A generator seeded from `seed`; derive streams with `rng.fold(key)`. */
  rng: Rng;
  /** Report progress in [0, 1] with an optional message; the harness draws the bar. */
  progress(fraction: number, message?: string): void;
  /** A line for the log (not the report). */
  log(message: string): void;
  /**
   * Saves a file next to the report, e.g. an SVG figure the line plots cannot draw (a scatter of
   * particles, planned trajectories). `name` is a file name such as `"trajectories.svg"`; the
   * harness prefixes it with the experiment and seed and links it (SVGs are shown) in the report.
   */
  artifact(name: string, content: string): void;
}

/** A line chart of the median of `metric` against `x` (a key of `params`), one line per method. */
export interface PlotSpec {
  metric: string;
  x: string;
  title?: string;
  logX?: boolean;
  logY?: boolean;
}

/** One experiment registered with the bench. */
export interface Experiment {
  /** Short id used on the command line (`pnpm bench <name>`). */
  name: string;
  /** Paper reference, e.g. `"Braun et al. 2024, arXiv:2410.10390"`. */
  paper: string;
  /** The claim being checked, in one sentence. */
  claim: string;
  /** Seeds per profile (default quick 3, full 10). Each seed is one call of `run`. */
  seeds?: Partial<Record<BenchProfile, number>>;
  /** Plots to draw from the records. */
  plots?: PlotSpec[];
  /** Runs one seed and returns its records. */
  run(ctx: BenchContext): Promise<BenchRecord[]> | BenchRecord[];
  /**
   * Compares the records of all seeds with the claim: one line starting with `PASS`, `FAIL`
   * or `INFO`, with the numbers that decide it.
   */
  verdict?(records: BenchRecord[]): string;
}
