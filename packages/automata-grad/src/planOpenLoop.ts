/**
 * Open-loop planning for an automaton objective (the paper's open-loop problem): maximise the
 * automaton score W of the trajectory rolled out from the controls, with the semiring's
 * temperature annealed, and report the hard (max-plus violation) score and exact acceptance of
 * every iterate.
 * @module
 */
import { ValueError, assertInteger, assertPositive, describe } from '@descent/tensor';
import { type tf } from '@descent/tensor/tf';
import type { SymbolicAutomaton } from './automaton';
import { type Reduction, compile } from './compile';
import type { WeightFn } from './guard';
import { type OpenLoopOptions, type PlanResult, optimizeControls } from './optimizeControls';
import { type SemiringName, logSemiring, maxMin, maxPlus, softMaxMin } from './semiring';

/**
 * Default initial temperature of the automaton planner: best of the grid {3, 1, 0.3, 0.1} on the
 * sequence and patrol tasks (4 seeds, 300 iterations); the paper's schedule is unknown.
 */
export const DEFAULT_TAU0 = 0.3;

/** Options of {@link planOpenLoop} (`tau0` defaults to {@link DEFAULT_TAU0}). */
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
}

/** Result of {@link planOpenLoop}: a {@link PlanResult}, plus the margin phase when it ran. */
export interface AutomatonPlanResult extends PlanResult {
  /** Hard max-min score with signed weights of the returned iterate (> 0: accepted with margin). */
  margin: number;
  /** The margin phase's own result (its history, iterations, time), when `marginIters > 0`. */
  marginPhase?: PlanResult;
}

/**
 * Plans bounded controls that make the trajectory accepted by the automaton.
 *
 * ```ts
 * const aut = fromLtlf('F(goal) & G(!obs)', { goal, obs });
 * const plan = planOpenLoop({ automaton: aut, dynamics: singleIntegrator(), x0: [0.1, 0.1], horizon: 50 });
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
  const hard = compile(aut, maxPlus);
  const fixed =
    name === 'maxPlus'
      ? compile(aut, maxPlus, { weightFn })
      : name === 'maxMin'
        ? compile(aut, maxMin, { weightFn })
        : null;
  const objective = (xs: tf.Tensor2D, tau: number): tf.Scalar => {
    const op =
      fixed ??
      compile(aut, name === 'log' ? logSemiring({ tau }) : softMaxMin({ tau }), {
        weightFn,
        reduce: options.reduce,
      });
    return op.score(xs, options.reduce ? { reduce: options.reduce } : {}) as tf.Scalar;
  };
  const first = optimizeControls({ ...options, tau0: options.tau0 ?? DEFAULT_TAU0 }, objective, (states) => ({
    accepted: aut.accepts(states),
    hardScore: hard.scoreValue(states),
  }));
  const marginOp = compile(aut, maxMin, { weightFn: 'signed' });
  const marginIters = options.marginIters ?? 0;
  assertInteger('marginIters', marginIters, 0);
  if (marginIters === 0 || !first.accepted) return { ...first, margin: marginOp.scoreValue(first.states) };
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
    },
    (xs) => soft.score(xs) as tf.Scalar,
    (states) => ({ accepted: aut.accepts(states), hardScore: marginOp.scoreValue(states) }),
  );
  const improved = phase.accepted && phase.hardScore > marginOp.scoreValue(first.states);
  const chosen = improved ? phase : first;
  return {
    ...first,
    controls: chosen.controls,
    states: chosen.states,
    hardScore: hard.scoreValue(chosen.states),
    margin: marginOp.scoreValue(chosen.states),
    marginPhase: phase,
    evaluations: first.evaluations + phase.evaluations,
    timeMs: first.timeMs + phase.timeMs,
  };
}
