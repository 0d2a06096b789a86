/**
 * Composition `automata-stein-es`: several diverse motion plans for one temporal task, by
 * handing the automaton score of @descent/automata-grad (`controlObjective`, a float64
 * black-box cost of the flat control vector) to SV-CMA-ES from @descent/stein-es, next to α = 0
 * (independent multi-start CMA-ES at the same budget) and the gradient planner `planOpenLoop`
 * with P random restarts.
 *
 * Cost: the max-min score with signed guard weights (`semiring: 'maxMin'`), i.e. minus the
 * best run's worst-step margin; a plan is accepted when its margin is ≥ 0 (checked exactly with
 * `automaton.accepts`). Unlike the max-plus violation score (0 on the whole accepted set, so each
 * population returns its first, noisy, accepted sample), the margin keeps improving after
 * acceptance, so populations converge towards robust plans and collapse onto the same route
 * unless something keeps them apart: that is what the repulsion is for.
 *
 * Task: "reach the goal b and stay there, never touching the obstacle",
 * `F(G(b)) & G(!obstacle)` on the unit square, from (0.15, 0.15), single integrator (Δt = 0.1,
 * |u| ≤ 1), horizon T = 20 (40 control variables). The obstacle sits on the straight line, so
 * plans go around it on the left (above the diagonal) or on the right (below); "stay there"
 * pins the end of every plan, so trajectories can be compared state by state.
 *
 * Distinct plans: accepted trajectories x₀…x_T are linked when their mean state distance
 * (1/(T+1))·Σ_t ‖x_t − x'_t‖ is below {@link DISTINCT_DISTANCE} = 0.2 (the width of the goal box,
 * a fifth of the workspace); the number of distinct plans is the number of connected components
 * (single-linkage, so the count does not depend on the order). The count at 0.1 is also
 * recorded: there, the step-to-step jitter of black-box plans (the margin depends on the worst
 * step only, so the other controls stay noisy) already makes almost every plan distinct. Homotopy classes: the side of the obstacle where the
 * trajectory first crosses the anti-diagonal x + y = 1 (at most 2).
 * @module
 */
import {
  compile,
  controlObjective,
  fromLtlf,
  planOpenLoop,
  regions,
  singleIntegrator,
  trajectorySvg,
} from '@descent/automata-grad';
import { SVCMAES } from '@descent/stein-es';
import { type BenchContext, type BenchRecord, type Experiment, median } from '@descent/tensor';

/** Mean state distance below which two accepted trajectories count as the same plan. */
export const DISTINCT_DISTANCE = 0.2;
const FINE_DISTANCE = 0.1;

const FORMULA = 'F(G(b)) & G(!obstacle)';
const START = [0.15, 0.15];
const HORIZON = 20;
const P = 8;
const LAMBDA = 8;
const BUDGET = 5000;
const SIGMA0 = 0.3;
const INIT_STD = 0.01;
const GRAD_ITERS = { quick: 100, full: 150 } as const;

const SV = 'SV-CMA-ES (α=1)';
const FREE = 'multi-start CMA-ES (α=0)';
const GRAD = 'gradient planner (restarts)';

type Trajectory = number[][];

const SHORT: Record<string, string> = { [SV]: 'SV-CMA-ES', [FREE]: 'CMA-ES α=0', [GRAD]: 'gradient' };

/** Mean over time of the Euclidean distance between the positions of two equally long trajectories. */
function meanDistance(a: Trajectory, b: Trajectory): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += Math.hypot(a[t][0] - b[t][0], a[t][1] - b[t][1]);
  return s / a.length;
}

/** Number of single-linkage clusters of the trajectories at the distance threshold. */
function distinctCount(trs: Trajectory[], threshold: number): number {
  const parent = trs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i];
    return i;
  };
  for (let i = 0; i < trs.length; i++)
    for (let j = 0; j < i; j++) if (meanDistance(trs[i], trs[j]) < threshold) parent[find(i)] = find(j);
  return new Set(trs.map((_, i) => find(i))).size;
}

/** Side of the obstacle at the first crossing of x + y = 1: 'left' (y > x) or 'right'. */
function side(tr: Trajectory): 'left' | 'right' | 'none' {
  for (const x of tr) if (x[0] + x[1] >= 1) return x[1] > x[0] ? 'left' : 'right';
  return 'none';
}

interface MethodResult {
  method: string;
  /** Accepted trajectories. */
  plans: Trajectory[];
  /** Best max-plus violation score W (0 iff accepted) and best max-min margin over the returned plans. */
  bestHardScore: number;
  bestMargin: number;
  objectiveCalls?: number;
  gradientCalls?: number;
  ms: number;
}

/** The task, the system and the two exact scores, built once. */
function makeProblem() {
  const { b, obstacle } = regions;
  const automaton = fromLtlf(FORMULA, { b, obstacle });
  const dynamics = singleIntegrator({ dt: 0.1 });
  const hard = compile(automaton, 'maxPlus');
  const margin = compile(automaton, 'maxMin', { weightFn: 'signed' });
  return { automaton, dynamics, hard, margin };
}

let built: ReturnType<typeof makeProblem> | undefined;
const problem = () => {
  built ??= makeProblem();
  return built;
};

/** Accepted plans and best scores of the trajectories a method returns (one per population/restart). */
function summarise(trs: Trajectory[]): Pick<MethodResult, 'plans' | 'bestHardScore' | 'bestMargin'> {
  const { automaton, hard, margin } = problem();
  return {
    plans: trs.filter((tr) => automaton.accepts(tr)),
    bestHardScore: Math.max(...trs.map((tr) => hard.scoreValue(tr))),
    bestMargin: Math.max(...trs.map((tr) => margin.scoreValue(tr))),
  };
}

/** The trajectory of a flat control vector, clipped to |u| ≤ 1 as `controlObjective` does. */
function rollout(u: ArrayLike<number>): Trajectory {
  const { dynamics } = problem();
  const xs: Trajectory = [START.slice()];
  const ut = new Float64Array(2);
  for (let t = 0; t < HORIZON; t++) {
    for (let i = 0; i < 2; i++) ut[i] = Math.max(-1, Math.min(1, u[2 * t + i]));
    xs.push(Array.from(dynamics.stepValue(xs[t], ut, t)));
  }
  return xs;
}

function runEs(alpha: number, ctx: BenchContext): MethodResult {
  const { automaton, dynamics } = problem();
  const cost = controlObjective({ automaton, dynamics, x0: START, horizon: HORIZON, semiring: 'maxMin' });
  // the same initial means for both α: all near u = 0, so diversity must come from the search
  const means0 = Array.from({ length: P }, (_, i) =>
    ctx.rng.fold('means0', i).normalArray(2 * HORIZON, 0, INIT_STD),
  );
  const t0 = performance.now();
  const es = new SVCMAES({
    means0,
    popSize: LAMBDA,
    sigma0: SIGMA0,
    alpha,
    kernel: { type: 'rbf', bandwidth: 'median' },
    seed: ctx.seed,
    maxEvals: BUDGET,
  });
  while (!es.stop()) {
    const xs = es.ask();
    es.tell(xs, xs.map(cost));
  }
  const ms = performance.now() - t0;
  const returned = es.populationBestX.filter((x): x is Float64Array => x !== null).map(rollout);
  return { method: alpha > 0 ? SV : FREE, ...summarise(returned), objectiveCalls: es.evaluations, ms };
}

function runGradient(ctx: BenchContext): MethodResult {
  const { automaton, dynamics } = problem();
  const returned: Trajectory[] = [];
  let gradientCalls = 0;
  let ms = 0;
  const base = ctx.rng.fold('restarts').int(1_000_000);
  for (let i = 0; i < P; i++) {
    ctx.progress(0.2 + (0.8 * i) / P, `gradient restart ${i + 1}/${P}`);
    const r = planOpenLoop({
      automaton,
      dynamics,
      x0: START,
      horizon: HORIZON,
      maxSteps: GRAD_ITERS[ctx.profile],
      seed: base + i,
    });
    gradientCalls += r.evaluations;
    ms += r.timeMs;
    returned.push(r.states);
  }
  return { method: GRAD, ...summarise(returned), gradientCalls, ms };
}

function records(r: MethodResult): BenchRecord[] {
  const out: BenchRecord[] = [
    { method: r.method, metric: `accepted plans (of ${P})`, value: r.plans.length },
    {
      method: r.method,
      metric: `distinct accepted plans (d < ${DISTINCT_DISTANCE})`,
      value: distinctCount(r.plans, DISTINCT_DISTANCE),
    },
    {
      method: r.method,
      metric: `distinct accepted plans (d < ${FINE_DISTANCE})`,
      value: distinctCount(r.plans, FINE_DISTANCE),
    },
    {
      method: r.method,
      metric: 'homotopy classes (of 2)',
      value: new Set(r.plans.map(side).filter((s) => s !== 'none')).size,
    },
    { method: r.method, metric: 'best hard score (max-plus W)', value: r.bestHardScore },
    { method: r.method, metric: 'best margin (max-min W)', value: r.bestMargin },
    { method: r.method, metric: 'wall time', value: r.ms, unit: 'ms' },
  ];
  if (r.objectiveCalls !== undefined)
    out.push({ method: r.method, metric: 'objective calls', value: r.objectiveCalls });
  if (r.gradientCalls !== undefined)
    out.push({ method: r.method, metric: 'gradient calls', value: r.gradientCalls });
  return out;
}

/** Three panels side by side, one per method, each drawn by `trajectorySvg`. */
function figure(results: MethodResult[], seed: number): string {
  const panels = results.map((r) =>
    trajectorySvg({
      regions: [regions.obstacle, regions.b],
      trajectories: r.plans.map((states, i) => ({ label: `plan ${i + 1} (${side(states)})`, states })),
      bounds: [-0.25, 1.25, -0.25, 1.25],
      size: 320,
      title: `${SHORT[r.method]}: ${r.plans.length} accepted, ${distinctCount(r.plans, DISTINCT_DISTANCE)} distinct`,
    }),
  );
  const size = (svg: string, key: 'width' | 'height') =>
    Number(new RegExp(`${key}="(\\d+)"`).exec(svg)?.[1] ?? 0);
  const width = panels.reduce((a, s) => a + size(s, 'width'), 0);
  const height = Math.max(...panels.map((s) => size(s, 'height'))) + 24;
  let x = 0;
  const body = panels.map((s) => {
    const placed = s.replace('<svg ', `<svg x="${x}" y="24" `);
    x += size(s, 'width');
    return placed;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${FORMULA.replace('&', '&amp;')}, T = ${HORIZON}, seed ${seed}: accepted plans (dot = start)</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

let figureSeed: number | undefined;

/** The composition experiment (registered in `apps/bench/src/registry.ts`). */
export const automataSteinEs: Experiment = {
  name: 'automata-stein-es',
  paper:
    'Balakrishnan, Atasever, Deshmukh 2024, arXiv:2410.11156 × Braun, Lange, Toussaint 2024, arXiv:2410.10390',
  claim: `With the automaton's max-min margin as a black-box cost of the ${2 * HORIZON} controls (task ${FORMULA}, reach b around a central obstacle and stay), SV-CMA-ES (P = ${P}, λ = ${LAMBDA}) returns more distinct accepted plans (mean state distance ≥ ${DISTINCT_DISTANCE}) than α = 0 (independent CMA-ES) at the same budget of ${BUDGET} evaluations; the gradient planner with ${P} random restarts is shown for reference.`,
  seeds: { quick: 2, full: 5 },
  run(ctx) {
    figureSeed ??= ctx.seed;
    ctx.progress(0, SV);
    const sv = runEs(1, ctx);
    ctx.progress(0.1, FREE);
    const free = runEs(0, ctx);
    const grad = runGradient(ctx);
    ctx.progress(1, 'done');
    const results = [sv, free, grad];
    if (ctx.seed === figureSeed) ctx.artifact('plans.svg', figure(results, ctx.seed));
    return results.flatMap(records);
  },
  verdict(recs) {
    const metric = `distinct accepted plans (d < ${DISTINCT_DISTANCE})`;
    const med = (method: string, m: string) =>
      median(recs.filter((r) => r.method === method && r.metric === m).map((r) => r.value));
    const sv = med(SV, metric);
    const free = med(FREE, metric);
    const grad = med(GRAD, metric);
    const acc = (m: string) => med(m, `accepted plans (of ${P})`);
    const cls = (m: string) => med(m, 'homotopy classes (of 2)');
    return (
      `${sv > free ? 'PASS' : 'FAIL'}: median distinct accepted plans (mean state distance ≥ ${DISTINCT_DISTANCE}) ` +
      `SV-CMA-ES ${sv} vs α=0 ${free} at ${BUDGET} objective calls, gradient restarts ${grad}; ` +
      `accepted ${acc(SV)} / ${acc(FREE)} / ${acc(GRAD)} of ${P}; homotopy classes ${cls(SV)} / ${cls(FREE)} / ${cls(GRAD)}`
    );
  },
};
