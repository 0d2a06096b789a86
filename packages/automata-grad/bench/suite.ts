/**
 * The `automata-grad-suite` experiment (issue 16): success rate of the planners per dynamics model
 * on the task suite (`SUITE_TASKS`: reach-avoid, ordered-sequence and patrol tasks) under the
 * single integrator, the double integrator and the unicycle (`suiteSystems()`).
 *
 * Methods:
 * - `planOpenLoop (defaults)`: 4 kinematic warm-started attempts (followers by attempt: rest-to-rest
 *   re-timed fit, waypoint tracker along the kinematic path, uniform fit, …) sharing 600 steps, then
 *   the cold start as a last attempt (300 reserved steps); 900 steps in total;
 * - `cold start (previous defaults)`: the paper's plain method as the first release ran it
 *   (θ ~ 0.1·N(0, 1), Adam lr 0.1, τ₀ = 0.3, one attempt, 300 steps);
 * - full profile only, ablations: `previous warm start (fit, 600 steps)` (the warm start of
 *   086859c: uniform re-timing + fit on every attempt, no cold-start attempt), `warm start only`
 *   (the default without its cold-start attempt) and `cold start + restarts`;
 * - `waypoint tracker (certificate)`: follows the task's hand-given waypoints (not a planner; it
 *   shows each task is feasible under each system and bound).
 *
 * Tasks: the suite's 13 tasks; the full profile adds held-out variants (`suiteVariant`: the tasks
 * mirrored/rotated on the unit square, 10 more steps), on which nothing was tuned.
 *
 * Success = the planner's plan is accepted by the automaton AND its controls, replayed through
 * the float64 dynamics, give an accepted trajectory (plans found in float32 may sit on a region
 * boundary).
 * @module
 */
import { type BenchContext, type BenchRecord, type Experiment, recordValues, selectRecords } from '@descent/tensor';
import {
  type AutomatonPlanOptions,
  type Dynamics,
  type SuiteTask,
  type SuiteTaskName,
  SUITE_TASKS,
  SUITE_TRANSFORMS,
  type SuiteTransform,
  planOpenLoop,
  suiteStart,
  suiteSystems,
  suiteTask,
  suiteVariant,
  trackWaypoints,
} from '../src/index';

export const DEFAULT = 'planOpenLoop (defaults)';
export const COLD = 'cold start (previous defaults)';
const COLD_RESTARTS = 'cold start + restarts';
const PREVIOUS = 'previous warm start (fit, 600 steps)';
const WARM_ONLY = 'warm start only (no cold-start attempt)';
const TRACKER = 'waypoint tracker (certificate)';

type Base = Pick<AutomatonPlanOptions, 'automaton' | 'dynamics' | 'x0' | 'horizon' | 'uMax' | 'seed'>;
type Planned = { controls: number[][]; states: number[][]; accepted: boolean; evaluations: number };

const PLANNERS: Record<string, (b: Base, task: SuiteTask) => Planned> = {
  [DEFAULT]: (b) => planOpenLoop(b),
  [COLD]: (b) =>
    planOpenLoop({ ...b, init: 'random', restarts: 1, learningRate: 0.1, tau0: 0.3, maxSteps: 300 }),
  [COLD_RESTARTS]: (b) => planOpenLoop({ ...b, init: 'random', maxSteps: 600 }),
  [PREVIOUS]: (b) =>
    planOpenLoop({ ...b, maxSteps: 600, coldStartSteps: 0, warmStart: { follow: 'fit', profile: 'uniform' } }),
  [WARM_ONLY]: (b) => planOpenLoop({ ...b, maxSteps: 600, coldStartSteps: 0 }),
  [TRACKER]: (b, task) => {
    const r = trackWaypoints({
      dynamics: b.dynamics,
      x0: b.x0,
      waypoints: task.waypoints,
      horizon: b.horizon,
      uMax: b.uMax,
    });
    return { ...r, accepted: task.automaton.accepts(r.states), evaluations: 0 };
  },
};

/** Tasks, held-out variants and methods per profile (the quick profile: one task of each kind). */
const PROFILE: Record<
  'quick' | 'full',
  { tasks: SuiteTaskName[]; variants: [SuiteTaskName, SuiteTransform][]; methods: string[] }
> = {
  quick: {
    tasks: ['reach-avoid', 'sequence-3', 'patrol-ab'],
    variants: [],
    methods: [DEFAULT, COLD, TRACKER],
  },
  full: {
    tasks: SUITE_TASKS,
    variants: SUITE_TASKS.map((t, i) => [t, SUITE_TRANSFORMS[i % SUITE_TRANSFORMS.length]]),
    methods: [DEFAULT, COLD, PREVIOUS, WARM_ONLY, COLD_RESTARTS, TRACKER],
  },
};

/** Replays controls through the float64 dynamics. */
function replay(dynamics: Dynamics, x0: number[], controls: number[][]): number[][] {
  const states = [x0];
  for (let t = 0; t < controls.length; t++)
    states.push(Array.from(dynamics.stepValue(states[t], controls[t], t)));
  return states;
}

/** Largest distance of a state outside the unit square (0 when every position is inside). */
function excursion(states: number[][]): number {
  let out = 0;
  for (const s of states) out = Math.max(out, -s[0], s[0] - 1, -s[1], s[1] - 1);
  return Math.max(0, out);
}

function runSuite(ctx: BenchContext): BenchRecord[] {
  const { tasks, variants, methods } = PROFILE[ctx.profile];
  const systems = suiteSystems();
  const out: BenchRecord[] = [];
  const all: [SuiteTask, boolean][] = [
    ...tasks.map((t): [SuiteTask, boolean] => [suiteTask(t), false]),
    ...variants.map(([t, tr]): [SuiteTask, boolean] => [suiteVariant(t, tr), true]),
  ];
  const total = systems.length * all.length * methods.length;
  let k = 0;
  for (const sys of systems) {
    for (const [task, heldOut] of all) {
      const name = task.name;
      const x0 = suiteStart(task, sys.dynamics);
      for (const method of methods) {
        ctx.progress(k++ / total, `${sys.name} ${name} ${method}`);
        const start = performance.now();
        const r = PLANNERS[method](
          {
            automaton: task.automaton,
            dynamics: sys.dynamics,
            x0,
            horizon: task.horizon,
            uMax: sys.uMax,
            seed: ctx.seed,
          },
          task,
        );
        const ms = performance.now() - start;
        const ok =
          r.accepted &&
          task.automaton.accepts(r.states) &&
          task.automaton.accepts(replay(sys.dynamics, x0, r.controls));
        const params = { system: sys.name, task: name, kind: task.kind, heldOut };
        out.push({ method, metric: 'success', value: Number(ok), params });
        out.push({ method, metric: 'steps', value: r.evaluations, params });
        out.push({ method, metric: 'ms', value: ms, params, unit: 'ms' });
        if (!ok)
          out.push({ method, metric: 'excursion of failed plans', value: excursion(r.states), params });
      }
    }
  }
  ctx.progress(1, 'done');
  return out;
}

/** Success rate of `method` per system (and kind, when given) over the records. */
export function successRate(
  records: BenchRecord[],
  method: string,
  system: string,
  kind?: string,
): [number, number] {
  const s = recordValues(records, {
    method,
    metric: 'success',
    params: kind === undefined ? { system } : { system, kind },
  });
  return [s.reduce((a, v) => a + v, 0), s.length];
}

export const suiteExperiment: Experiment = {
  name: 'automata-grad-suite',
  paper: 'Balakrishnan, Atasever, Deshmukh 2024, arXiv:2410.11156 (issue 16: second-order dynamics)',
  claim:
    'The open-loop planner solves reach-avoid, ordered-sequence and patrol tasks under single-integrator, double-integrator and unicycle dynamics (success rate per dynamics model ≥ 0.8, and on no task does the plain cold-start method succeed where the default fails), on a suite (plus held-out mirrored/rotated variants in the full profile) whose every task a waypoint tracker certifies as feasible.',
  seeds: { quick: 1, full: 3 },
  run: runSuite,
  verdict(records) {
    const systems = [...new Set(records.map((r) => String(r.params?.system)))];
    const parts: string[] = [];
    let ok = true;
    for (const sys of systems) {
      const [a, n] = successRate(records, DEFAULT, sys);
      const [c, m] = successRate(records, COLD, sys);
      ok &&= a / n >= 0.8;
      const kinds = ['reachAvoid', 'sequence', 'patrol']
        .map((kind) => {
          const [x, y] = successRate(records, DEFAULT, sys, kind);
          return y ? `${kind} ${x}/${y}` : '';
        })
        .filter(Boolean)
        .join(', ');
      parts.push(`${sys} ${a}/${n} (${kinds}) vs cold ${c}/${m}`);
    }
    // never below the cold start on a task: (system, task, seed) where cold succeeded and the default failed
    const key = (r: BenchRecord) => `${r.params?.system}|${r.params?.task}|${r.seed ?? 0}`;
    const defaultOk = new Map(
      selectRecords(records, { method: DEFAULT, metric: 'success' }).map((r) => [key(r), r.value]),
    );
    const losses = selectRecords(records, { method: COLD, metric: 'success' }).filter(
      (r) => r.value === 1 && defaultOk.get(key(r)) === 0,
    );
    ok &&= losses.length === 0;
    parts.push(
      `tasks where the cold start succeeds and the default fails: ${losses.length}${losses.length ? ` (${losses.map(key).join(', ')})` : ''}`,
    );
    const [t, tn] = systems.reduce(
      ([x, y], s) => {
        const [a, n] = successRate(records, TRACKER, s);
        return [x + a, y + n];
      },
      [0, 0],
    );
    return `${ok ? 'PASS' : 'FAIL'}: success per dynamics, planOpenLoop vs cold start: ${parts.join('; ')}; waypoint tracker ${t}/${tn}`;
  },
};
