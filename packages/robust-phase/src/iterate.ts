/**
 * The iteration driver shared by every solver: products, history (robust objective, relErr, time),
 * the stopping rule (relative step below `tol`, or stagnation at the rounding floor of the
 * products' precision) and divergence detection (non-finite or exploding iterates).
 * @module
 */
import type { PhaseContext } from './context';
import { relativeError, robustObjectiveFromProducts } from './metrics';
import type { HistoryEntry, SolveStopReason } from './types';

/** Resolved loop options (internal). */
export interface LoopOptions {
  maxSteps: number;
  tol: number;
  xTrue?: Float64Array;
  historyEvery: number;
}

/** Output of {@link runLoop}. */
export interface LoopResult {
  x: Float64Array;
  steps: number;
  converged: boolean;
  stopReason: SolveStopReason;
  /** Set when `stopReason` is `'diverged'`: what was seen. */
  divergence?: string;
  history: HistoryEntry[];
  evaluations: number;
}

/**
 * Unit roundoff of the products: 2⁻²⁴ for float32 kernels and tensors, 2⁻⁵³ for float64.
 * Below a few units the relative step is rounding noise and can never fall under a tighter `tol`.
 */
export function productsRoundoff(kind: PhaseContext['op']['kind']): number {
  return kind === 'float32-simd' || kind === 'float32-tensor' ? 2 ** -24 : 2 ** -53;
}

/** Relative steps below this many units of roundoff count as "at the rounding floor". */
export const FLOOR_UNITS = 16;
/**
 * Steps at the rounding floor without the relative step halving, after which the iteration has
 * reached its attainable precision (converged).
 */
export const FLOOR_STEPS = 10;
/**
 * Steps without progress after which the iteration has stagnated: no relative step at or below
 * half of the last progress mark in this many steps (a limit cycle, e.g. of a trimmed mean whose
 * trimmed set keeps switching, or of WF at the edge of stability).
 */
export const STAGNATION_STEPS = 100;
/** An iterate whose norm exceeds this multiple of the reference scale has diverged. */
export const BLOWUP_FACTOR = 1e3;

/**
 * Runs z_{t+1} = step(z_t, A z_t, t) until one of:
 * - the relative step ‖z_{t+1} − z_t‖/‖z_t‖ falls below `tol` (`'converged'`);
 * - it is below {@link FLOOR_UNITS} units of the products' roundoff and has not halved in
 *   {@link FLOOR_STEPS} steps (`'converged'`: rounding noise, the attainable precision is reached;
 *   with float32 products relErr ≈ 1e-7 whatever `tol` asks);
 * - the relative step has not halved in {@link STAGNATION_STEPS} steps (`'tolStagnation'`: a cycle
 *   or a plateau; not converged);
 * - an iterate is non-finite or its norm exceeds {@link BLOWUP_FACTOR}·`scale` (`'diverged'`; the
 *   last finite iterate is returned, the caller decides whether that is an error);
 * - `maxSteps` steps (`'maxSteps'`).
 * `objective(z, Az)` is the diagnostic recorded in the history (default median |(Az)² − y|).
 */
export function runLoop(
  ctx: PhaseContext,
  z0: Float64Array,
  loop: LoopOptions,
  step: (z: Float64Array, Az: Float64Array, t: number, out: Float64Array) => Float64Array,
  {
    start = performance.now(),
    project,
    objective,
    scale,
  }: {
    start?: number;
    project?: (z: Float64Array, out: Float64Array) => Float64Array;
    objective?: (Az: Float64Array) => number;
    /** Reference norm for the blow-up test (default ‖z0‖). */
    scale?: number;
  } = {},
): LoopResult {
  const { m, n } = ctx;
  const apply = project ?? ((z: Float64Array, out: Float64Array) => ctx.op.apply(z, out));
  const Az = new Float64Array(m);
  const scratch = new Float64Array(m);
  const history: HistoryEntry[] = [];
  const record = (t: number, z: Float64Array) => {
    const e: HistoryEntry = {
      step: t,
      objective: objective ? objective(Az) : robustObjectiveFromProducts(Az, ctx.y, scratch),
      ms: performance.now() - start,
    };
    if (loop.xTrue) e.relErr = relativeError(z, loop.xTrue);
    history.push(e);
  };
  let z2 = 0;
  for (let j = 0; j < n; j++) z2 += z0[j] * z0[j];
  const ref = scale ?? Math.sqrt(z2);
  const blowup2 = ref > 0 ? (BLOWUP_FACTOR * ref) ** 2 : Number.POSITIVE_INFINITY;
  const floor = FLOOR_UNITS * productsRoundoff(ctx.op.kind);
  let z: Float64Array = Float64Array.from(z0);
  // two iterate buffers: a step may write z_{t+1} into `out` (never z_t's buffer) and return it
  // instead of allocating (a Float64Array of n > 8 is allocated off-heap: ~1 µs and GC pressure)
  const spare = [z, new Float64Array(n)];
  let stopReason: SolveStopReason = 'maxSteps';
  let divergence: string | undefined;
  const atFloor = halvingWatch(FLOOR_STEPS);
  const overall = halvingWatch(STAGNATION_STEPS);
  let t = 0;
  for (; t < loop.maxSteps; t++) {
    apply(z, Az);
    if (t % loop.historyEvery === 0) record(t, z);
    const next = step(z, Az, t, z === spare[0] ? spare[1] : spare[0]);
    let d2 = 0;
    let nz2 = 0;
    let finite = true;
    for (let j = 0; j < n; j++) {
      const nj = next[j];
      if (!Number.isFinite(nj)) {
        finite = false;
        break;
      }
      d2 += (nj - z[j]) ** 2;
      nz2 += nj * nj;
    }
    if (!finite || nz2 > blowup2) {
      stopReason = 'diverged';
      divergence = finite
        ? `the iterate's norm exceeded ${BLOWUP_FACTOR}× its reference scale at step ${t + 1}`
        : `a non-finite iterate at step ${t + 1}`;
      break;
    }
    z2 = 0;
    for (let j = 0; j < n; j++) z2 += z[j] * z[j];
    z = next;
    if (d2 <= loop.tol * loop.tol * z2) {
      t++;
      stopReason = 'converged';
      break;
    }
    const rel = z2 > 0 ? Math.sqrt(d2 / z2) : Number.POSITIVE_INFINITY;
    if (rel > floor) atFloor.reset();
    else if (atFloor.stalled(rel)) {
      t++;
      stopReason = 'converged';
      break;
    }
    if (overall.stalled(rel)) {
      t++;
      stopReason = 'tolStagnation';
      break;
    }
  }
  apply(z, Az);
  record(t, z);
  return {
    x: z,
    steps: t,
    converged: stopReason === 'converged',
    stopReason,
    divergence,
    history,
    evaluations: t,
  };
}

/**
 * Watches the relative step: `stalled(rel)` is true once `limit` steps have passed since it last
 * halved (the first call sets the mark); `reset()` forgets the mark.
 */
function halvingWatch(limit: number): { stalled(rel: number): boolean; reset(): void } {
  let mark = Number.POSITIVE_INFINITY;
  let since = 0;
  return {
    stalled(rel) {
      if (mark === Number.POSITIVE_INFINITY || rel <= 0.5 * mark) {
        mark = rel;
        since = 0;
        return false;
      }
      return ++since >= limit;
    },
    reset() {
      mark = Number.POSITIVE_INFINITY;
      since = 0;
    },
  };
}

/**
 * z − c·g, into `out` when given (it must not alias z or g), else into a fresh array (explicit
 * loop: typed-array `from` with a callback is slow in V8).
 */
export function stepAlong(
  z: Float64Array,
  c: number,
  g: ArrayLike<number>,
  out: Float64Array = new Float64Array(z.length),
): Float64Array {
  for (let j = 0; j < z.length; j++) out[j] = z[j] - c * g[j];
  return out;
}
