/**
 * Composition `automata-suite-stein-es` (issue 16): @descent/stein-es on @descent/automata-grad's
 * task suite, per dynamics model. The automaton score of a task is a float64 black-box cost of
 * the flat control vector (`controlObjective`: the max-plus violation, 0 iff accepted); SV-CMA-ES
 * (P = 4 populations of λ = 8, α = 1, median-heuristic kernel, ftarget 0) minimises it within a
 * budget of objective calls. Two methods per task:
 * - `SV-CMA-ES`: success if some population's best plan is accepted (exactly, float64);
 * - `SV-CMA-ES → gradient refine`: the best plan found (accepted or not) seeds `planOpenLoop`
 *   (`initialControls`, one attempt of 300 iterations): black-box search as the initialiser of
 *   the gradient planner.
 * The gradient planner on its own is the package's experiment `automata-grad-suite`.
 * @module
 */
import {
  type SuiteTaskName,
  SUITE_TASKS,
  controlObjective,
  planOpenLoop,
  suiteStart,
  suiteSystems,
  suiteTask,
} from '@descent/automata-grad';
import { SVCMAES } from '@descent/stein-es';
import { type BenchRecord, type Experiment, recordValues } from '@descent/tensor';

const ES = 'SV-CMA-ES';
const REFINE = 'SV-CMA-ES → gradient refine';
const P = 4;
const LAMBDA = 8;
const SIGMA0 = 0.5;
const PROFILE = {
  quick: { tasks: ['reach-avoid', 'sequence-3', 'patrol-ab'] as SuiteTaskName[], budget: 1500 },
  full: { tasks: SUITE_TASKS, budget: 4000 },
} as const;

/** The composition experiment (registered in `apps/bench/src/registry.ts`). */
export const automataSuiteSteinEs: Experiment = {
  name: 'automata-suite-stein-es',
  paper:
    'Balakrishnan, Atasever, Deshmukh 2024, arXiv:2410.11156 × Braun, Lange, Toussaint 2024, arXiv:2410.10390',
  claim:
    'On the automata-grad task suite (reach-avoid, sequence, patrol; single integrator, double integrator, unicycle), SV-CMA-ES on the black-box automaton cost finds accepted plans, and its best plan is a usable initialisation of the gradient planner: success rates per dynamics model (compare with automata-grad-suite).',
  seeds: { quick: 1, full: 2 },
  run(ctx) {
    const { tasks, budget } = PROFILE[ctx.profile];
    const systems = suiteSystems();
    const out: BenchRecord[] = [];
    let k = 0;
    for (const sys of systems) {
      const m = sys.dynamics.controlDim;
      const bound = Array.from({ length: m }, (_, i) =>
        typeof sys.uMax === 'number' ? sys.uMax : sys.uMax[i],
      );
      for (const name of tasks) {
        ctx.progress(k++ / (systems.length * tasks.length), `${sys.name} ${name}`);
        const task = suiteTask(name);
        const x0 = suiteStart(task, sys.dynamics);
        const T = task.horizon;
        const cost = controlObjective({
          automaton: task.automaton,
          dynamics: sys.dynamics,
          x0,
          horizon: T,
          uMax: sys.uMax,
        });
        const lower = Array.from({ length: T * m }, (_, j) => -0.5 * bound[j % m]);
        const upper = lower.map((v) => -v);
        const params = { system: sys.name, task: name, kind: task.kind };
        const t0 = performance.now();
        const es = new SVCMAES({
          means0: { lower, upper, count: P },
          popSize: LAMBDA,
          sigma0: SIGMA0,
          kernel: { type: 'rbf', bandwidth: 'median' },
          seed: ctx.rng.fold('es', sys.name, name).int(2 ** 31),
          maxEvals: budget,
          ftarget: 0,
        });
        while (!es.stop()) {
          const xs = es.ask();
          es.tell(xs, xs.map(cost));
        }
        const esMs = performance.now() - t0;
        const fs = Array.from(es.populationBestF);
        const best = fs.indexOf(Math.min(...fs));
        const bx = es.populationBestX[best];
        const esOk = fs[best] === 0;
        out.push({ method: ES, metric: 'success', value: Number(esOk), params });
        out.push({ method: ES, metric: 'objective calls', value: es.evaluations, params });
        out.push({ method: ES, metric: 'ms', value: esMs, params, unit: 'ms' });
        // the best plan (clipped inside the bound, as tanh needs) seeds one gradient attempt
        const controls = Array.from({ length: T }, (_, t) =>
          Array.from({ length: m }, (_, i) => {
            const v = bx === null ? 0 : bx[t * m + i];
            return Math.max(-0.98 * bound[i], Math.min(0.98 * bound[i], v));
          }),
        );
        const t1 = performance.now();
        const r = esOk
          ? null
          : planOpenLoop({
              automaton: task.automaton,
              dynamics: sys.dynamics,
              x0,
              horizon: T,
              uMax: sys.uMax,
              initialControls: controls,
              maxSteps: 300,
              seed: ctx.seed,
            });
        const ok = esOk || (r !== null && r.accepted && task.automaton.accepts(r.states));
        out.push({ method: REFINE, metric: 'success', value: Number(ok), params });
        out.push({ method: REFINE, metric: 'ms', value: esMs + performance.now() - t1, params, unit: 'ms' });
      }
    }
    ctx.progress(1, 'done');
    return out;
  },
  verdict(records) {
    const systems = [...new Set(records.map((r) => String(r.params?.system)))];
    const rate = (method: string, sys: string) => {
      const s = recordValues(records, { method, metric: 'success', params: { system: sys } });
      return `${s.reduce((a, v) => a + v, 0)}/${s.length}`;
    };
    return `INFO: success per dynamics, ${ES} / ${REFINE}: ${systems
      .map((s) => `${s} ${rate(ES, s)} / ${rate(REFINE, s)}`)
      .join('; ')}`;
  },
};
