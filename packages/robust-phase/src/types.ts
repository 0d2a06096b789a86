/**
 * Shared types of @descent/robust-phase: problems, solver options and results.
 * @module
 */
import type { Matrix, TensorLike } from '@descent/tensor';

/** A design matrix: a {@link Matrix} (m × n, row i = a_iᵀ), nested arrays, or a rank-2 tensor. */
export type DesignLike = Matrix | ArrayLike<ArrayLike<number>> | TensorLike;

/** A response vector: plain array, typed array or rank-1 tensor. */
export type VectorLike = ArrayLike<number> | TensorLike;

/** One row of a solver's history. */
export interface HistoryEntry {
  /** Iteration index (0 = the initial point). */
  t: number;
  /** Robust objective median_i |(a_iᵀz)² − y_i| at the iterate (the LMS-style score used for selection). */
  objective: number;
  /** dist(z, xTrue) when `xTrue` was supplied. */
  relErr?: number;
  /** Wall-clock milliseconds since the solve started. */
  ms: number;
}

/** What every solver returns. */
export interface SolveResult {
  /** The estimate (defined only up to a global sign). */
  x: Float64Array;
  /** The initial point the iterations started from. */
  x0: Float64Array;
  /** Iterations performed. */
  iterations: number;
  /** True if the relative step ‖z_{t+1} − z_t‖/‖z_t‖ fell below `tol` before `maxIter`. */
  converged: boolean;
  /** Per-iteration diagnostics (every `historyEvery` iterations, plus the first and last). */
  history: HistoryEntry[];
  /** Number of (robust) gradient evaluations. */
  evaluations: number;
  /** Wall-clock time of the whole call, initialisation included. */
  timeMs: number;
  /** The method that produced it (e.g. `"wf"`, `"robust-wf[trimmed]"`). */
  method: string;
}

/** Options shared by every iterative solver. */
export interface CommonSolverOptions {
  /** Maximum number of iterations. */
  maxIter?: number;
  /** Stop when ‖z_{t+1} − z_t‖/‖z_t‖ < tol. */
  tol?: number;
  /** Ground truth for the history's relErr (never used by the algorithm). */
  xTrue?: ArrayLike<number>;
  /** Record history every this many iterations (default 10). */
  historyEvery?: number;
  /** Initial point; overrides the method's own initialisation. */
  x0?: ArrayLike<number>;
  /** Seed of every random choice (default 0). */
  seed?: number;
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
