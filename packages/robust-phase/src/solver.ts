/**
 * The skeleton every solver of the package shares (WF, TWF, median-TWF, RWF, median-RWF, robust WF,
 * the bilinear WF): validate the data and options, build the starts, run the iteration from each,
 * drop the starts that diverge, keep the final iterate with the smallest robust objective, and
 * report. Each solver file only states its own update rule (an {@link Iteration}).
 * @module
 */
import {
  ConvergenceError,
  type OptionSchema,
  type ResolvedOptions,
  Rng,
  ValueError,
  option,
  resolveOptions,
  readOptions,
} from '@descent/tensor';
import { type PhaseContext, makeContext } from './context';
import { checkLength, readPhaseData } from './inputs';
import { type LoopOptions, runLoop } from './iterate';
import { relativeError } from './metrics';
import type { MeanEstimator } from './robustMean';
import {
  type InitMethod,
  type SpectralInitOptions,
  initialise,
  readInitOption,
  resolveInitOptions,
} from './spectralInit';
import type { CommonSolverOptions, DesignLike, SolveCandidate, SolveResult, VectorLike } from './types';

/** Old option names and their new ones (passing an old name is a ValueError that names the new one). */
export const RENAMED_OPTIONS: Record<string, string> = { maxIter: 'maxSteps', mu: 'learningRate' };

/** The product implementations (see `CommonSolverOptions.products`). */
export const PRODUCTS = ['auto', 'float64', 'float64-simd', 'float32-simd', 'float32-tensor'] as const;

/** Schema of {@link CommonSolverOptions} with per-solver defaults of `maxSteps` and `tol`. */
export function commonSchema(defaults: { maxSteps: number; tol: number }) {
  return {
    maxSteps: option.integer({ min: 0, default: defaults.maxSteps }),
    tol: option.number({ min: 0, default: defaults.tol }),
    xTrue: option.vector(),
    historyEvery: option.integer({ min: 1, default: 10 }),
    x0: option.vector(),
    seed: option.seed(),
    products: option.oneOf(PRODUCTS, { default: 'auto' }),
  };
}

/** Schema of the skeleton's own options (`init`, `select`). */
export const SKELETON_SCHEMA = {
  init: option.custom(readInitOption),
  select: option.oneOf(['init', 'final'] as const, { default: 'final' }),
};

/** The loop options from resolved common options (checks xTrue's length). */
export function loopOf(
  o: { maxSteps: number; tol: number; historyEvery: number; xTrue?: Float64Array },
  n: number,
): LoopOptions {
  return {
    maxSteps: o.maxSteps,
    tol: o.tol,
    historyEvery: o.historyEvery,
    xTrue: checkLength('xTrue', o.xTrue, n),
  };
}

type SkeletonSchema = ReturnType<typeof commonSchema> & typeof SKELETON_SCHEMA;

/** Options every solver built on the skeleton takes. */
export interface SkeletonOptions extends CommonSolverOptions {
  /** Initialisation; with several methods, see `select`. */
  init?: SpectralInitOptions;
  /**
   * With several init methods: `'final'` (default) runs each start and keeps the final iterate with
   * the smallest robust objective; `'init'` keeps the start with the smallest objective and runs it only.
   */
  select?: 'init' | 'final';
}

/** Per-solver defaults of the skeleton. */
export interface SkeletonDefaults {
  maxSteps: number;
  tol: number;
  init: { method: InitMethod | InitMethod[]; eta?: number; estimator?: MeanEstimator };
}

/** One solver iteration: z_{t+1} = step(z_t, A z_t, t), with optional custom products/objective. */
export interface Iteration {
  /**
   * z_{t+1}: a fresh array, or `out` filled (a buffer of length n that is never z's; the loop
   * alternates two, so a step must not keep references to either across steps).
   */
  step(z: Float64Array, Az: Float64Array, t: number, out: Float64Array): Float64Array;
  /** Computes what `step` receives as Az (default ctx.op.apply). */
  project?: (z: Float64Array, out: Float64Array) => Float64Array;
  /** Diagnostic and selection objective from the products (default median |(Az)² − y|). */
  objective?: (Az: Float64Array) => number;
}

/** A start: the initial point and its label (the initialiser's name, or `'x0'`). */
export interface Start {
  label: string;
  z0: Float64Array;
}

/** What a solver file declares to the skeleton. */
export interface SolverSpec {
  /** Function name used in messages, e.g. `'wirtingerFlow'`. */
  name: string;
  /** Method label of the result, e.g. `'wf'` or `'robust-wf[trimmed]'`. */
  method: string;
  /** The argument a divergence error names (e.g. `'schedule'`, `'learningRate'`). */
  divergenceArgument: string;
  /** What to try when every start diverges (appended to the error message). */
  advice: string;
  /** Builds the iteration from one start. */
  iteration(z0: Float64Array, rng: Rng): Iteration;
  /** Reference scale for the blow-up test (default: each start's norm). */
  scale?: number;
}

/** Resolved, validated inputs of one solve (internal). */
export interface SolveSetup {
  ctx: PhaseContext;
  loop: LoopOptions;
  rng: Rng;
  starts: Start[];
  start: number;
}

/**
 * The whole skeleton: reads and validates (A, y) and the common options, builds the products
 * context, lets `build` validate the solver's own options and return its {@link SolverSpec} (before
 * any initialisation work), computes the starts (`x0`, or the init methods) and runs
 * {@link solveFromStarts}. The context is disposed whatever happens.
 */
export function solvePhase<S extends OptionSchema>(
  A: DesignLike,
  y: VectorLike,
  options: SkeletonOptions,
  defaults: SkeletonDefaults & { name: string },
  schema: S,
  build: (
    setup: Omit<SolveSetup, 'starts'>,
    o: ResolvedOptions<SkeletonSchema> & ResolvedOptions<S>,
  ) => SolverSpec,
): SolveResult {
  const start = performance.now();
  readOptions(options);
  const o = resolveOptions(
    options,
    { ...commonSchema(defaults), ...SKELETON_SCHEMA, ...schema },
    {
      name: `${defaults.name} options`,
      renamed: RENAMED_OPTIONS,
    },
  ) as unknown as ResolvedOptions<SkeletonSchema> & ResolvedOptions<S>;
  const data = readPhaseData(A, y);
  const loop = loopOf(o, data.n);
  const initOpts = resolveInitOptions(o.init, defaults.init);
  const x0 = checkLength('x0', o.x0, data.n);
  const ctx = makeContext(data.A, data.y, o.products);
  try {
    const rng = new Rng(o.seed);
    const select = o.select;
    const spec = build({ ctx, loop, rng, start }, o);
    let starts: Start[];
    if (x0) {
      starts = [{ label: 'x0', z0: x0 }];
    } else {
      const init = initialise(ctx, initOpts, rng);
      starts = (select === 'final' ? init.candidates : [init]).map((c) => ({ label: c.method, z0: c.z0 }));
    }
    return solveFromStarts({ ctx, loop, rng, starts, start }, spec);
  } finally {
    ctx.op.dispose();
  }
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  return s;
}

/**
 * Runs `spec` from every start, drops diverged starts and keeps the final iterate with the
 * smallest objective (ties: the first). Throws a {@link ConvergenceError} naming the solver when
 * every start diverges, and a {@link ValueError} on `y` when a start is zero while y is not (the
 * norm estimate vanished: more than half of the measurements are ≤ 0). With y ≡ 0 the exact
 * solution x = 0 is returned.
 */
export function solveFromStarts(setup: SolveSetup, spec: SolverSpec): SolveResult {
  const { ctx, loop, rng, starts, start } = setup;
  const n = ctx.n;
  const candidates: SolveCandidate[] = [];
  let best: (SolveResult & { objective: number }) | null = null;
  let evaluations = 0;
  let lastDivergence = '';
  for (const s of starts) {
    if (norm2(s.z0) === 0) {
      if (ctx.y.every((v) => v === 0)) return zeroSolution(setup, spec);
      throw new ValueError(
        `y gives a zero start for ${spec.name} (init '${s.label}': the norm estimate of x is 0, so more than half of the measurements are ≤ 0); y must hold intensities (a_iᵀx)² + noise, or pass x0`,
        'y',
      );
    }
    const it = spec.iteration(s.z0, rng);
    const r = runLoop(ctx, s.z0, loop, (z, Az, t, out) => it.step(z, Az, t, out), {
      start,
      project: it.project,
      objective: it.objective,
      scale: spec.scale,
    });
    evaluations += r.evaluations;
    const diverged = r.stopReason === 'diverged';
    const objective = diverged ? Number.POSITIVE_INFINITY : r.history[r.history.length - 1].objective;
    const cand: SolveCandidate = {
      method: starts.length > 1 ? `${spec.method}:${s.label}` : spec.method,
      x: r.x,
      x0: Float64Array.from(s.z0),
      objective,
      steps: r.steps,
      stopReason: r.stopReason,
      history: r.history,
    };
    if (loop.xTrue) cand.relErr = relativeError(r.x, loop.xTrue);
    candidates.push(cand);
    if (diverged) {
      lastDivergence = r.divergence ?? '';
      continue;
    }
    if (!best || objective < best.objective) {
      best = {
        x: r.x,
        x0: Float64Array.from(s.z0),
        steps: r.steps,
        converged: r.converged,
        stopReason: r.stopReason,
        history: r.history,
        evaluations: 0,
        timeMs: 0,
        method: spec.method,
        objective,
      };
    }
  }
  if (!best) {
    throw new ConvergenceError(
      `${spec.name} diverged from ${starts.length === 1 ? 'its start' : `all ${starts.length} starts`} (${lastDivergence}); ${spec.advice}`,
      spec.divergenceArgument,
    );
  }
  const { objective: _o, ...result } = best;
  if (n > 0) result.evaluations = evaluations;
  result.timeMs = performance.now() - start;
  if (starts.length > 1) result.candidates = candidates;
  return result;
}

function zeroSolution(setup: SolveSetup, spec: SolverSpec): SolveResult {
  const n = setup.ctx.n;
  const x = new Float64Array(n);
  return {
    x,
    x0: new Float64Array(n),
    steps: 0,
    converged: true,
    stopReason: 'converged',
    history: [{ step: 0, objective: 0, ms: performance.now() - setup.start }],
    evaluations: 0,
    timeMs: performance.now() - setup.start,
    method: spec.method,
  };
}
