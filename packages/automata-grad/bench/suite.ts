/**
 * The `automata-grad-suite` experiment (issue 16): success rate of the planners per dynamics model
 * on the task suite (`SUITE_TASKS`: reach-avoid, ordered-sequence and patrol tasks) under the
 * single integrator, the double integrator and the unicycle (`suiteSystems()`).
 *
 * Methods:
 * - `planOpenLoop (defaults)`: kinematic warm start, 4 restarts, 600 iterations in total;
 * - `cold start (previous defaults)`: the previous release's defaults, i.e. the paper's plain
 *   method (θ ~ 0.1·N(0, 1), Adam lr 0.1, τ₀ = 0.3, one attempt, 300 iterations);
 * - full profile only, ablations: `cold start + restarts` (random init, 4 restarts, 600
 *   iterations, the dynamics-scaled learning rate, τ₀ = 1) and `warm start, 1 attempt`;
 * - `waypoint tracker (certificate)`: follows the task's hand-given waypoints (not a planner; it
 *   shows each task is feasible under each system and bound).
 *
 * Success = the planner's plan is accepted by the automaton AND its controls, replayed through
 * the float64 dynamics, give an accepted trajectory (plans found in float32 may sit on a region
 * boundary).
 * @module
 */
import { type BenchContext, type BenchRecord, type Experiment, recordValues } from '@descent/tensor';
import {
  type AutomatonPlanOptions,
  type Dynamics,
  type SuiteTask,
  type SuiteTaskName,
  SUITE_TASKS,
  planOpenLoop,
  suiteStart,
  suiteSystems,
  suiteTask,
  trackWaypoints,
} from '../src/index';

export const DEFAULT = 'planOpenLoop (defaults)';
export const COLD = 'cold start (previous defaults)';
const COLD_RESTARTS = 'cold start + restarts';
const WARM_ONE = 'warm start, 1 attempt';
const TRACKER = 'waypoint tracker (certificate)';

type Base = Pick<AutomatonPlanOptions, 'automaton' | 'dynamics' | 'x0' | 'horizon' | 'uMax' | 'seed'>;
type Planned = { controls: number[][]; states: number[][]; accepted: boolean; evaluations: number };

const PLANNERS: Record<string, (b: Base, task: SuiteTask) => Planned> = {
  [DEFAULT]: (b) => planOpenLoop(b),
  [COLD]: (b) =>
    planOpenLoop({ ...b, init: 'random', restarts: 1, learningRate: 0.1, tau0: 0.3, maxSteps: 300 }),
  [COLD_RESTARTS]: (b) => planOpenLoop({ ...b, init: 'random' }),
  [WARM_ONE]: (b) => planOpenLoop({ ...b, restarts: 1 }),
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

/** Tasks and methods per profile (the quick profile: one task of each kind). */
const PROFILE = {
  quick: {
    tasks: ['reach-avoid', 'sequence-3', 'patrol-ab'] as SuiteTaskName[],
    methods: [DEFAULT, COLD, TRACKER],
  },
  full: { tasks: SUITE_TASKS, methods: [DEFAULT, COLD, COLD_RESTARTS, WARM_ONE, TRACKER] },
} as const;

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
  const { tasks, methods } = PROFILE[ctx.profile];
  const systems = suiteSystems();
  const out: BenchRecord[] = [];
  const total = systems.length * tasks.length * methods.length;
  let k = 0;
  for (const sys of systems) {
    for (const name of tasks) {
      const task = suiteTask(name);
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
        const params = { system: sys.name, task: name, kind: task.kind };
        out.push({ method, metric: 'success', value: Number(ok), params });
        out.push({ method, metric: 'iterations', value: r.evaluations, params });
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
    'The open-loop planner solves reach-avoid, ordered-sequence and patrol tasks under single-integrator, double-integrator and unicycle dynamics (success rate per dynamics model ≥ 0.8, and never below the plain cold-start method), on a suite whose every task a waypoint tracker certifies as feasible.',
  seeds: { quick: 1, full: 3 },
  run: runSuite,
  verdict(records) {
    const systems = [...new Set(records.map((r) => String(r.params?.system)))];
    const parts: string[] = [];
    let ok = true;
    for (const sys of systems) {
      const [a, n] = successRate(records, DEFAULT, sys);
      const [c, m] = successRate(records, COLD, sys);
      ok &&= a / n >= 0.8 && a / n >= c / m;
      const kinds = ['reachAvoid', 'sequence', 'patrol']
        .map((kind) => {
          const [x, y] = successRate(records, DEFAULT, sys, kind);
          return y ? `${kind} ${x}/${y}` : '';
        })
        .filter(Boolean)
        .join(', ');
      parts.push(`${sys} ${a}/${n} (${kinds}) vs cold ${c}/${m}`);
    }
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
