/**
 * Shared types of @descent/robust-phase: problems, solver options and results.
 * @module
 */
import type { MatrixInput, RunResult, VectorLike as SharedVectorLike } from '@descent/tensor';

/** A design matrix: a `Matrix` (m × n, row i = a_iᵀ), nested arrays, or a rank-2 tensor. */
export type DesignLike = MatrixInput;

/** A response vector: plain array, typed array or rank-1 tensor. */
export type VectorLike = SharedVectorLike;

/** One row of a solver's history. */
export interface HistoryEntry {
  /** Iteration index (0 = the initial point). */
  step: number;
  /** Robust objective median_i |(a_iᵀz)² − y_i| at the iterate (the LMS-style score used for selection). */
  objective: number;
  /** dist(z, xTrue) when `xTrue` was supplied. */
  relErr?: number;
  /** Wall-clock milliseconds since the solve started. */
  ms: number;
}

/**
 * Why a solver stopped (the shared `StopReason` vocabulary of `@descent/tensor`): `'converged'` (the
 * relative step fell below `tol`, or stayed at the rounding floor of the products' precision),
 * `'tolStagnation'` (the relative step stopped shrinking: a limit cycle or plateau, e.g. a trimmed
 * mean at the noise floor; not converged), `'maxSteps'` (budget used up) or `'diverged'` (only in
 * {@link SolveResult.candidates}: a start whose iterates exploded; a solve whose every start diverges
 * throws a `ConvergenceError`).
 */
export type SolveStopReason = 'converged' | 'tolStagnation' | 'maxSteps' | 'diverged';

/** One start (or one method) tried by a solver that selects among several. */
export interface SolveCandidate {
  /** The method and start, e.g. `"robust-wf[trimmed]:median-truncated"` or `"median-rwf"`. */
  method: string;
  /** Its final iterate (the last finite one if it diverged; empty if the method threw). */
  x: Float64Array;
  /** Its start. */
  x0: Float64Array;
  /** The selection objective at `x` (`Infinity` for a diverged candidate: never selected). */
  objective: number;
  steps: number;
  stopReason: SolveStopReason;
  /** Its history (see {@link SolveResult.history}). */
  history: HistoryEntry[];
  /** dist(x, xTrue) when `xTrue` was supplied. */
  relErr?: number;
}

/** What every solver returns: the shared `RunResult` (history, evaluations, timeMs, stopReason) and more. */
export interface SolveResult extends RunResult<HistoryEntry> {
  /** The estimate (defined only up to a global sign). */
  x: Float64Array;
  /** The initial point the iterations started from. */
  x0: Float64Array;
  /** Iterations performed. */
  steps: number;
  /**
   * True if the relative step ‖z_{t+1} − z_t‖/‖z_t‖ fell below `tol` (or stagnated at the rounding
   * floor of the products' precision, ≈ 1e-7 with float32 products) before `maxSteps`.
   */
  converged: boolean;
  /** Why the (selected) run stopped. */
  stopReason: SolveStopReason;
  /** Per-iteration diagnostics (every `historyEvery` iterations, plus the first and last). */
  history: HistoryEntry[];
  /** Number of (robust) gradient evaluations. */
  evaluations: number;
  /** Wall-clock time of the whole call, initialisation included. */
  timeMs: number;
  /** The method that produced it (e.g. `"wf"`, `"robust-wf[trimmed]"`). */
  method: string;
  /**
   * Every start or method that was run when the solver selects among several (by the robust
   * objective; diverged ones are kept here with `objective: Infinity`), in the order they ran.
   */
  candidates?: SolveCandidate[];
}

/** Options shared by every iterative solver. */
export interface CommonSolverOptions {
  /** Maximum number of iterations (per start). */
  maxSteps?: number;
  /**
   * Stop when ‖z_{t+1} − z_t‖/‖z_t‖ < tol. Whatever `tol` asks, the loop also stops (converged) once
   * the relative step has stayed within 16 units of the products' roundoff for 10 steps: the
   * attainable precision (float32 products: relErr ≈ 1e-7).
   */
  tol?: number;
  /** Ground truth for the history's relErr (never used by the algorithm). */
  xTrue?: VectorLike;
  /** Record history every this many iterations (default 10). */
  historyEvery?: number;
  /** Initial point; overrides the method's own initialisation. */
  x0?: VectorLike;
  /** Seed of every random choice (default 0): a number or a string. */
  seed?: number | string;
  /**
   * How A z and Aᵀ r are computed: `'auto'` (default: float64 wasm SIMD kernels below m·n = 131072,
   * float32 ones above; JavaScript loops where wasm SIMD is missing), `'float64-simd'`, `'float64'` (JavaScript
   * loops), `'float32-simd'` (f32x4 wasm kernels on a float32 copy of A: the fastest, float32
   * accuracy ≈ 1e-7) or `'float32-tensor'` (a resident float32 tfjs tensor on the active backend, two
   * tf.matMul per iteration; float32 accuracy).
   */
  products?: ProductsMode;
}

/** See {@link CommonSolverOptions.products}. */
export type ProductsMode = 'auto' | 'float64' | 'float64-simd' | 'float32-simd' | 'float32-tensor';
