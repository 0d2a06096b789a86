/**
 * The options every CMA-based strategy shares ({@link CMAES}, {@link SVCMAES}): one schema, one
 * set of defaults (so that SV-CMA-ES with P = 1 is CMA-ES with default options), one way to save
 * them in a blob and read them back.
 * @module
 */
import {
  type BlobReader,
  type EncodedNumber,
  type Seed,
  ValueError,
  describe,
  encodeNumber,
  option,
  readNumber,
} from '@descent/tensor';
import {
  BOUND_HANDLINGS,
  type BoundHandling,
  type BoxBounds,
  type ResolvedBounds,
  boundsToJSON,
  readBounds,
  resolveBounds,
} from './bounds';
import { CMA_PRESETS, type CmaPreset, defaultPopSize } from './cmaParameters';

/** Options shared by {@link CMAES} and {@link SVCMAES} (defaults: pycma 4.5.0, evosax for the σ clip). */
export interface CmaCommonOptions {
  /** Population size λ ∈ [2, 10⁶] (default 4 + ⌊3 ln d⌋, pycma; SV-CMA-ES: samples per particle). */
  popSize?: number;
  /** Parent number μ (default ⌊λ/2⌋). */
  mu?: number;
  /** Learning rate of the mean c_m (default 1). */
  cMean?: number;
  /** Active CMA: negative weights in the covariance update (default true). */
  active?: boolean;
  /** Constant set: `'pycma'` (default, pycma 4.5.0) or `'tutorial'` (Hansen 2016, evosax). */
  preset?: CmaPreset;
  /** Seed (default 0): a finite number or a string. */
  seed?: Seed;
  /** Box constraints (default none). */
  bounds?: BoxBounds;
  /** `'repair'` (default) or `'penalty'`, see the README. */
  boundHandling?: BoundHandling;
  /** Weight w of the penalty w·‖x − clip(x)‖² (default 1). */
  penaltyWeight?: number;
  /** Lower clip of σ (default 0). */
  stdMin?: number;
  /** Upper clip of σ (default 1e8, evosax). */
  stdMax?: number;
  /** Stop once the best fitness is ≤ ftarget (default −Infinity: never). */
  ftarget?: number;
  /**
   * Evaluation budget (an integer, default Infinity), never exceeded: `stop()` returns
   * `'maxEvals'` as soon as one more generation would go past it (a run stops early, leaving
   * fewer than one generation of the budget unused; batches are never truncated).
   */
  maxEvals?: number;
}

/** The largest population size accepted (λ, and P·λ for the SV strategies): 10⁶. */
export const MAX_POP_SIZE = 1_000_000;

/** Old option names and their replacements (the naming scheme: `maxSteps`, `learningRate`, …). */
export const RENAMED_OPTIONS: Record<string, string> = {
  maxIter: 'maxSteps',
  lr: 'learningRate',
  maxfevals: 'maxEvals',
};

/** ftarget: any number but NaN (−Infinity: never). */
function readTarget(v: unknown, name: string): number {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new ValueError(`${name} must be a number (−Infinity: no target), got ${describe(v)}`, name);
  return v;
}

/** The option specs of {@link CmaCommonOptions} (bounds are checked once the dimension is known). */
export const cmaCommonSchema = {
  popSize: option.integer({ min: 2, max: MAX_POP_SIZE }),
  mu: option.integer({ min: 1 }),
  cMean: option.number({ gt: 0, default: 1 }),
  active: option.boolean({ default: true }),
  preset: option.oneOf(CMA_PRESETS, { default: 'pycma' }),
  seed: option.seed(),
  bounds: option.custom<unknown>((v) => v),
  boundHandling: option.oneOf(BOUND_HANDLINGS, { default: 'repair' }),
  penaltyWeight: option.number({ min: 0, default: 1 }),
  stdMin: option.number({ min: 0, default: 0 }),
  stdMax: option.number({ gt: 0, default: 1e8 }),
  ftarget: option.custom(readTarget, { default: Number.NEGATIVE_INFINITY }),
  maxEvals: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
};

/** {@link CmaCommonOptions} resolved for dimension d. */
export interface ResolvedCmaCommon {
  popSize: number;
  mu: number | undefined;
  cMean: number;
  active: boolean;
  preset: CmaPreset;
  seed: Seed;
  bounds: ResolvedBounds | undefined;
  boundHandling: BoundHandling;
  penaltyWeight: number;
  stdMin: number;
  stdMax: number;
  ftarget: number;
  maxEvals: number;
}

/** Completes the common options once the dimension d is known (λ default, μ ≤ λ, bounds, σ clip order). */
export function completeCmaCommon(
  o: Omit<ResolvedCmaCommon, 'popSize' | 'bounds'> & { popSize: number | undefined; bounds: unknown },
  d: number,
): ResolvedCmaCommon {
  const popSize = o.popSize ?? defaultPopSize(d);
  if (o.mu !== undefined && o.mu > popSize)
    throw new ValueError(`mu must be <= popSize = ${popSize}, got ${o.mu}`, 'mu');
  if (o.stdMin >= o.stdMax)
    throw new ValueError(`stdMin must be < stdMax = ${o.stdMax}, got ${o.stdMin}`, 'stdMin');
  return { ...o, popSize, bounds: resolveBounds(o.bounds, d) };
}

/** Plain-JSON form of the common options (no seed: the random streams themselves are saved). */
export interface CmaCommonJSON {
  popSize: number;
  mu: number | null;
  cMean: number;
  active: boolean;
  preset: CmaPreset;
  bounds: { lower: EncodedNumber[]; upper: EncodedNumber[] } | null;
  boundHandling: BoundHandling;
  penaltyWeight: number;
  stdMin: number;
  stdMax: number;
  ftarget: EncodedNumber;
  maxEvals: EncodedNumber;
}

/** Writes the common options. */
export function cmaCommonToJSON(o: ResolvedCmaCommon): CmaCommonJSON {
  return {
    popSize: o.popSize,
    mu: o.mu ?? null,
    cMean: o.cMean,
    active: o.active,
    preset: o.preset,
    bounds: o.bounds ? boundsToJSON(o.bounds) : null,
    boundHandling: o.boundHandling,
    penaltyWeight: o.penaltyWeight,
    stdMin: o.stdMin,
    stdMax: o.stdMax,
    ftarget: encodeNumber(o.ftarget),
    maxEvals: encodeNumber(o.maxEvals),
  };
}

/** Reads the common options written by {@link cmaCommonToJSON} (every field validated) as constructor options. */
export function readCmaCommon(r: BlobReader, d: number): CmaCommonOptions {
  const bounds = r.nullable('bounds', (b) => readBounds(b, d));
  const ftarget = r.extendedNumber('ftarget');
  if (ftarget === Number.POSITIVE_INFINITY) throw r.at('ftarget').valueError("a number or '-Infinity'");
  return {
    popSize: r.integer('popSize', { min: 2, max: MAX_POP_SIZE }),
    mu: r.nullable('mu', (m) => m.asInteger({ min: 1 })) ?? undefined,
    cMean: r.number('cMean', { gt: 0 }),
    active: r.boolean('active'),
    preset: r.oneOf('preset', CMA_PRESETS),
    bounds: bounds ?? undefined,
    boundHandling: r.oneOf('boundHandling', BOUND_HANDLINGS),
    penaltyWeight: r.number('penaltyWeight', { min: 0 }),
    stdMin: r.number('stdMin', { min: 0 }),
    stdMax: r.number('stdMax', { gt: 0 }),
    ftarget,
    maxEvals: readLimit(r, 'maxEvals'),
  };
}

/** A budget saved with `encodeNumber`: an integer ≥ 1 or `'Infinity'`. */
export function readLimit(r: BlobReader, key: string): number {
  const v = r.extendedNumber(key, { min: 1 });
  if (v !== Number.POSITIVE_INFINITY && !Number.isInteger(v))
    throw r.at(key).valueError("an integer >= 1 or 'Infinity'");
  return v;
}

/** A tolerance option: a number ≥ 0. */
export function readTolerance(v: unknown, name: string): number {
  return readNumber(v, name, { min: 0 });
}
