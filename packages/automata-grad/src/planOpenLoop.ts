/**
 * Open-loop planning for an automaton objective (the paper's open-loop problem): maximise the
 * automaton score W of the trajectory rolled out from the controls, with the semiring's
 * temperature annealed, and report the hard (max-plus violation) score and exact acceptance of
 * every iterate.
 *
 * The gradient step is the paper's (the score's gradient through the rollout, an off-the-shelf
 * optimiser). Around it, options with defaults measured on the task suite (see the README):
 * a kinematic warm start ({@link module:warmStart}), seeded restarts sharing one iteration
 * budget, and a learning rate scaled to the dynamics' sensitivity. `init: 'random'` with
 * `restarts: 1` and `learningRate: 0.1` is the plain method of the paper.
 * @module
 */
import { Rng, type Seed, type StopReason, ValueError, adam, describe, option, resolveOptions } from '@descent/tensor';
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
import { controlSensitivity, fitControls, retimeReference } from './warmStart';

/**
 * Default initial temperature of a cold start and of the warm start's kinematic plan: 1, the
 * default `tau0` of every planner in this package (`optimizeControls`, `trainPolicy`) and the
 * fixed τ of automatix's Log semiring. (An earlier release used 0.3 here while documenting 1.)
 */
export const DEFAULT_TAU0 = 1;

/** Default initial temperature of the refinement after a warm start (near a solution, a small τ keeps it there). */
export const DEFAULT_WARM_TAU0 = 0.03;

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
   * Attempts (default 4; 1 when `initialControls` is given), each from a fresh seed
   * (`Rng(seed).fold('attempt', a)`), until one is accepted; they share the `maxSteps` budget.
   */
  restarts?: number;
  /** Learning rate = stateStep / ‖∂x/∂θ‖_∞ at the initial controls, unless `learningRate` is given (default {@link DEFAULT_STATE_STEP}). */
  stateStep?: number;
  warmStart?: WarmStartOptions;
}

/** One step of {@link planOpenLoop}: the common entry plus its phase and attempt. */
export interface AutomatonPlanHistoryEntry extends PlanHistoryEntry {
  /** 'kinematic' (the warm start's plan on the virtual single integrator), 'refine' (the system), 'margin'. */
  phase: 'kinematic' | 'refine' | 'margin';
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
  const check = (states: number[][]) => ({
    accepted: aut.accepts(states),
    hardScore: hard.scoreValue(states),
  });

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
  for (let a = 0; a < restarts && (a === 0 || remaining > 0); a++) {
    attempts++;
    const seed = a === 0 ? o.seed : new Rng(o.seed).fold('attempt', a).int(2 ** 31);
    let initialControls = o.initialControls;
    let tau0 = o.tau0 ?? DEFAULT_TAU0;
    const share = Math.ceil(remaining / (restarts - a));
    let budget = share;
    if (!given && o.init === 'kinematic') {
      const cap = Math.min(ws.maxSteps, Math.ceil((2 * budget) / 3));
      const kin = kinematicPlan(aut, dynamics, x0, T, uMax, k, seed, cap, ws.margin, ws.speedScale, o, makeObjective);
      log(kin, 'kinematic', a);
      budget -= kin.evaluations;
      if (kin.accepted || ws.fitFailed) {
        const lift = (p: number[]) => [...p, ...x0.slice(k)];
        const reference = retimeReference(aut, kin.states, {
          horizon: T,
          fraction: ws.fraction,
          tolerance: ws.tolerance,
          lift,
        });
        const fit = fitControls({
          dynamics,
          x0,
          reference,
          uMax,
          maxIter: ws.fitMaxIter,
          keyWeight: ws.keyWeight,
        });
        initialControls = Float64Array.from(fit.controls.flat());
        tau0 = ws.tau0;
      }
    }
    const u0 = initialControls ?? new Float64Array(T * m);
    const learningRate =
      o.learningRate ?? o.stateStep / Math.max(1e-12, controlSensitivity(dynamics, x0, u0, uMax, k));
    const r = runOpenLoop(
      {
        ...common,
        maxSteps: Math.max(0, Math.min(remaining, budget)),
        seed,
        initialControls,
        tau0,
        optimizer: o.optimizer ?? adam({ learningRate }),
      },
      objective,
      check,
    );
    const before = history.length;
    log(r, 'refine', a);
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
  const stopReason: StopReason = first.accepted && o.stopOnAccept ? 'converged' : 'maxSteps';
  const result: AutomatonPlanResult = {
    ...first,
    steps: history.length - 1,
    firstAcceptStep,
    timeToAcceptMs,
    history,
    evaluations,
    attempts,
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

function readAutomaton(v: unknown, name: string): SymbolicAutomaton {
  const a = v as SymbolicAutomaton;
  if (a == null || typeof a !== 'object' || typeof a.accepts !== 'function')
    throw new ValueError(`${name} must be a SymbolicAutomaton, got ${describe(v)}`, name);
  return a;
}

/** The option schema of {@link planOpenLoop}. */
function planSchema() {
  return {
    ...openLoopSchema(600),
    automaton: option.custom(readAutomaton, { required: true }),
    semiring: option.oneOf(['log', 'maxPlus', 'maxMin', 'softMaxMin'] as const, { default: 'log' }),
    weightFn: option.oneOf(['violation', 'signed'] as const),
    reduce: option.oneOf(['tree', 'scan'] as const),
    marginSteps: option.integer({ min: 0, max: 1e7, default: 0 }),
    marginTau: option.number({ gt: 0, default: 0.05 }),
    margin: option.number({ min: 0, default: 0 }),
    init: option.oneOf(['kinematic', 'random'] as const, { default: 'kinematic' }),
    restarts: option.integer({ min: 1, max: 1e4 }),
    stateStep: option.number({ gt: 0, default: DEFAULT_STATE_STEP }),
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
      fraction: option.number({ gt: 0, max: 1, default: 0.8 }),
      tolerance: option.number({ min: 0 }),
      fitMaxIter: option.integer({ min: 0, max: 1e4, default: 15 }),
      keyWeight: option.number({ gt: 0, default: 100 }),
      tau0: option.number({ gt: 0, default: DEFAULT_WARM_TAU0 }),
      speedScale: option.number({ gt: 0, default: 1 }),
      fitFailed: option.boolean({ default: true }),
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
