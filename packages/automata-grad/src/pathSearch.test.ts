import {
  SUITE_TASKS,
  SUITE_TRANSFORMS,
  box,
  doubleIntegrator,
  fromLtlf,
  singleIntegrator,
  suiteStart,
  suiteSystems,
  suiteTask,
  suiteVariant,
  unicycle,
} from './index';
import { type PathSearchResult, guardHoldsWithMargin, searchPath } from './pathSearch';
import { followPolyline } from './polylineFollower';
import { resolveBound } from './waypointTracker';

/** The polyline through `points` sampled every `step`. */
function dense(points: number[][], step: number): number[][] {
  const out = [points[0]];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
    for (let j = 1; j <= n; j++) out.push(a.map((v, q) => v + ((b[q] - v) * j) / n));
  }
  return out;
}

function replay(dyn: ReturnType<typeof singleIntegrator>, x0: number[], controls: number[][]): number[][] {
  const xs = [x0];
  for (let t = 0; t < controls.length; t++) xs.push(Array.from(dyn.stepValue(xs[t], controls[t], t)));
  return xs;
}

describe('guardHoldsWithMargin', () => {
  const b = box([0, 0], [1, 1], { name: 'b' });
  const d = (x: number[]) => () => b.distanceAt(x);
  it('a literal holds only ε inside its region, its negation only ε outside; lenient literals get −ε', () => {
    const lit = { kind: 'lit' as const, pred: b, neg: false };
    const neg = { kind: 'lit' as const, pred: b, neg: true };
    expect(guardHoldsWithMargin(lit, d([0.5, 0.5]), 0.1)).toBe(true);
    expect(guardHoldsWithMargin(lit, d([0.05, 0.5]), 0.1)).toBe(false);
    expect(guardHoldsWithMargin(neg, d([1.05, 0.5]), 0.1)).toBe(false);
    expect(guardHoldsWithMargin(neg, d([1.2, 0.5]), 0.1)).toBe(true);
    expect(guardHoldsWithMargin(neg, d([0.95, 0.5]), 0.1, () => true)).toBe(true);
    expect(guardHoldsWithMargin(neg, d([0.5, 0.5]), 0.1, () => true)).toBe(false);
    expect(guardHoldsWithMargin(neg, d([0.5, 0.5]), 0.1, () => true, true)).toBe(true);
  });
});

/** The suite's 13 tasks and one held-out variant of each (the bench's full profile runs all 91 variants). */
const TASKS = SUITE_TASKS.flatMap((t, i) => [
  suiteTask(t),
  suiteVariant(t, SUITE_TRANSFORMS[i % SUITE_TRANSFORMS.length]),
]);
const PATHS = new Map<string, PathSearchResult | null>();
beforeAll(() => {
  for (const task of TASKS) PATHS.set(task.name, searchPath(task.automaton, { x0: [...task.start], k: 2 }));
});

describe('searchPath: a kinematic path the automaton accepts with a margin, over the suite and held-out variants', () => {
  it('finds a path for every task (26); the straight segments, sampled finer than any obstacle, are accepted', () => {
    const failed: string[] = [];
    for (const task of TASKS) {
      const p = PATHS.get(task.name);
      if (!p || !task.automaton.accepts(dense(p.points, 0.005))) failed.push(task.name);
      else expect(p.margin).toBeGreaterThanOrEqual(0.03);
    }
    expect(failed).toEqual([]);
  });

  it('keeps the margin from thin obstacles: the wall (0.1 wide) is never closer than ε/2 along the path', () => {
    for (const name of ['reach-avoid-wall', 'sequence-wall'] as const) {
      const task = suiteTask(name);
      const p = searchPath(task.automaton, { x0: [...task.start], k: 2 })!;
      const wall = task.predicates.wall;
      const closest = Math.min(...dense(p.points, 0.002).map((x) => wall.distanceAt(x)));
      expect(closest).toBeGreaterThanOrEqual(p.margin / 2 - 1e-9);
    }
  });

  it('string pulling leaves few vertices (goal visits and corners)', () => {
    const task = suiteTask('sequence-3');
    const p = searchPath(task.automaton, { x0: [...task.start], k: 2 })!;
    expect(p.keys.length).toBe(3);
    expect(p.points.length).toBeLessThanOrEqual(6);
  });

  it('returns null when no path holds the margin (goal inside the obstacle; a gap narrower than 2ε)', () => {
    const a = box([0.7, 0.7], [0.8, 0.8], { name: 'a' });
    const obs = box([0.6, 0.6], [0.9, 0.9], { name: 'obs' });
    expect(searchPath(fromLtlf('F(a) & G(!obs)', { a, obs }), { x0: [0.1, 0.1], k: 2 })).toBeNull();
    const g = box([0.8, 0.4], [0.9, 0.6], { name: 'g' });
    const lo = box([0.4, -1], [0.5, 0.49], { name: 'lo' });
    const hi = box([0.4, 0.51], [0.5, 2], { name: 'hi' });
    const ws = box([-0.05, -0.05], [1.05, 1.05], { name: 'ws' });
    const aut = fromLtlf('F(g) & G(!lo & !hi & ws)', { g, lo, hi, ws });
    expect(searchPath(aut, { x0: [0.1, 0.5], k: 2, margin: 0.03 })).toBeNull();
    expect(searchPath(aut, { x0: [0.1, 0.5], k: 2, margin: 0.005, maxCells: 160_000 })).not.toBeNull();
  });

  it('an accepted start needs no path', () => {
    const a = box([0, 0], [1, 1], { name: 'a' });
    const p = searchPath(fromLtlf('F(a)', { a }), { x0: [0.5, 0.5], k: 2 });
    expect(p?.points).toEqual([[0.5, 0.5]]);
  });
});

describe('followPolyline: bounded controls whose trajectory lies on the polyline', () => {
  const points = [
    [0.1, 0.1],
    [0.8, 0.2],
    [0.75, 0.9],
    [0.2, 0.85],
  ];
  /** Distance from p to the polyline. */
  const off = (p: number[]) =>
    Math.min(
      ...points.slice(1).map((b, i) => {
        const a = points[i];
        const L2 = (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2;
        const w = Math.max(
          0,
          Math.min(1, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / L2),
        );
        return Math.hypot(p[0] - a[0] - w * (b[0] - a[0]), p[1] - a[1] - w * (b[1] - a[1]));
      }),
    );
  it.each([
    ['single integrator', singleIntegrator(), [0.1, 0.1], 1],
    ['double integrator', doubleIntegrator(), [0.1, 0.1, 0, 0], 1],
    ['unicycle', unicycle(), [0.1, 0.1, 2], [1, 3]],
    ['double integrator, dt 0.05, |u| ≤ 2', doubleIntegrator({ dt: 0.05 }), [0.1, 0.1, 0, 0], 2],
  ] as const)(
    '%s: every vertex is a state, every state is on the polyline, |u| ≤ 0.95 uMax',
    (_, dyn, x0, bound) => {
      const uMax = resolveBound(bound as number | number[], dyn.controlDim);
      const f = followPolyline({ dynamics: dyn, x0, points, horizon: 200, uMax })!;
      expect(f).not.toBeNull();
      expect(f.controls.length).toBe(200);
      for (const u of f.controls)
        for (let i = 0; i < u.length; i++) expect(Math.abs(u[i])).toBeLessThanOrEqual(0.95 * uMax[i] + 1e-12);
      const xs = replay(dyn, [...x0], f.controls);
      for (const x of xs) expect(off(x)).toBeLessThan(1e-9);
      for (const v of points)
        expect(Math.min(...xs.map((x) => Math.hypot(x[0] - v[0], x[1] - v[1])))).toBeLessThan(1e-9);
      expect(Math.hypot(xs[200][0] - 0.2, xs[200][1] - 0.85)).toBeLessThan(1e-9);
    },
  );

  it('null when the path does not fit in the horizon, the double integrator is moving, or the system is not supported', () => {
    const uMax = Float64Array.of(1, 1);
    expect(
      followPolyline({ dynamics: doubleIntegrator(), x0: [0.1, 0.1, 0, 0], points, horizon: 20, uMax }),
    ).toBeNull();
    expect(
      followPolyline({ dynamics: doubleIntegrator(), x0: [0.1, 0.1, 0.2, 0], points, horizon: 200, uMax }),
    ).toBeNull();
    expect(
      followPolyline({
        dynamics: singleIntegrator({ dim: 3 }),
        x0: [0.1, 0.1, 0],
        points,
        horizon: 200,
        uMax,
      }),
    ).toBeNull();
  });

  it('search + follower: the 26 tasks are accepted in float64 under all three systems (held-out variants included)', () => {
    const failed: string[] = [];
    for (const sys of suiteSystems()) {
      const uMax = resolveBound(sys.uMax as number | number[], sys.dynamics.controlDim);
      for (const task of TASKS) {
        // the path depends only on the start position and the regions (the guards read (x, y))
        const x0 = suiteStart(task, sys.dynamics);
        const p = PATHS.get(task.name)!;
        const f = followPolyline({
          dynamics: sys.dynamics,
          x0,
          points: p.points,
          horizon: task.horizon,
          uMax,
        });
        if (f === null || !task.automaton.accepts(replay(sys.dynamics, x0, f.controls)))
          failed.push(`${sys.name} ${task.name}`);
      }
    }
    expect(failed).toEqual([]);
  });
});
