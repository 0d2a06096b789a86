/**
 * The staged learning-rate schedule of the two-stage learner: Stage 1 (subspace, larger step)
 * then Stage 2 (directions, smaller step), each with its own minibatch size.
 * Calibrated values (implementation notes §3.2c, numpy prototype, d = 32, P = 4, m = 12):
 * η₁ = 0.02/d for 2500 steps, η₂ = 0.004/d for 2500 steps, batch 64 (320k samples).
 * @module
 */
import {
  type Schedule,
  ValueError,
  assertInteger,
  assertSchedule,
  describe,
  evaluateSchedule,
} from '@descent/tensor';

/** One stage: `steps` steps of minibatch size `batch` with learning rate `learningRate` (a number or a function of the step within the stage). */
export interface Stage {
  steps: number;
  learningRate: Schedule;
  /** Fresh samples per step (default 64). */
  batch?: number;
}

/** Reference dimension of the calibration (notes §3.2c). */
export const CALIBRATION_D = 32;

/**
 * The default two-stage schedule for dimension d: η₁ = 0.02/d, η₂ = 0.004/d, batch 64, and stage
 * lengths 2500·max(1, d/32) steps each (the calibrated 2500 at d = 32; Stage 1 needs Θ(d) steps
 * at η ∝ 1/d, so lengths scale linearly above the calibration point — our choice, see README).
 */
export function defaultSchedule(
  d: number,
  { batch = 64, scaleSteps = 1 }: { batch?: number; scaleSteps?: number } = {},
): Stage[] {
  assertInteger('d', d, 1);
  const steps = Math.round(2500 * Math.max(1, d / CALIBRATION_D) * scaleSteps);
  return [
    { steps, learningRate: 0.02 / d, batch },
    { steps, learningRate: 0.004 / d, batch },
  ];
}

/** Throws a typed error unless `schedule` is a non-empty list of valid stages with ≥ 1 step in total. */
export function validateSchedule(schedule: unknown, name = 'schedule'): asserts schedule is Stage[] {
  if (!Array.isArray(schedule))
    throw new ValueError(`${name} must be an array of stages, got ${describe(schedule)}`, name);
  let total = 0;
  schedule.forEach((s: Stage, i: number) => {
    if (s == null || typeof s !== 'object')
      throw new ValueError(`${name}[${i}] must be a stage object, got ${describe(s)}`, name);
    if ('lr' in s && !('learningRate' in s))
      throw new ValueError(
        `${name}[${i}].lr was renamed to learningRate: pass learningRate instead`,
        `${name}[${i}].lr`,
      );
    assertInteger(`${name}[${i}].steps`, s.steps, 0);
    assertSchedule(`${name}[${i}].learningRate`, s.learningRate);
    if (s.batch !== undefined) assertInteger(`${name}[${i}].batch`, s.batch, 1);
    total += s.steps;
  });
  if (total < 1)
    throw new ValueError(
      `${name} must contain at least one step, got ${total} steps in ${schedule.length} stages`,
      name,
    );
}

/** Where step t (0-based) falls: stage index, step within the stage, learning rate and batch; null past the end. */
export function stageAt(
  schedule: Stage[],
  t: number,
): { stage: number; stepInStage: number; learningRate: number; batch: number } | null {
  let start = 0;
  for (let s = 0; s < schedule.length; s++) {
    const st = schedule[s];
    if (t < start + st.steps) {
      const stepInStage = t - start;
      return {
        stage: s,
        stepInStage,
        learningRate: evaluateSchedule(st.learningRate, stepInStage, `schedule[${s}].learningRate`),
        batch: st.batch ?? 64,
      };
    }
    start += st.steps;
  }
  return null;
}

/** Total number of steps of a schedule. */
export function totalSteps(schedule: Stage[]): number {
  return schedule.reduce((a, s) => a + s.steps, 0);
}

/** Total number of samples of a schedule (Σ steps × batch). */
export function totalSamples(schedule: Stage[]): number {
  return schedule.reduce((a, s) => a + s.steps * (s.batch ?? 64), 0);
}
