/**
 * One vocabulary for why an iterative method stopped, shared by every strategy, solver and
 * one-call helper of descent (`stop()` of an {@link AskTellStrategy}, `stopReason` of a
 * {@link RunResult}).
 * @module
 */

/**
 * Every stop reason descent uses, grouped:
 *
 * - budgets: `'maxEvals'` (objective evaluations), `'maxSteps'` (steps, generations or
 *   iterations), `'maxTime'` (wall clock);
 * - success: `'converged'` (the method's tolerance `tol` was met), `'ftarget'` (the objective
 *   reached the caller's target value);
 * - CMA-ES termination criteria (pycma's names): `'tolFun'`, `'tolX'`, `'tolUpSigma'`,
 *   `'conditionCov'`, `'noEffectAxis'`, `'noEffectCoord'`, `'tolStagnation'`;
 * - `'diverged'` (iterates or objective became non-finite or exploded), `'callback'` (a user
 *   callback asked to stop).
 */
export const STOP_REASONS = [
  'maxEvals',
  'maxSteps',
  'maxTime',
  'converged',
  'ftarget',
  'tolFun',
  'tolX',
  'tolUpSigma',
  'conditionCov',
  'noEffectAxis',
  'noEffectCoord',
  'tolStagnation',
  'diverged',
  'callback',
] as const;

/** Why a run stopped; see {@link STOP_REASONS} for the meaning of each. */
export type StopReason = (typeof STOP_REASONS)[number];

/** Whether `value` is one of the {@link STOP_REASONS}. */
export function isStopReason(value: unknown): value is StopReason {
  return typeof value === 'string' && (STOP_REASONS as readonly string[]).includes(value);
}
