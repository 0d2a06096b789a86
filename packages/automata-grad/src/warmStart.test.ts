import { Rng } from '@descent/tensor';
import { ready } from '@descent/tensor/tf';
import {
  type SuiteSystem,
  type SuiteTask,
  SUITE_TASKS,
  SUITE_TRANSFORMS,
  box,
  compile,
  doubleIntegrator,
  fromLtlf,
  singleIntegrator,
  suiteStart,
  suiteSystems,
  suiteTask,
  suiteVariant,
  trackWaypoints,
  unicycle,
} from './index';
import { controlSensitivity, fitControls, retimeReference, simplifyPolyline } from './warmStart';
import { randomAutomaton, randomBox, randomTrajectory } from './testUtils';

beforeAll(async () => {
  await ready();
});

/** The waypoint tracker along the task's hand-given waypoints (the feasibility certificate). */
function certificate(task: SuiteTask, sys: SuiteSystem) {
  return trackWaypoints({
    dynamics: sys.dynamics,
    x0: suiteStart(task, sys.dynamics),
    waypoints: task.waypoints,
    horizon: task.horizon,
    uMax: sys.uMax,
  });
}

describe('held-out variants (mirrored/rotated tasks) are feasible too: the tracker certifies each one', () => {
  it.each(SUITE_TRANSFORMS)('%s', (transform) => {
    const failed: string[] = [];
    for (const name of SUITE_TASKS) {
      const task = suiteVariant(name, transform);
      expect(task.horizon).toBe(suiteTask(name).horizon + 10);
      for (const sys of suiteSystems()) {
        if (!task.automaton.accepts(certificate(task, sys).states)) failed.push(`${task.name} ${sys.name}`);
      }
    }
    expect(failed).toEqual([]);
  });

  it('a variant maps the regions, the start and the waypoints by the symmetry', () => {
    const t = suiteVariant('reach-avoid', 'mirrorX');
    expect(t.start).toEqual([0.85, 0.15]);
    expect(t.waypoints[0][0]).toBeCloseTo(1 - suiteTask('reach-avoid').waypoints[0][0], 12);
    // b = [0.75, 0.95]² mirrored is [0.05, 0.25] × [0.75, 0.95]
    expect(t.automaton.accepts([[0.15, 0.85]])).toBe(true);
    expect(() => suiteVariant('reach-avoid', 'shear' as never)).toThrow(/transform must be one of/);
  });
});

describe('the task suite is feasible: the waypoint tracker is accepted for every task and system', () => {
  it.each(SUITE_TASKS)('%s', (name) => {
    const task = suiteTask(name);
    for (const sys of suiteSystems()) {
      const r = certificate(task, sys);
      expect({ system: sys.name, accepted: task.automaton.accepts(r.states) }).toEqual({
        system: sys.name,
        accepted: true,
      });
      expect(
        r.controls.every((u) =>
          u.every((v, i) => Math.abs(v) <= (typeof sys.uMax === 'number' ? sys.uMax : sys.uMax[i]) + 1e-12),
        ),
      ).toBe(true);
      // the exact max-plus score agrees with acceptance (the package's own scorer accepts it)
      expect(compile(task.automaton, 'maxPlus').scoreValue(r.states)).toBe(0);
    }
  });
});

describe('acceptingRun', () => {
  it('exists iff the word is accepted; every step follows an edge whose guard holds (random automata)', () => {
    const rng = new Rng(11);
    let accepted = 0;
    for (let trial = 0; trial < 150; trial++) {
      const preds = [randomBox(rng, 'p'), randomBox(rng, 'q')];
      const aut = randomAutomaton(rng, 1 + rng.int(4), preds);
      const xs = randomTrajectory(rng, 1 + rng.int(6));
      const run = aut.acceptingRun(xs);
      expect(run !== null).toBe(aut.accepts(xs));
      if (run === null) continue;
      accepted++;
      expect(run.length).toBe(xs.length + 1);
      expect(aut.initial).toContain(run[0]);
      expect(aut.accepting).toContain(run[xs.length]);
      for (let t = 0; t < xs.length; t++) {
        const e = aut.edges.find((edge) => edge.src === run[t] && edge.dst === run[t + 1]);
        expect(e).toBeDefined();
      }
    }
    expect(accepted).toBeGreaterThan(20); // not vacuous
  });
});

describe('margins: W_ε = 0 iff accepted with the goals shrunk and the obstacles grown by ε', () => {
  it('matches the exact acceptance of the shrunk/inflated boxes', () => {
    const eps = 0.05;
    const goal = box([0.6, 0.6], [0.9, 0.9], { name: 'goal' });
    const obs = box([0.3, 0.3], [0.5, 0.5], { name: 'obs' });
    const goalIn = box([0.6 + eps, 0.6 + eps], [0.9 - eps, 0.9 - eps], { name: 'goal' });
    const aut = fromLtlf('F(goal) & G(!obs)', { goal, obs });
    const op = compile(aut, 'maxPlus', { margin: eps });
    const rng = new Rng(5);
    let agree = 0;
    for (let i = 0; i < 300; i++) {
      const xs = Array.from({ length: 4 }, () => [rng.uniformIn(0, 1), rng.uniformIn(0, 1)]);
      // exact reference: inside the shrunk goal at some step, and ≥ ε away from the obstacle at every step
      const ref = xs.some((x) => goalIn.distanceAt(x) <= 0) && xs.every((x) => obs.distanceAt(x) >= eps);
      expect(op.scoreValue(xs) === 0).toBe(ref);
      agree += Number(ref);
    }
    expect(agree).toBeGreaterThan(10);
    // the tensor score agrees with the float64 one
    const xs = [
      [0.1, 0.1],
      [0.55, 0.58],
      [0.7, 0.7],
    ];
    const t = op.score(xs);
    expect(t.dataSync()[0]).toBeCloseTo(op.scoreValue(xs), 5);
    t.dispose();
  });
  it('rejects a negative or non-finite margin', () => {
    const aut = fromLtlf('F(g)', { g: box([0], [1], { name: 'g' }) });
    expect(() => compile(aut, 'maxPlus', { margin: -1 })).toThrow(
      /margin must be a finite number >= 0, got -1/,
    );
    expect(() => compile(aut, 'maxPlus', { margin: Number.NaN })).toThrow(/margin/);
  });
  it('shifts entered predicates by +ε and avoided ones by −ε, for both polarities of every guard', () => {
    const t = suiteTask('sequence-until'); // (!c U a) & F(c) & G(!obstacle): c occurs negated and positive
    const shifts = compile(t.automaton, 'maxPlus', { margin: 0.02 }).shifts;
    expect(shifts.get(t.predicates.a)).toBe(0.02);
    expect(shifts.get(t.predicates.c)).toBe(0.02);
    expect(shifts.get(t.predicates.obstacle)).toBe(-0.02);
  });
});

describe('simplifyPolyline (Ramer–Douglas–Peucker)', () => {
  it('keeps the ends and the corners, drops collinear points, and stays within the tolerance', () => {
    const pts = [
      [0, 0],
      [0.5, 0.001],
      [1, 0],
      [1, 0.5],
      [1, 1],
    ];
    expect(simplifyPolyline(pts, 0.01)).toEqual([0, 2, 4]);
    expect(simplifyPolyline(pts, 0)).toEqual([0, 1, 2, 3, 4].filter((i) => i !== 3)); // exactly collinear (1, 0.5) dropped
    const rng = new Rng(3);
    const walk = [[0, 0]];
    for (let i = 0; i < 60; i++)
      walk.push([walk[i][0] + rng.normal() * 0.1, walk[i][1] + rng.normal() * 0.1]);
    const keep = simplifyPolyline(walk, 0.05);
    for (let s = 0; s + 1 < keep.length; s++) {
      const [a, b] = [walk[keep[s]], walk[keep[s + 1]]];
      for (let q = keep[s]; q <= keep[s + 1]; q++) {
        const p = walk[q];
        const ab = [b[0] - a[0], b[1] - a[1]];
        const L2 = ab[0] ** 2 + ab[1] ** 2;
        const w = L2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / L2)) : 0;
        expect(Math.hypot(p[0] - a[0] - w * ab[0], p[1] - a[1] - w * ab[1])).toBeLessThanOrEqual(
          0.05 + 1e-12,
        );
      }
    }
  });
});

describe('retimeReference', () => {
  const goal = box([0.8, 0.8], [1, 1], { name: 'goal' });
  const mid = box([0.8, 0], [1, 0.2], { name: 'mid' });
  const aut = fromLtlf('F(mid & F(goal))', { goal, mid });
  // a slow plan: 40 steps towards mid, 40 towards goal, then wandering (not part of the accepted prefix)
  const plan: number[][] = [];
  for (let t = 0; t <= 40; t++) plan.push([0.9 * (t / 40), 0.1]);
  for (let t = 1; t <= 40; t++) plan.push([0.9, 0.1 + 0.8 * (t / 40)]);
  for (let t = 1; t <= 20; t++) plan.push([0.9 - 0.04 * t, 0.9]);
  it('keeps the shortest accepted prefix, ends at round(fraction·T) and holds; key states on reference steps', () => {
    const T = 50;
    const { points, keyTimes } = retimeReference(aut, plan, { horizon: T, fraction: 0.8, tolerance: 0.01 });
    expect(points.length).toBe(T + 1);
    expect(points[0]).toEqual([0, 0.1]);
    // the accepted prefix ends at the first state inside goal: (0.9, 0.8)
    for (let j = 40; j <= T; j++) expect(points[j]).toEqual(points[40]);
    expect(goal.distanceAt(points[40])).toBeLessThanOrEqual(0);
    expect(keyTimes.length).toBe(2); // entering mid, entering goal
    expect(mid.distanceAt(points[keyTimes[0]])).toBeLessThanOrEqual(0);
    expect(goal.distanceAt(points[keyTimes[1]])).toBeLessThanOrEqual(0);
    expect(aut.accepts(points)).toBe(true);
    // uniform speed up to the integer snapping of vertices: the path length covered by step j is
    // j/40 of the total within one step's length
    const steps = points.slice(1, 41).map((p, i) => Math.hypot(p[0] - points[i][0], p[1] - points[i][1]));
    const total = steps.reduce((a, b) => a + b, 0);
    let covered = 0;
    steps.forEach((len, j) => {
      covered += len;
      expect(Math.abs(covered - (total * (j + 1)) / 40)).toBeLessThanOrEqual(Math.max(...steps) + 1e-12);
    });
  });

  it("profile 'restToRest' stops at every kept vertex (bang-bang on each segment, durations ∝ √length)", () => {
    const T = 60;
    const { points, keyTimes } = retimeReference(aut, plan, {
      horizon: T,
      fraction: 0.8,
      tolerance: 0.01,
      profile: 'restToRest',
    });
    expect(points.length).toBe(T + 1);
    expect(aut.accepts(points)).toBe(true);
    const speed = (j: number) => Math.hypot(points[j + 1][0] - points[j][0], points[j + 1][1] - points[j][1]);
    // entering mid at (0.81, 0.1) is a key state, hence a vertex: the speed there is small
    const corner = keyTimes[0];
    expect(speed(corner)).toBeLessThan(0.25 * Math.max(...points.slice(0, -1).map((_, j) => speed(j))));
    expect(speed(0)).toBeLessThan(speed(Math.floor(corner / 2)));
    // legs: 0.81 to the key state, then 0.09 to the corner (0.9, 0.1) and 0.7 up to the goal
    // entry (0.9, 0.8); durations ∝ √length up to integer snapping
    const t1 = keyTimes[1] - keyTimes[0];
    expect(Math.abs(t1 / corner - (Math.sqrt(0.09) + Math.sqrt(0.7)) / Math.sqrt(0.81))).toBeLessThan(0.1);
  });

  it('safeSimplify takes the coarsest tolerance whose straight-segment polyline is still accepted', () => {
    const wall = box([0.4, -1], [0.5, 0.5], { name: 'wall' });
    const g = box([0.8, 0], [1, 0.2], { name: 'g' });
    const a2 = fromLtlf('F(g) & G(!wall)', { g, wall });
    // a path over the wall: up, across above it, down
    const p: number[][] = [];
    for (let t = 0; t <= 20; t++) p.push([0.1, 0.1 + (0.5 * t) / 20]);
    for (let t = 1; t <= 20; t++) p.push([0.1 + (0.8 * t) / 20, 0.6 + 0.005 * Math.sin(t)]);
    for (let t = 1; t <= 20; t++) p.push([0.9, 0.6 - (0.5 * t) / 20]);
    const fine = retimeReference(a2, p, { horizon: 60, tolerance: 0.002 });
    const safe = retimeReference(a2, p, { horizon: 60, tolerance: 0.002, safeSimplify: true });
    expect(a2.accepts(safe.points)).toBe(true);
    // fewer kept vertices: fewer distinct direction changes along the reference
    const turns = (pts: number[][]) => {
      let c = 0;
      for (let j = 1; j + 1 < pts.length; j++) {
        const [ax, ay] = [pts[j][0] - pts[j - 1][0], pts[j][1] - pts[j - 1][1]];
        const [bx, by] = [pts[j + 1][0] - pts[j][0], pts[j + 1][1] - pts[j][1]];
        if (Math.abs(ax * by - ay * bx) > 1e-9) c++;
      }
      return c;
    };
    expect(turns(safe.points)).toBeLessThan(turns(fine.points));
  });
});

describe('fitControls (Levenberg–Marquardt on the float64 rollout)', () => {
  it('recovers a feasible reference of a linear system (double integrator): rmse < 2e-3', () => {
    const task = suiteTask('sequence-3');
    const dynamics = doubleIntegrator();
    const x0 = suiteStart(task, dynamics);
    const uMax = Float64Array.of(1, 1);
    const tracked = trackWaypoints({ dynamics, x0, waypoints: task.waypoints, horizon: task.horizon });
    const reference = { points: tracked.states.map((s) => s.slice(0, 2)), keyTimes: [] };
    const fit = fitControls({ dynamics, x0, reference, uMax, maxIter: 40 });
    expect(fit.rmse).toBeLessThan(2e-3);
    expect(fit.controls.every((u) => u.every((v) => Math.abs(v) <= 0.98))).toBe(true);
    expect(task.automaton.accepts(fit.states)).toBe(true);
  });
  it('converges to a feasible reference of a single integrator in a few steps', () => {
    const dynamics = singleIntegrator();
    const points = Array.from({ length: 11 }, (_, t) => [0.03 * t, -0.02 * t]);
    const fit = fitControls({
      dynamics,
      x0: [0, 0],
      reference: { points, keyTimes: [] },
      uMax: Float64Array.of(1, 1),
      maxIter: 10,
    });
    // forward-difference Jacobian (h = 1e-6): linear convergence to ~1e-7
    expect(fit.rmse).toBeLessThan(1e-6);
    expect(fit.controls[3][0]).toBeCloseTo(0.3, 5);
  });
});

describe('controlSensitivity = ‖∂x/∂θ‖_∞ at the controls', () => {
  it('is TΔt·uMax for a single integrator and ≈ Δt²·T(T−1)/2·uMax for a double integrator at θ = 0', () => {
    const T = 30;
    const zero = new Float64Array(2 * T);
    const u1 = Float64Array.of(2, 2);
    expect(controlSensitivity(singleIntegrator(), [0, 0], zero, u1, 2)).toBeCloseTo(T * 0.1 * 2, 4);
    expect(controlSensitivity(doubleIntegrator(), [0, 0, 0, 0], zero, u1, 2)).toBeCloseTo(
      0.01 * ((T * (T - 1)) / 2) * 2,
      3,
    );
    // saturated controls barely move: the tanh derivative uMax·(1 − (u/uMax)²) shrinks the sensitivity
    const sat = new Float64Array(2 * T).fill(1.98);
    expect(controlSensitivity(singleIntegrator(), [0, 0], sat, u1, 2)).toBeLessThan(0.05 * T * 0.1 * 2);
    // unicycle at rest: heading changes move no position, the speed control moves x by TΔt
    expect(
      controlSensitivity(unicycle(), [0, 0, 0], new Float64Array(2 * T), Float64Array.of(1, 3), 2),
    ).toBeCloseTo(T * 0.1, 4);
  });
});
