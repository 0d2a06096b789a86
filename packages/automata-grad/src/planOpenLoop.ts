/**
 * Open-loop planning for an automaton objective (the paper's open-loop problem): maximise the
 * automaton score W of the trajectory rolled out from the controls, with the semiring's
 * temperature annealed, and report the hard (max-plus violation) score and exact acceptance of
 * every iterate.
 *
 * The gradient step is the paper's (the score's gradient through the rollout, an off-the-shelf
 * optimiser). Around it, options with defaults measured on the task suite (see the README): a
 * first attempt from a searched kinematic path followed exactly ({@link module:pathSearch},
 * {@link module:polylineFollower}), the cold start, kinematic warm starts planned by the
 * gradient ({@link module:warmStart}), seeded restarts sharing one iteration budget, early stops
 * of hopeless attempts, and a learning rate scaled to the dynamics' sensitivity.
 * `init: 'random'` with `restarts: 1` and `learningRate: 0.1` is the plain method of the paper.
 * @module
 */
import {
  Rng,
  type Seed,
  type StopReason,
  ValueError,
  adam,
  describe,
  option,
  resolveOptions,
} from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { SymbolicAutomaton } from './automaton';
import { type Reduction, compile } from './compile';
import { type Dynamics, singleIntegrator } from './dynamics';
import type { WeightFn } from './guard';
import {
  type OpenLoopConfig,
  type OpenLoopOptions,
  type PlanHistoryEntry,
  type PlanResult,
  openLoopSchema,
  resolveOpenLoop,
  runOpenLoop,
} from './optimizeControls';
import { requireBackend } from './backendCheck';
import { type SemiringName, logSemiring, maxMin, maxPlus, softMaxMin } from './semiring';
import { searchConclusive, searchPath } from './pathSearch';
import { followPolyline } from './polylineFollower';
import { acceptedPath, controlSensitivity, fitControls, retimeReference } from './warmStart';
import { trackWaypoints } from './waypointTracker';

/**
 * Default initial temperature of a cold start and of the warm start's kinematic plan: 1, the
 * default `tau0` of every planner in this package (`optimizeControls`, `trainPolicy`) and the
 * fixed τ of automatix's Log semiring. (An earlier release used 0.3 here while documenting 1.)
 */
export const DEFAULT_TAU0 = 1;

/** Default initial temperature of the refinement after a warm start (near a solution, a small τ keeps it there). */
export const DEFAULT_WARM_TAU0 = 0.03;

/** Default step budget of {@link planOpenLoop}: warm-started attempts plus the cold-start attempt. */
export const DEFAULT_MAX_STEPS = 900;

/** Default steps reserved for the final cold-start attempt (the previous release's plain method, 300 steps). */
export const DEFAULT_COLD_START_STEPS = 300;

/**
 * Settings of the cold-start attempt: the previous release's defaults, i.e. the paper's plain
 * method (θ ~ initScale·N(0, 1), Adam with learning rate 0.1, τ₀ = 0.3).
 */
export const COLD_START = Object.freeze({ learningRate: 0.1, tau0: 0.3 });

/** Default patience of a warm-started refinement (steps without a 1% improvement of the hard score). */
export const DEFAULT_PATIENCE = 60;

/** Default state step: the learning rate is `stateStep / ‖∂x/∂θ‖_∞` (0.1 for a single integrator at T = 50). */
export const DEFAULT_STATE_STEP = 0.5;

/** Options of the kinematic warm start (`init: 'kinematic'`). */
export interface WarmStartOptions {
  /** Margin ε of the kinematic plan's guard weights (state units, default 0.03). */
  margin?: number;
  /** Step cap of one kinematic plan (default 150). Was `iters`. */
  maxSteps?: number;
  /** The reference reaches the end of the kinematic path at this fraction of the horizon (default 0.8). */
  fraction?: number;
  /** Path simplification tolerance (state units, default margin / 2). */
  tolerance?: number;
  /** Levenberg–Marquardt iteration cap of the control fit (default 15). Was `fitIters`. */
  fitMaxIter?: number;
  /** Weight of the key states (goal visits) in the fit (default 100). */
  keyWeight?: number;
  /** τ₀ of the refinement (default {@link DEFAULT_WARM_TAU0}). */
  tau0?: number;
  /** Scale of the virtual integrator's speed bound (default 1: the characteristic speed). */
  speedScale?: number;
  /** Fit the controls to the kinematic plan even when it was not accepted (default true). */
  fitFailed?: boolean;
  /**
   * How the system follows the kinematic path (default 'auto'): 'fit' (re-time the path, fit
   * bounded controls by Levenberg–Marquardt), 'tracker' ({@link trackWaypoints} along the
   * simplified path; 2-d single/double integrator and unicycle with guards on (x, y), else 'fit'),
   * or 'auto': a portfolio by attempt — rest-to-rest fit, tracker, uniform fit, then again.
   */
  follow?: 'auto' | 'fit' | 'tracker';
  /** Speed profile of the re-timed path when `follow` is 'fit' (default 'uniform'; see `retimeReference`). */
  profile?: 'uniform' | 'restToRest';
  /** The tracker runs at this fraction of the control bound, so that θ = atanh(u/uMax) stays finite (default 0.95). */
  trackScale?: number;
  /**
   * First warm-started attempt from a searched kinematic path (default true): the shortest grid
   * path that the automaton accepts with margin `margin` ({@link module:pathSearch}; guards on at
   * most 3 coordinates), followed exactly where the system allows it ({@link module:polylineFollower}:
   * single integrator, double integrator from rest, unicycle), else by the rest-to-rest fit.
   */
  search?: boolean;
  /** Cell budget of the path search's grid (default 10 000; retried once with 4× the cells and half the margin). */
  searchCells?: number;
}

/** Options of {@link planOpenLoop} (`tau0` defaults to {@link DEFAULT_TAU0}, `maxSteps` to 600). */
export interface AutomatonPlanOptions extends OpenLoopOptions {
  /** The task. */
  automaton: SymbolicAutomaton;
  /**
   * Semiring of the objective (default 'log': smooth max-plus, τ annealed). 'maxPlus' and
   * 'maxMin' are hard (sub-gradients); 'softMaxMin' anneals τ.
   */
  semiring?: Extract<SemiringName, 'log' | 'maxPlus' | 'maxMin' | 'softMaxMin'>;
  /** Guard weights (default 'violation' for log/maxPlus, 'signed' for maxMin/softMaxMin). */
  weightFn?: WeightFn;
  /** Product evaluation (default: tree for true semirings, scan for soft max-min). */
  reduce?: Reduction;
  /**
   * Margin phase (notes §5.1 item 7): after the first accepted iterate, run this many more
   * steps maximising the soft max-min score with signed weights (τ from `marginTau`, default
   * 0.05) and return the accepted iterate with the largest hard max-min margin (default 0: off).
   */
  marginSteps?: number;
  marginTau?: number;
  /** Margin ε of the objective's guard weights in the refinement (see `CompileOptions.margin`; default 0). Acceptance stays exact. */
  margin?: number;
  /**
   * Initialisation (ignored when `initialControls` is given): 'kinematic' (default) plans on a
   * virtual single integrator over the coordinates the guards read, re-times that path and fits
   * the system's controls to it (see {@link WarmStartOptions}); 'random' is the paper's cold start
   * θ ~ initScale·N(0, 1).
   */
  init?: 'kinematic' | 'random';
  /**
   * Gradient-planned warm-started attempts (default 4; 1 when `initialControls` is given), each
   * from a fresh seed (`Rng(seed).fold('attempt', a)`), until one is accepted; they share the
   * `maxSteps` budget with the searched-path attempt and the cold start, which come first
   * (see `warmStart.search`, `coldStartSteps`).
   */
  restarts?: number;
  /**
   * Steps reserved for a first attempt that is the cold start, i.e. the paper's plain method as
   * the first release ran it ({@link COLD_START}: random θ, learning rate 0.1, τ₀ = 0.3, same
   * seed); the warm-started attempts follow only when it fails (default
   * {@link DEFAULT_COLD_START_STEPS}, at most a third of `maxSteps`; 0 = off). With the default
   * budget the planner therefore never does worse than that cold start on a task. Only with
   * `init: 'kinematic'` and no `initialControls`.
   */
  coldStartSteps?: number;
  /** Learning rate = stateStep / ‖∂x/∂θ‖_∞ at the initial controls, unless `learningRate` is given (default {@link DEFAULT_STATE_STEP}). */
  stateStep?: number;
  /**
   * Stop a warm-started refinement when its hard score (the max-plus violation) has not improved
   * by more than 1% (relative, plus 1e-6) over this many steps (default {@link DEFAULT_PATIENCE};
   * 0 = off); its remaining budget goes to the next attempts. The cold-start attempt always runs
   * its reserved steps (so the planner stays never worse than it).
   */
  patience?: number;
  warmStart?: WarmStartOptions;
}

/** How an attempt of {@link planOpenLoop} was initialised. */
export type AttemptKind = 'search' | 'coldStart' | 'kinematic' | 'given' | 'random';

/** One step of {@link planOpenLoop}: the common entry plus its phase and attempt. */
export interface AutomatonPlanHistoryEntry extends PlanHistoryEntry {
  /** 'kinematic' (the warm start's plan on the virtual single integrator), 'refine' (the system), 'margin'. */
  phase: 'kinematic' | 'refine' | 'coldStart' | 'margin';
  /** Attempt index (0-based). */
  attempt: number;
}

/** Result of {@link planOpenLoop}: a {@link PlanResult}, plus the margin phase when it ran. */
export interface AutomatonPlanResult extends PlanResult {
  /** Hard max-min score with signed weights of the returned iterate (> 0: accepted with margin). */
  margin: number;
  /** Every step of every phase, numbered consecutively (`step`) across phases and attempts. */
  history: AutomatonPlanHistoryEntry[];
  /** Attempts made. */
  attempts: number;
  /** How each attempt was initialised, by attempt index. */
  attemptKinds: AttemptKind[];
  /** The margin phase's own result (its history, steps, time), when `marginSteps > 0`. */
  marginPhase?: PlanResult;
}

/**
 * Plans bounded controls that make the trajectory accepted by the automaton.
 *
 * ```ts
 * const aut = fromLtlf('F(goal) & G(!obs)', { goal, obs });
 * const plan = planOpenLoop({ automaton: aut, dynamics: doubleIntegrator(), x0: [0.1, 0.1, 0, 0], horizon: 60 });
 * plan.accepted; plan.states; plan.history; // hard score per iteration
 * ```
 */
export function planOpenLoop(options: AutomatonPlanOptions): AutomatonPlanResult {
  const o = resolveOpenLoop(options, planSchema(), 'planOpenLoop options');
  const aut = o.automaton;
  aut.validate();
  aut.checkStateDim(o.dynamics.stateDim);
  requireBackend('planOpenLoop');
  const name = o.semiring;
  const weightFn = o.weightFn ?? (name === 'maxMin' || name === 'softMaxMin' ? 'signed' : 'violation');
  const given = o.initialControls !== undefined;
  const restarts = o.restarts ?? (given ? 1 : 4);
  const ws = resolveWarmStart(o.warmStart);

  const hard = compile(aut, maxPlus);
  const makeObjective = (eps: number) => {
    const fixed =
      name === 'maxPlus'
        ? compile(aut, maxPlus, { weightFn, margin: eps })
        : name === 'maxMin'
          ? compile(aut, maxMin, { weightFn, margin: eps })
          : null;
    return (xs: tf.Tensor2D, tau: number): tf.Scalar => {
      const op =
        fixed ??
        compile(aut, name === 'log' ? logSemiring({ tau }) : softMaxMin({ tau }), {
          weightFn,
          reduce: o.reduce,
          margin: eps,
        });
      return op.score(xs, o.reduce ? { reduce: o.reduce } : {}) as tf.Scalar;
    };
  };
  const objective = makeObjective(o.margin);
  // accepted = the float32 rollout AND the float64 replay of its controls are accepted (a plan
  // found in float32 may sit on a region boundary)
  const replay = (controls: number[][]): number[][] => {
    const xs: number[][] = [Array.from(o.x0)];
    for (let t = 0; t < controls.length; t++)
      xs.push(Array.from(o.dynamics.stepValue(xs[t], controls[t], t)));
    return xs;
  };
  const check = (states: number[][], controls: () => number[][]) => {
    const accepted = aut.accepts(states) && aut.accepts(replay(controls()));
    return { accepted, hardScore: hard.scoreValue(states) };
  };

  const { dynamics, horizon: T, uMax } = o;
  const m = dynamics.controlDim;
  const k = Math.max(1, aut.stateDim);
  const x0 = Array.from(o.x0);
  const start = performance.now();
  const history: AutomatonPlanHistoryEntry[] = [];
  let evaluations = 0;
  let remaining = o.maxSteps;
  let firstAcceptStep = -1;
  let timeToAcceptMs = -1;
  let best: PlanResult | null = null;
  let attempts = 0;
  const common: Omit<OpenLoopConfig, 'optimizer' | 'maxSteps' | 'seed' | 'tau0'> = {
    dynamics,
    x0: o.x0,
    horizon: T,
    uMax,
    controlCost: o.controlCost,
    initScale: o.initScale,
    select: o.select,
    tauDecay: o.tauDecay,
    tauMin: o.tauMin,
    stopOnAccept: o.stopOnAccept,
    onStep: o.onStep,
  };
  const log = (r: PlanResult, phase: AutomatonPlanHistoryEntry['phase'], attempt: number) => {
    const offset = history.length;
    for (const e of r.history) history.push({ ...e, step: offset + e.step, phase, attempt });
    evaluations += r.evaluations;
    remaining -= r.evaluations;
  };
  // attempts in order: the searched kinematic path (when on), the cold start (the paper's plain
  // method, same seed and reserved budget as the first release ran it, so that the default
  // never does worse than the cold start on a task), then the gradient-planned kinematic paths
  const cold = !given && o.init === 'kinematic' && o.coldStartSteps > 0;
  const reserve = cold ? Math.min(o.coldStartSteps, Math.floor(o.maxSteps / 3)) : 0;
  const trackable = canTrack(dynamics, k);
  const kinds: AttemptKind[] = [];
  if (!given && o.init === 'kinematic' && ws.search) kinds.push('search');
  if (cold) kinds.push('coldStart');
  for (let w = 0; w < restarts; w++)
    kinds.push(given ? 'given' : o.init === 'kinematic' ? 'kinematic' : 'random');
  const attemptKinds: AttemptKind[] = [];
  const lift = (p: number[]) => [...p, ...x0.slice(k)];
  // open-loop controls fitted to a retimed reference (the fallback of both path-following attempts)
  const fitToReference = (reference: ReturnType<typeof retimeReference>): Float64Array =>
    Float64Array.from(
      fitControls({
        dynamics,
        x0,
        reference,
        uMax,
        maxIter: ws.fitMaxIter,
        keyWeight: ws.keyWeight,
      }).controls.flat(),
    );
  let w = -1; // index of the gradient-planned warm attempt
  let hopeless = false;
  for (let a = 0; a < kinds.length && (a === 0 || remaining > 0); a++) {
    const kind = kinds[a];
    if (hopeless && kind === 'kinematic') break;
    const isCold = kind === 'coldStart';
    if (kind !== 'search' && !isCold) w++;
    attempts++;
    attemptKinds.push(kind);
    const seed = w <= 0 ? o.seed : new Rng(o.seed).fold('attempt', w).int(2 ** 31);
    let initialControls = o.initialControls;
    let tau0 = o.tau0 ?? (isCold ? COLD_START.tau0 : DEFAULT_TAU0);
    // the cold start gets its reserve; the others share what is left after the reserve
    const coldLeft = kinds.slice(a + 1).includes('coldStart') ? reserve : 0;
    const othersLeft = kinds.slice(a).filter((x) => x !== 'coldStart').length;
    let budget = isCold ? reserve : Math.ceil(Math.max(0, remaining - coldLeft) / Math.max(1, othersLeft));
    if (kind === 'search') {
      const path =
        searchPath(aut, { x0, k, margin: ws.margin, maxCells: ws.searchCells }) ??
        searchPath(aut, { x0, k, margin: ws.margin / 2, maxCells: 4 * ws.searchCells });
      if (path === null) {
        // nothing to follow (no path with the margin on the grid): the budget goes to the next
        // attempts. When the grid spanned every region the guards read, the gradient-planned
        // kinematic attempts are hopeless too (they plan with the same margin): skip them.
        attempts--;
        attemptKinds.pop();
        if (searchConclusive(aut, k)) hopeless = true;
        continue;
      }
      {
        const points = path.points.map((p) => p.slice(0, 2));
        const follow =
          trackable && k === 2
            ? followPolyline({ dynamics, x0, points, horizon: T, uMax, scale: ws.trackScale })
            : null;
        if (follow !== null) {
          initialControls = Float64Array.from(follow.controls.flat());
        } else {
          const reference = retimeReference(aut, path.points, {
            horizon: T,
            fraction: ws.fraction,
            lift,
            profile: 'restToRest',
          });
          initialControls = fitToReference(reference);
        }
        tau0 = ws.tau0;
      }
    } else if (kind === 'kinematic') {
      const cap = Math.min(ws.maxSteps, Math.ceil((2 * budget) / 3));
      const kin = kinematicPlan(
        aut,
        dynamics,
        x0,
        T,
        uMax,
        k,
        seed,
        cap,
        ws.margin,
        ws.speedScale,
        o,
        makeObjective,
      );
      log(kin, 'kinematic', attempts - 1);
      budget -= kin.evaluations;
      if (kin.accepted || ws.fitFailed) {
        // 'auto': a portfolio over the attempts (best-of over initialisers, first accepted wins)
        const [follow, profile] =
          ws.follow === 'auto' ? AUTO_FOLLOW[w % AUTO_FOLLOW.length] : [ws.follow, ws.profile];
        if (follow === 'tracker' && trackable) {
          // the waypoint tracker along the kinematic path: a dynamically feasible trajectory
          const path = acceptedPath(aut, kin.states, ws.tolerance, lift);
          const waypoints = path.idx.slice(1).map((i) => path.prefix[i].slice(0, 2));
          const tr = trackWaypoints({
            dynamics,
            x0,
            waypoints: waypoints.length > 0 ? waypoints : [x0.slice(0, 2)],
            horizon: T,
            uMax: Float64Array.from(uMax, (b) => b * ws.trackScale),
          });
          initialControls = Float64Array.from(tr.controls.flat());
        } else {
          const reference = retimeReference(aut, kin.states, {
            horizon: T,
            fraction: ws.fraction,
            tolerance: ws.tolerance,
            lift,
            profile,
            safeSimplify: profile === 'restToRest',
          });
          initialControls = fitToReference(reference);
        }
        tau0 = ws.tau0;
      }
    }
    const u0 = initialControls ?? new Float64Array(T * m);
    const learningRate =
      o.learningRate ??
      (isCold
        ? COLD_START.learningRate
        : o.stateStep / Math.max(1e-12, controlSensitivity(dynamics, x0, u0, uMax, k)));
    const r = runOpenLoop(
      {
        ...common,
        maxSteps: Math.max(0, Math.min(remaining, budget)),
        seed,
        initialControls,
        tau0,
        optimizer: o.optimizer ?? adam({ learningRate }),
        patience: isCold || given || o.init === 'random' ? 0 : o.patience,
      },
      objective,
      check,
    );
    const before = history.length;
    log(r, isCold ? 'coldStart' : 'refine', attempts - 1);
    if (r.accepted && firstAcceptStep < 0) {
      firstAcceptStep = before + r.firstAcceptStep;
      timeToAcceptMs = performance.now() - start - (r.timeMs - r.timeToAcceptMs);
    }
    if (
      best === null ||
      (r.accepted && !best.accepted) ||
      (r.accepted === best.accepted && r.hardScore > best.hardScore)
    ) {
      best = r;
    }
    if (r.accepted) break;
  }
  const first = best as PlanResult;
  // not accepted with budget left: every attempt stopped on stagnation (or had nothing to follow)
  const stopReason: StopReason =
    first.accepted && o.stopOnAccept ? 'converged' : remaining > 0 ? 'tolStagnation' : 'maxSteps';
  const result: AutomatonPlanResult = {
    ...first,
    steps: history.length - 1,
    firstAcceptStep,
    timeToAcceptMs,
    history,
    evaluations,
    attempts,
    attemptKinds,
    timeMs: performance.now() - start,
    margin: 0,
    stopReason,
  };
  const marginOp = compile(aut, maxMin, { weightFn: 'signed' });
  if (o.marginSteps === 0 || !first.accepted) return { ...result, margin: marginOp.scoreValue(first.states) };
  const marginTau = o.marginTau;
  const soft = compile(aut, softMaxMin({ tau: marginTau }), { weightFn: 'signed' });
  const phase = runOpenLoop(
    {
      ...common,
      maxSteps: o.marginSteps,
      seed: o.seed,
      initialControls: Float64Array.from(first.controls.flat()),
      stopOnAccept: false,
      select: 'bestAccepted',
      tau0: marginTau,
      tauDecay: 1,
      tauMin: marginTau,
      optimizer: o.optimizer ?? adam({ learningRate: o.learningRate ?? 0.1 }),
    },
    (xs) => soft.score(xs) as tf.Scalar,
    (states) => ({ accepted: aut.accepts(states), hardScore: marginOp.scoreValue(states) }),
  );
  const offset = history.length;
  for (const e of phase.history)
    history.push({ ...e, step: offset + e.step, phase: 'margin', attempt: attempts - 1 });
  const improved = phase.accepted && phase.hardScore > marginOp.scoreValue(first.states);
  const chosen = improved ? phase : first;
  return {
    ...result,
    controls: chosen.controls,
    states: chosen.states,
    hardScore: hard.scoreValue(chosen.states),
    margin: marginOp.scoreValue(chosen.states),
    marginPhase: phase,
    evaluations: evaluations + phase.evaluations,
    timeMs: performance.now() - start,
  };
}

/**
 * The warm start's followers by attempt when `warmStart.follow` is 'auto': the path re-timed rest
 * to rest and fitted, the waypoint tracker along the path (2-d systems it supports; else the
 * uniform fit), the path re-timed at uniform speed and fitted; then again.
 */
const AUTO_FOLLOW: readonly (readonly ['tracker' | 'fit', 'uniform' | 'restToRest'])[] = [
  ['fit', 'restToRest'],
  ['tracker', 'uniform'],
  ['fit', 'uniform'],
];

/** Whether {@link trackWaypoints} can follow a path for this system (its 2-d systems, guards on (x, y)). */
function canTrack(dynamics: Dynamics, k: number): boolean {
  if (k !== 2) return false;
  const { name, stateDim } = dynamics;
  return (
    (name === 'singleIntegrator' && stateDim === 2) ||
    (name === 'doubleIntegrator' && stateDim === 4) ||
    name === 'unicycle'
  );
}

function readAutomaton(v: unknown, name: string): SymbolicAutomaton {
  const a = v as SymbolicAutomaton;
  if (a == null || typeof a !== 'object' || typeof a.accepts !== 'function')
    throw new ValueError(`${name} must be a SymbolicAutomaton, got ${describe(v)}`, name);
  return a;
}

/** The option schema of {@link planOpenLoop}. */
function planSchema() {
  return {
    ...openLoopSchema(DEFAULT_MAX_STEPS),
    automaton: option.custom(readAutomaton, { required: true }),
    semiring: option.oneOf(['log', 'maxPlus', 'maxMin', 'softMaxMin'] as const, { default: 'log' }),
    weightFn: option.oneOf(['violation', 'signed'] as const),
    reduce: option.oneOf(['tree', 'scan'] as const),
    marginSteps: option.integer({ min: 0, max: 1e7, default: 0 }),
    marginTau: option.number({ gt: 0, default: 0.05 }),
    margin: option.number({ min: 0, default: 0 }),
    init: option.oneOf(['kinematic', 'random'] as const, { default: 'kinematic' }),
    restarts: option.integer({ min: 1, max: 1e4 }),
    coldStartSteps: option.integer({ min: 0, max: 1e7, default: DEFAULT_COLD_START_STEPS }),
    stateStep: option.number({ gt: 0, default: DEFAULT_STATE_STEP }),
    patience: option.integer({ min: 0, max: 1e7, default: DEFAULT_PATIENCE }),
    warmStart: option.custom((v) => v as WarmStartOptions | undefined),
  };
}

type ResolvedPlan = ReturnType<typeof resolveOpenLoop<ReturnType<typeof planSchema>>>;

function resolveWarmStart(w: WarmStartOptions | undefined) {
  const r = resolveOptions(
    w,
    {
      margin: option.number({ min: 0, default: 0.03 }),
      maxSteps: option.integer({ min: 1, max: 1e7, default: 150 }),
      follow: option.oneOf(['auto', 'tracker', 'fit'] as const, { default: 'auto' }),
      trackScale: option.number({ gt: 0, max: 1, default: 0.95 }),
      profile: option.oneOf(['uniform', 'restToRest'] as const, { default: 'uniform' }),
      fraction: option.number({ gt: 0, max: 1, default: 0.8 }),
      tolerance: option.number({ min: 0 }),
      fitMaxIter: option.integer({ min: 0, max: 1e4, default: 15 }),
      keyWeight: option.number({ gt: 0, default: 100 }),
      tau0: option.number({ gt: 0, default: DEFAULT_WARM_TAU0 }),
      speedScale: option.number({ gt: 0, default: 1 }),
      fitFailed: option.boolean({ default: true }),
      search: option.boolean({ default: true }),
      searchCells: option.integer({ min: 100, max: 1e7, default: 10_000 }),
    },
    { name: 'warmStart', prefix: 'warmStart.', renamed: { iters: 'maxSteps', fitIters: 'fitMaxIter' } },
  );
  return { ...r, tolerance: r.tolerance ?? r.margin / 2 };
}

/**
 * The warm start's kinematic plan: the same planner on a virtual single integrator over the
 * first k state coordinates (the ones the guards read; the others are held at x₀), with the
 * objective's margin, at the system's characteristic speed (the largest distance per unit time
 * a constant bounded control covers over the horizon, per coordinate).
 */
function kinematicPlan(
  aut: SymbolicAutomaton,
  dynamics: Dynamics,
  x0: number[],
  T: number,
  uMax: Float64Array,
  k: number,
  seed: Seed,
  maxSteps: number,
  margin: number,
  speedScale: number,
  o: ResolvedPlan,
  makeObjective: (eps: number) => (xs: tf.Tensor2D, tau: number) => tf.Scalar,
): PlanResult {
  const dt = dynamics.dt ?? 0.1;
  const speed = characteristicSpeed(dynamics, x0, T, uMax, k, dt).map((v) => v * speedScale);
  const tail = x0.slice(k);
  const lift = (p: ArrayLike<number>) => [...Array.from(p), ...tail];
  const surrogate = singleIntegrator({ dt, dim: k });
  const objective = makeObjective(margin);
  return runOpenLoop(
    {
      dynamics: surrogate,
      x0: Float64Array.from(x0.slice(0, k)),
      horizon: T,
      maxSteps,
      uMax: speed,
      seed,
      tau0: o.tau0 ?? DEFAULT_TAU0,
      tauDecay: o.tauDecay,
      tauMin: o.tauMin,
      initScale: o.initScale,
      controlCost: 0,
      select: 'last',
      stopOnAccept: true,
      optimizer: adam({
        learningRate: o.learningRate ?? DEFAULT_STATE_STEP / (T * dt * Math.max(...speed)),
      }),
    },
    (xs, tau) => objective(tail.length === 0 ? xs : padStates(xs, tail), tau),
    (states) => {
      const full = states.map(lift);
      return { accepted: aut.accepts(full), hardScore: 0 };
    },
  );
}

/**
 * The largest distance per unit time that a constant bounded control covers over the horizon in
 * one of the first k coordinates: max over c ∈ {−uMax, 0, uMax}^m and i < k of |x_T[i] − x₀[i]|/(TΔt)
 * (at least 1e-3), used for every coordinate of the virtual integrator.
 */
function characteristicSpeed(
  dynamics: Dynamics,
  x0: number[],
  T: number,
  uMax: Float64Array,
  k: number,
  dt: number,
): Float64Array {
  const m = dynamics.controlDim;
  const speed = new Float64Array(k).fill(1e-3);
  const combos = 3 ** Math.min(m, 6);
  for (let c = 0; c < combos; c++) {
    const u = new Float64Array(m);
    let code = c;
    for (let i = 0; i < m; i++) {
      u[i] = ((code % 3) - 1) * uMax[i];
      code = Math.floor(code / 3);
    }
    let x: ArrayLike<number> = x0;
    for (let t = 0; t < T; t++) x = dynamics.stepValue(x, u, t);
    for (let i = 0; i < k; i++) speed[i] = Math.max(speed[i], Math.abs(x[i] - x0[i]) / (T * dt));
  }
  return speed.fill(Math.max(...speed));
}

/** The virtual integrator's states [T + 1, k] with the held coordinates appended: [T + 1, n]. */
function padStates(xs: tf.Tensor2D, tail: number[]): tf.Tensor2D {
  const rows = xs.shape[0];
  return tf.concat(
    [xs, tf.tile(tf.tensor2d(Float32Array.from(tail), [1, tail.length]), [rows, 1])],
    1,
  ) as tf.Tensor2D;
}
