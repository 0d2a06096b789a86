/**
 * The planning task suite: reach-avoid, ordered-sequence and patrol tasks on the unit square
 * (obstacles, walls, a narrow passage, an until constraint, reach-and-stay, a bounded workspace),
 * each with a horizon and an obstacle-free waypoint polyline. The waypoints are a *feasibility
 * certificate* only ({@link trackWaypoints} follows them and the automaton accepts the result for
 * every dynamics model of the suite); the planners never read them.
 * @module
 */
import { ValueError, describe, readEnum } from '@descent/tensor';
import type { SymbolicAutomaton } from './automaton';
import { type Dynamics, doubleIntegrator, singleIntegrator, unicycle } from './dynamics';
import { fromLtlf } from './ltlf';
import { type Predicate, box } from './predicate';

/** The three task types the suite spans. */
export type TaskKind = 'reachAvoid' | 'sequence' | 'patrol';

/** A task of the suite. */
export interface SuiteTask {
  /** Suite name, e.g. `'sequence-3'`. */
  readonly name: string;
  readonly kind: TaskKind;
  /** LTLf formula over the predicate names (parsed by {@link fromLtlf}). */
  readonly formula: string;
  readonly predicates: Readonly<Record<string, Predicate>>;
  readonly automaton: SymbolicAutomaton;
  /** Start position (x, y); padded with zeros (velocity, heading) for higher-order systems. */
  readonly start: readonly [number, number];
  /** Control steps T (Δt = 0.1, |u| ≤ 1): the waypoint tracker is accepted within it for every suite dynamics. */
  readonly horizon: number;
  /** Obstacle-free waypoints (x, y) visiting the goals in order (certificate, not a planner input). */
  readonly waypoints: readonly (readonly [number, number])[];
}

/** The regions the suite's tasks use (boxes on and around the unit square). */
export const suiteRegions = {
  obstacle: box([0.35, 0.35], [0.65, 0.65], { name: 'obstacle' }),
  a: box([0.75, 0.05], [0.95, 0.25], { name: 'a' }),
  b: box([0.75, 0.75], [0.95, 0.95], { name: 'b' }),
  c: box([0.05, 0.75], [0.25, 0.95], { name: 'c' }),
  d: box([0.05, 0.4], [0.25, 0.6], { name: 'd' }),
  /** A wall from below the square up to y = 0.7, between x = 0.45 and 0.55. */
  wall: box([0.45, -1], [0.55, 0.7], { name: 'wall' }),
  /** Two blocks leaving a passage 0.15 wide at 0.45 < y < 0.6. */
  lower: box([0.4, -1], [0.6, 0.45], { name: 'lower' }),
  upper: box([0.4, 0.6], [0.6, 2], { name: 'upper' }),
  goal: box([0.8, 0.4], [0.95, 0.6], { name: 'goal' }),
  /** The workspace [−0.05, 1.05]² (the bounded tasks keep every state inside it). */
  workspace: box([-0.05, -0.05], [1.05, 1.05], { name: 'workspace' }),
};

interface Spec {
  kind: TaskKind;
  formula: string;
  regions: (keyof typeof suiteRegions)[];
  start: [number, number];
  horizon: number;
  waypoints: [number, number][];
}

const SPECS = {
  'reach-avoid': {
    kind: 'reachAvoid',
    formula: 'F(b) & G(!obstacle)',
    regions: ['b', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 50,
    waypoints: [
      [0.75, 0.22],
      [0.85, 0.85],
    ],
  },
  'reach-avoid-wall': {
    kind: 'reachAvoid',
    formula: 'F(a) & G(!wall)',
    regions: ['a', 'wall'],
    start: [0.15, 0.15],
    horizon: 60,
    waypoints: [
      [0.4, 0.82],
      [0.6, 0.82],
      [0.85, 0.15],
    ],
  },
  'reach-avoid-passage': {
    kind: 'reachAvoid',
    formula: 'F(goal) & G(!lower & !upper)',
    regions: ['goal', 'lower', 'upper'],
    start: [0.15, 0.5],
    horizon: 50,
    waypoints: [
      [0.32, 0.525],
      [0.68, 0.525],
      [0.875, 0.5],
    ],
  },
  'reach-and-stay': {
    kind: 'reachAvoid',
    formula: 'F(G(b)) & G(!obstacle)',
    regions: ['b', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 60,
    waypoints: [
      [0.75, 0.22],
      [0.85, 0.85],
    ],
  },
  'sequence-2': {
    kind: 'sequence',
    formula: 'F(a & F(c)) & G(!obstacle)',
    regions: ['a', 'c', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 60,
    waypoints: [
      [0.85, 0.15],
      [0.78, 0.78],
      [0.15, 0.85],
    ],
  },
  'sequence-3': {
    kind: 'sequence',
    formula: 'F(a & F(b & F(c))) & G(!obstacle)',
    regions: ['a', 'b', 'c', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 60,
    waypoints: [
      [0.85, 0.15],
      [0.85, 0.85],
      [0.15, 0.85],
    ],
  },
  'sequence-4': {
    kind: 'sequence',
    formula: 'F(a & F(b & F(c & F(d)))) & G(!obstacle)',
    regions: ['a', 'b', 'c', 'd', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 80,
    waypoints: [
      [0.85, 0.15],
      [0.85, 0.85],
      [0.15, 0.85],
      [0.15, 0.5],
    ],
  },
  'sequence-wall': {
    kind: 'sequence',
    formula: 'F(b & F(a)) & G(!wall)',
    regions: ['a', 'b', 'wall'],
    start: [0.15, 0.15],
    horizon: 60,
    waypoints: [
      [0.4, 0.82],
      [0.85, 0.85],
      [0.85, 0.15],
    ],
  },
  'sequence-until': {
    kind: 'sequence',
    formula: '(!c U a) & F(c) & G(!obstacle)',
    regions: ['a', 'c', 'obstacle'],
    start: [0.15, 0.6],
    horizon: 80,
    waypoints: [
      [0.2, 0.25],
      [0.85, 0.15],
      [0.8, 0.8],
      [0.15, 0.85],
    ],
  },
  'sequence-bounded': {
    kind: 'sequence',
    formula: 'F(a & F(b & F(c))) & G(!obstacle & workspace)',
    regions: ['a', 'b', 'c', 'obstacle', 'workspace'],
    start: [0.15, 0.15],
    horizon: 70,
    waypoints: [
      [0.85, 0.15],
      [0.85, 0.85],
      [0.15, 0.85],
    ],
  },
  'patrol-ab': {
    kind: 'patrol',
    formula: 'F(a & F(b & F(a & F(b)))) & G(!obstacle)',
    regions: ['a', 'b', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 90,
    waypoints: [
      [0.85, 0.15],
      [0.85, 0.85],
      [0.85, 0.15],
      [0.85, 0.85],
    ],
  },
  'patrol-bc': {
    kind: 'patrol',
    formula: 'F(b & F(c & F(b & F(c)))) & G(!obstacle)',
    regions: ['b', 'c', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 100,
    waypoints: [
      [0.75, 0.22],
      [0.85, 0.85],
      [0.15, 0.85],
      [0.85, 0.85],
      [0.15, 0.85],
    ],
  },
  'patrol-ac': {
    kind: 'patrol',
    formula: 'F(a & F(c & F(a))) & G(!obstacle)',
    regions: ['a', 'c', 'obstacle'],
    start: [0.15, 0.15],
    horizon: 100,
    waypoints: [
      [0.85, 0.15],
      [0.78, 0.78],
      [0.15, 0.85],
      [0.78, 0.78],
      [0.85, 0.15],
    ],
  },
} satisfies Record<string, Spec>;

/** Names of the suite's tasks. */
export type SuiteTaskName = keyof typeof SPECS;

/** Every task of the suite, in a fixed order (4 reach-avoid, 6 sequence, 3 patrol). */
export const SUITE_TASKS = Object.keys(SPECS) as SuiteTaskName[];

/** A task of the suite by name (its automaton is built by {@link fromLtlf}). */
export function suiteTask(name: SuiteTaskName): SuiteTask {
  const spec: Spec | undefined = (SPECS as Record<string, Spec>)[name as string];
  if (spec === undefined) {
    throw new ValueError(`name must be one of ${SUITE_TASKS.join(', ')}, got ${describe(name)}`, 'name');
  }
  const predicates = Object.fromEntries(spec.regions.map((r) => [r, suiteRegions[r]]));
  return Object.freeze({
    name,
    kind: spec.kind,
    formula: spec.formula,
    predicates,
    automaton: fromLtlf(spec.formula, predicates),
    start: spec.start,
    horizon: spec.horizon,
    waypoints: spec.waypoints,
  });
}

/**
 * Symmetries of the unit square, used to make held-out variants of the suite's tasks (other
 * goal positions, obstacles and start; the unicycle still starts facing +x, so its turning
 * problem changes too).
 */
export const SUITE_TRANSFORMS = [
  'mirrorX',
  'mirrorY',
  'transpose',
  'antiTranspose',
  'rotate90',
  'rotate180',
  'rotate270',
] as const;

/** One of {@link SUITE_TRANSFORMS}. */
export type SuiteTransform = (typeof SUITE_TRANSFORMS)[number];

/** Extra control steps of a held-out variant (a unicycle that starts facing away from its goals turns for ≈ 10 steps). */
export const VARIANT_EXTRA_STEPS = 10;

function mapPoint(transform: SuiteTransform, x: number, y: number): [number, number] {
  switch (transform) {
    case 'mirrorX':
      return [1 - x, y];
    case 'mirrorY':
      return [x, 1 - y];
    case 'transpose':
      return [y, x];
    case 'antiTranspose':
      return [1 - y, 1 - x];
    case 'rotate90':
      return [1 - y, x];
    case 'rotate180':
      return [1 - x, 1 - y];
    case 'rotate270':
      return [y, 1 - x];
  }
}

/**
 * A held-out variant of a suite task: its regions, start and waypoints mapped by a symmetry of
 * the unit square, the same formula, and {@link VARIANT_EXTRA_STEPS} more steps. The planners'
 * defaults were not tuned on these; the waypoint certificate is checked for them in the tests.
 */
export function suiteVariant(name: SuiteTaskName, transform: SuiteTransform): SuiteTask {
  const t = suiteTask(name);
  const tr = readEnum(transform, 'transform', SUITE_TRANSFORMS);
  const spec = (SPECS as Record<string, Spec>)[name as string];
  const predicates = Object.fromEntries(
    spec.regions.map((r) => {
      const shape = suiteRegions[r].shape as { lo: number[]; hi: number[] };
      const [ax, ay] = mapPoint(tr, shape.lo[0], shape.lo[1]);
      const [bx, by] = mapPoint(tr, shape.hi[0], shape.hi[1]);
      return [
        r,
        box([Math.min(ax, bx), Math.min(ay, by)], [Math.max(ax, bx), Math.max(ay, by)], { name: r }),
      ];
    }),
  );
  return Object.freeze({
    name: `${name}/${tr}`,
    kind: t.kind,
    formula: t.formula,
    predicates,
    automaton: fromLtlf(t.formula, predicates),
    start: mapPoint(tr, t.start[0], t.start[1]),
    horizon: t.horizon + VARIANT_EXTRA_STEPS,
    waypoints: t.waypoints.map(([x, y]) => mapPoint(tr, x, y)),
  });
}

/** A system of the suite with its control bound. */
export interface SuiteSystem {
  /** Short label: 'single integrator', 'double integrator', 'unicycle'. */
  readonly name: string;
  readonly dynamics: Dynamics;
  /** Control bound (unicycle: speed ≤ 1, turn rate ≤ 3 rad/s). */
  readonly uMax: number | readonly number[];
}

/** The suite's three systems (Δt = 0.1): single integrator and double integrator (|u_i| ≤ 1), unicycle (|v| ≤ 1, |ω| ≤ 3). */
export function suiteSystems(): SuiteSystem[] {
  return [
    { name: 'single integrator', dynamics: singleIntegrator(), uMax: 1 },
    { name: 'double integrator', dynamics: doubleIntegrator(), uMax: 1 },
    { name: 'unicycle', dynamics: unicycle(), uMax: [1, 3] },
  ];
}

/** The task's start position padded with zeros (velocity, heading) to the system's state dimension. */
export function suiteStart(task: SuiteTask, dynamics: Dynamics): number[] {
  if (task == null || typeof task !== 'object' || !Array.isArray(task.start) || task.start.length !== 2) {
    throw new ValueError(`task must be a task of the suite (suiteTask(name)), got ${describe(task)}`, 'task');
  }
  if (dynamics == null || typeof dynamics !== 'object' || !Number.isInteger(dynamics.stateDim)) {
    throw new ValueError(
      `dynamics must be a Dynamics (e.g. doubleIntegrator()), got ${describe(dynamics)}`,
      'dynamics',
    );
  }
  if (dynamics.stateDim < 2) {
    throw new ValueError(
      `dynamics must have a state of dimension >= 2, got ${dynamics.stateDim}`,
      'dynamics',
    );
  }
  return [...task.start, ...new Array<number>(dynamics.stateDim - 2).fill(0)];
}
