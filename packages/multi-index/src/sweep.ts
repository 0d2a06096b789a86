/**
 * A sweep of {@link samplesToRecovery} over dimensions, numbers of directions, links and seeds,
 * emitting plain JSON rows, plus the log-log slope fit used to compare with the theory.
 * @module
 */
import {
  ShapeError,
  ValueError,
  describe,
  fitPowerLaw,
  readInteger,
  readSeed,
  type Seed,
} from '@descent/tensor';
import type { HermiteCoeffs } from './hermiteSeries';
import { type SamplesToRecoveryOptions, samplesToRecovery } from './samplesToRecovery';

/** Options of {@link recoverySweep}. */
export interface SweepOptions
  extends Omit<SamplesToRecoveryOptions, 'd' | 'P' | 'link' | 'seed' | 'progress' | 'maxSamples'> {
  ds: number[];
  Ps: number[];
  /** Named links, e.g. `{ 'h2+h4': { 2: 1, 4: 1 }, h4: { 4: 1 } }`. */
  links: Record<string, HermiteCoeffs>;
  /** Seeds (default [0, 1, 2]). */
  seeds?: Seed[];
  /** Budget per run as a function of (d, P, link name) (default: samplesToRecovery's). */
  maxSamples?: (d: number, P: number, link: string) => number | undefined;
  progress?: (fraction: number, message?: string) => void;
}

/** One row of a sweep (JSON-serialisable; Infinity is written as null by JSON.stringify). */
export interface SweepRow {
  link: string;
  d: number;
  P: number;
  seed: Seed;
  samplesToSubspace: number;
  samplesToDirections: number;
  finalCoverage: number;
  finalSubspaceMass: number;
  evaluations: number;
  timeMs: number;
}

/** Runs every (link, P, d, seed) combination and returns one row per run. */
export function recoverySweep(options: SweepOptions): SweepRow[] {
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
  const { ds, Ps, links, seeds = [0, 1, 2], maxSamples, progress, ...common } = options;
  for (const [name, arr] of [
    ['ds', ds],
    ['Ps', Ps],
    ['seeds', seeds],
  ] as const) {
    if (!Array.isArray(arr) || arr.length === 0)
      throw new ShapeError(`${name} must be a non-empty array, got ${describe(arr)}`, name);
    arr.forEach((v: unknown, i: number) => {
      if (name === 'seeds') readSeed(v, `seeds[${i}]`);
      else readInteger(v, `${name}[${i}]`, { min: 1 });
    });
  }
  const names = Object.keys(links ?? {});
  if (names.length === 0)
    throw new ShapeError(`links must name at least one link, got ${describe(links)}`, 'links');
  const rows: SweepRow[] = [];
  const total = names.length * Ps.length * ds.length * seeds.length;
  for (const name of names) {
    for (const P of Ps) {
      for (const d of ds) {
        if (P > d) continue;
        for (const seed of seeds) {
          const r = samplesToRecovery({
            ...common,
            d,
            P,
            link: links[name],
            seed,
            maxSamples: maxSamples?.(d, P, name),
          });
          rows.push({
            link: name,
            d,
            P,
            seed,
            samplesToSubspace: r.samplesToSubspace,
            samplesToDirections: r.samplesToDirections,
            finalCoverage: r.finalCoverage,
            finalSubspaceMass: r.finalSubspaceMass,
            evaluations: r.evaluations,
            timeMs: r.timeMs,
          });
          progress?.(rows.length / total, `${name} P=${P} d=${d} seed=${seed}`);
        }
      }
    }
  }
  return rows;
}

/**
 * Least-squares slope of log y against log x over the finite positive pairs (NaN if fewer than 2):
 * the exponent α in y ∝ x^α (the slope of `fitPowerLaw` from `@descent/tensor`).
 */
export function logLogSlope(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  return fitPowerLaw(xs, ys).slope;
}
