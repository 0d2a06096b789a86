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
import { Rng, ValueError, assertInRange, assertInteger, assertPositive, describe } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { SymbolicAutomaton } from './automaton';
import { type Reduction, compile } from './compile';
import { type Dynamics, singleIntegrator } from './dynamics';
import type { WeightFn } from './guard';
import {
  type OpenLoopOptions,
  type PlanHistoryEntry,
  type PlanResult,
  optimizeControls,
  resolveOpenLoop,
} from './optimizeControls';
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
  /** Iteration cap of one kinematic plan (default 150). */
  iters?: number;
  /** The reference reaches the end of the kinematic path at this fraction of the horizon (default 0.8). */
  fraction?: number;
  /** Path simplification tolerance (state units, default margin / 2). */
  tolerance?: number;
  /** Levenberg–Marquardt iterations of the control fit (default 15). */
  fitIters?: number;
  /** Weight of the key states (goal visits) in the fit (default 100). */
  keyWeight?: number;
  /** τ₀ of the refinement (default {@link DEFAULT_WARM_TAU0}). */
  tau0?: number;
  /** Scale of the virtual integrator's speed bound (default 1: the characteristic speed). */
  speedScale?: number;
  /** Fit the controls to the kinematic plan even when it was not accepted (default true). */
  fitFailed?: boolean;
}

/** Options of {@link planOpenLoop} (`tau0` defaults to {@link DEFAULT_TAU0}, `iters` to 600). */
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
   * iterations maximising the soft max-min score with signed weights (τ from `marginTau`, default
   * 0.05) and return the accepted iterate with the largest hard max-min margin (default 0: off).
   */
  marginIters?: number;
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
   * (`Rng(seed).fold('attempt', a)`), until one is accepted; they share the `iters` budget.
   */
  restarts?: number;
  /** Learning rate = stateStep / ‖∂x/∂θ‖_∞ at the initial controls, unless `learningRate` is given (default {@link DEFAULT_STATE_STEP}). */
  stateStep?: number;
  warmStart?: WarmStartOptions;
}

/** One iteration of {@link planOpenLoop}: the common entry plus its phase and attempt. */
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
  /** Every iteration of every phase, numbered consecutively (`iter`) across phases and attempts. */
  history: AutomatonPlanHistoryEntry[];
  /** Attempts made. */
  attempts: number;
  /** The margin phase's own result (its history, iterations, time), when `marginIters > 0`. */
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
  const aut = options?.automaton;
  if (aut == null || typeof aut.accepts !== 'function') {
    throw new ValueError(`automaton must be a SymbolicAutomaton, got ${describe(aut)}`, 'automaton');
  }
  aut.validate();
  aut.checkStateDim(options.dynamics?.stateDim ?? 0);
  const name = options.semiring ?? 'log';
  if (!['log', 'maxPlus', 'maxMin', 'softMaxMin'].includes(name)) {
    throw new ValueError(
      `semiring must be 'log', 'maxPlus', 'maxMin' or 'softMaxMin', got ${describe(name)}`,
      'semiring',
    );
  }
  const weightFn = options.weightFn ?? (name === 'maxMin' || name === 'softMaxMin' ? 'signed' : 'violation');
  const base = resolveOpenLoop({ ...options, iters: options.iters ?? 600 });
  const given = options.initialControls !== undefined;
  const init = options.init ?? 'kinematic';
  if (init !== 'kinematic' && init !== 'random') {
    throw new ValueError(`init must be 'kinematic' or 'random', got ${describe(init)}`, 'init');
  }
  const restarts = options.restarts ?? (given ? 1 : 4);
  assertInteger('restarts', restarts, 1);
  const stateStep = options.stateStep ?? DEFAULT_STATE_STEP;
  assertPositive('stateStep', stateStep);
  const margin = options.margin ?? 0;
  assertPositive('margin', margin, true);
  const ws = resolveWarmStart(options.warmStart);
  const marginIters = options.marginIters ?? 0;
  assertInteger('marginIters', marginIters, 0);

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
          reduce: options.reduce,
          margin: eps,
        });
      return op.score(xs, options.reduce ? { reduce: options.reduce } : {}) as tf.Scalar;
    };
  };
  const objective = makeObjective(margin);
  const check = (states: number[][]) => ({
    accepted: aut.accepts(states),
    hardScore: hard.scoreValue(states),
  });

  const { dynamics, horizon: T, uMax } = base;
  const m = dynamics.controlDim;
  const k = Math.max(1, aut.stateDim);
  const x0 = Array.from(base.x0, Number);
  const start = performance.now();
  const history: AutomatonPlanHistoryEntry[] = [];
  let evaluations = 0;
  let remaining = base.iters;
  let firstAcceptIter = -1;
  let timeToAcceptMs = -1;
  let best: PlanResult | null = null;
  let attempts = 0;
  const log = (r: PlanResult, phase: AutomatonPlanHistoryEntry['phase'], attempt: number) => {
    const offset = history.length;
    for (const e of r.history) history.push({ ...e, iter: offset + e.iter, phase, attempt });
    evaluations += r.evaluations;
    remaining -= r.evaluations;
  };
  for (let a = 0; a < restarts && (a === 0 || remaining > 0); a++) {
    attempts++;
    const seed = a === 0 ? base.seed : new Rng(base.seed).fold('attempt', a).int(2 ** 31);
    let initialControls = options.initialControls;
    let tau0 = options.tau0 ?? DEFAULT_TAU0;
    const share = Math.ceil(remaining / (restarts - a));
    let budget = share;
    if (!given && init === 'kinematic') {
      const cap = Math.min(ws.iters, Math.ceil((2 * budget) / 3));
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
        options,
        makeObjective,
      );
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
          iters: ws.fitIters,
          keyWeight: ws.keyWeight,
        });
        initialControls = fit.controls;
        tau0 = ws.tau0;
      }
    }
    const u0 = new Float64Array(T * m);
    if (initialControls !== undefined) {
      for (let t = 0; t < Math.min(T, initialControls.length); t++)
        for (let i = 0; i < m; i++) u0[t * m + i] = Number(initialControls[t]?.[i]) || 0;
    }
    const learningRate =
      options.learningRate ?? stateStep / Math.max(1e-12, controlSensitivity(dynamics, x0, u0, uMax, k));
    const r = optimizeControls(
      {
        ...options,
        iters: Math.max(0, Math.min(remaining, budget)),
        seed,
        initialControls,
        tau0,
        learningRate,
        optimizer: options.optimizer,
      },
      objective,
      check,
    );
    const before = history.length;
    log(r, 'refine', a);
    if (r.accepted && firstAcceptIter < 0) {
      firstAcceptIter = before + r.firstAcceptIter;
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
  const result: AutomatonPlanResult = {
    ...first,
    iterations: history.length - 1,
    firstAcceptIter,
    timeToAcceptMs,
    history,
    evaluations,
    attempts,
    timeMs: performance.now() - start,
    margin: 0,
  };
  const marginOp = compile(aut, maxMin, { weightFn: 'signed' });
  if (marginIters === 0 || !first.accepted) return { ...result, margin: marginOp.scoreValue(first.states) };
  const marginTau = options.marginTau ?? 0.05;
  assertPositive('marginTau', marginTau);
  const soft = compile(aut, softMaxMin({ tau: marginTau }), { weightFn: 'signed' });
  const phase = optimizeControls(
    {
      ...options,
      iters: marginIters,
      initialControls: first.controls,
      stopOnAccept: false,
      select: 'bestAccepted',
      tau0: marginTau,
      tauDecay: 1,
      tauMin: marginTau,
      learningRate: options.learningRate ?? 0.1,
    },
    (xs) => soft.score(xs) as tf.Scalar,
    (states) => ({ accepted: aut.accepts(states), hardScore: marginOp.scoreValue(states) }),
  );
  const offset = history.length;
  for (const e of phase.history)
    history.push({ ...e, iter: offset + e.iter, phase: 'margin', attempt: attempts - 1 });
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

function resolveWarmStart(w: WarmStartOptions | undefined) {
  if (w != null && typeof w !== 'object') {
    throw new ValueError(`warmStart must be an object, got ${describe(w)}`, 'warmStart');
  }
  const margin = w?.margin ?? 0.03;
  assertPositive('warmStart.margin', margin, true);
  const iters = w?.iters ?? 150;
  assertInteger('warmStart.iters', iters, 1);
  const fraction = w?.fraction ?? 0.8;
  assertInRange('warmStart.fraction', fraction, 0, 1);
  if (fraction === 0) throw new ValueError('warmStart.fraction must be > 0, got 0', 'warmStart.fraction');
  const tolerance = w?.tolerance ?? margin / 2;
  assertPositive('warmStart.tolerance', tolerance, true);
  const fitIters = w?.fitIters ?? 15;
  assertInteger('warmStart.fitIters', fitIters, 0);
  const keyWeight = w?.keyWeight ?? 100;
  assertPositive('warmStart.keyWeight', keyWeight);
  const tau0 = w?.tau0 ?? DEFAULT_WARM_TAU0;
  assertPositive('warmStart.tau0', tau0);
  const speedScale = w?.speedScale ?? 1;
  assertPositive('warmStart.speedScale', speedScale);
  const fitFailed = w?.fitFailed ?? true;
  return { margin, iters, fraction, tolerance, fitIters, keyWeight, tau0, speedScale, fitFailed };
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
  seed: number,
  iters: number,
  margin: number,
  speedScale: number,
  options: AutomatonPlanOptions,
  makeObjective: (eps: number) => (xs: tf.Tensor2D, tau: number) => tf.Scalar,
): PlanResult {
  const dt = dynamics.dt ?? 0.1;
  const speed = characteristicSpeed(dynamics, x0, T, uMax, k, dt).map((v) => v * speedScale);
  const tail = x0.slice(k);
  const lift = (p: ArrayLike<number>) => [...Array.from(p), ...tail];
  const surrogate = singleIntegrator({ dt, dim: k });
  const objective = makeObjective(margin);
  return optimizeControls(
    {
      dynamics: surrogate,
      x0: x0.slice(0, k),
      horizon: T,
      iters,
      uMax: speed,
      seed,
      tau0: options.tau0 ?? DEFAULT_TAU0,
      tauDecay: options.tauDecay,
      tauMin: options.tauMin,
      initScale: options.initScale,
      learningRate: options.learningRate ?? DEFAULT_STATE_STEP / (T * dt * Math.max(...speed)),
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
