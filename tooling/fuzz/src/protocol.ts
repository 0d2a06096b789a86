/**
 * Messages between the main thread and the fuzz workers.
 * @module
 */
import type { Outcome } from './classify';

/** One export to fuzz. */
export interface ExportJob {
  /** Package directory name, e.g. `tensor`. */
  pkg: string;
  /** Entry point, e.g. `.` or `./tf`. */
  entry: string;
  /** The built ESM file of the entry. */
  file: string;
  /** Export name, or `namespace.member`. */
  name: string;
  kind: 'function' | 'class';
}

/** Main → worker. */
export type ToWorker =
  | { t: 'list'; entries: { pkg: string; entry: string; file: string }[] }
  | { t: 'run'; jobs: ExportJob[]; start: RunStart; preload: string[] };

/**
 * Where a (re)started worker begins: job index; the first case to record (earlier cases of that
 * job already ran: they are replayed unrecorded, so the export's state is as in an uninterrupted
 * run); the probes and cases of that job that timed out (skipped; a skipped probe answers "no
 * baseline", as in the first run); and `single`: run only that job (re-running a timed-out case
 * alone replays its export up to it).
 */
export interface RunStart {
  job: number;
  skipUntil: number;
  timedOut: number[];
  single?: boolean;
}

/** Worker → main. */
export type ToMain =
  | { t: 'hello' }
  | { t: 'listed'; jobs: ExportJob[]; constants: number }
  | { t: 'begin'; job: number; c: number; probe: boolean; label: string; replay?: boolean }
  | { t: 'end'; job: number; c: number; probe: boolean; label: string; outcome?: Outcome; replay?: boolean }
  | { t: 'error'; job: number; detail: string }
  | { t: 'jobDone'; job: number; cases: number; baselines: string[] }
  | { t: 'log'; text: string }
  | { t: 'finished' };
