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
  | { t: 'run'; jobs: ExportJob[]; start: { job: number; skipUntil: number; timedOut: number[] } };

/** Worker → main. */
export type ToMain =
  | { t: 'hello' }
  | { t: 'listed'; jobs: ExportJob[]; constants: number }
  | { t: 'begin'; job: number; c: number; probe: boolean; label: string }
  | { t: 'end'; job: number; c: number; probe: boolean; label: string; outcome?: Outcome }
  | { t: 'error'; job: number; detail: string }
  | { t: 'jobDone'; job: number; cases: number; baselines: string[] }
  | { t: 'log'; text: string }
  | { t: 'finished' };
