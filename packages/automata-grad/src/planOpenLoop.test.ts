import { ready, tf } from '@descent/tensor/tf';
import {
  COLD_START,
  DEFAULT_COLD_START_STEPS,
  DEFAULT_MAX_STEPS,
  compile,
  doubleIntegrator,
  logSemiring,
  maxPlus,
  optimizeControls,
  planOpenLoop,
  planOpenLoopStl,
  singleIntegrator,
  box,
  fromLtlf,
  suiteStart,
  suiteSystems,
  suiteTask,
  task,
} from './index';

beforeAll(async () => {
  await ready();
});

describe('gradients through the dynamics match central finite differences (log semiring, τ = 0.5, float32)', () => {
  it('d W(rollout(x₀, u)) / du', () => {
    const t = task('sequence');
    const sys = doubleIntegrator({ dt: 0.1 });
    const op = compile(t.automaton, logSemiring({ tau: 0.5 }));
    const T = 36;
    const x0 = tf.tensor1d([0.15, 0.15, 0, 0]);
    const u0 = Array.from({ length: T * 2 }, (_, i) => 0.8 * Math.sin(0.7 * i + 0.3));
    const W = (u: tf.Tensor) => op.score(sys.rollout(x0, tf.reshape(u, [T, 2]) as tf.Tensor2D)) as tf.Scalar;
    const u = tf.tensor1d(u0);
    const g = tf.grad(W)(u);
    const ad = Array.from(g.dataSync());
    tf.dispose([u, g]);
    // h = 1e-3: with 1e-2 a perturbation moves later states by up to ~3e-3, enough to cross a
    // kink of a box distance or of relu (the notes' h ≈ 1e-2 was for perturbing states directly)
    const h = 1e-3;
    let checked = 0;
    for (const i of [3, 10, 17, 28, 41, 60, 71]) {
      const plus = u0.slice();
      const minus = u0.slice();
      plus[i] += h;
      minus[i] -= h;
      const fp = tf.tidy(() => W(tf.tensor1d(plus)).dataSync()[0]);
      const fm = tf.tidy(() => W(tf.tensor1d(minus)).dataSync()[0]);
      const fd = (fp - fm) / (2 * h);
      expect(Math.abs(ad[i] - fd)).toBeLessThanOrEqual(1e-2 * Math.max(1e-2, Math.abs(fd)) + 2e-3);
      checked += Number(Math.abs(fd) > 1e-3);
    }
    expect(checked).toBeGreaterThan(2); // the check is not vacuous
    x0.dispose();
  });
});

describe('open-loop planner (seeded, deterministic)', () => {
  const dynamics = singleIntegrator({ dt: 0.1 });

  it('reaches acceptance on reach-avoid and the 3-goal sequence; numTensors is flat over iterations', () => {
    for (const name of ['reachAvoid', 'sequence'] as const) {
      const t = task(name);
      const counts: number[] = [];
      const before = tf.memory().numTensors;
      const plan = planOpenLoop({
        automaton: t.automaton,
        dynamics,
        x0: t.start,
        horizon: 50,
        maxSteps: 300,
        learningRate: 0.1,
        seed: 2,
        onStep: () => counts.push(tf.memory().numTensors),
      });
      expect(plan.accepted).toBe(true);
      expect(plan.hardScore).toBe(0);
      expect(t.automaton.accepts(plan.states)).toBe(true);
      expect(plan.firstAcceptStep).toBe(plan.steps);
      expect(plan.history.at(-1)!.accepted).toBe(true);
      // the kinematic warm start's entries judge the virtual integrator's path; the cold-start
      // attempt and the system's refinements stop at their first accepted iterate
      expect(plan.history.slice(0, -1).every((h) => !h.accepted || h.phase === 'kinematic')).toBe(true);
      expect(['coldStart', 'refine']).toContain(plan.history.at(-1)!.phase);
      expect(plan.states.length).toBe(51);
      expect(plan.controls.every((u) => u.every((v) => Math.abs(v) <= 1))).toBe(true);
      expect(new Set(counts).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('is deterministic for a seed', () => {
    const t = task('reachAvoid');
    const run = () =>
      planOpenLoop({
        automaton: t.automaton,
        dynamics,
        x0: t.start,
        horizon: 20,
        maxSteps: 5,
        seed: 3,
        stopOnAccept: false,
      });
    expect(run().controls).toEqual(run().controls);
  });

  it('the STL baseline planner runs behind the same interface', () => {
    const t = task('reachAvoid');
    const plan = planOpenLoopStl({
      formula: t.stl,
      dynamics,
      x0: t.start,
      horizon: 50,
      maxSteps: 300,
      learningRate: 0.1,
      tau0: 0.1,
      seed: 2,
    });
    expect(plan.accepted).toBe(true);
    expect(plan.hardScore).toBeGreaterThanOrEqual(0);
    expect(t.automaton.accepts(plan.states)).toBe(true);
  });

  it('rejects bad options with typed errors', () => {
    const t = task('reachAvoid');
    const base = { automaton: t.automaton, dynamics, x0: t.start, horizon: 10 };
    expect(() => planOpenLoop({ ...base, horizon: 0 })).toThrow(
      /horizon must be an integer in \[1, \d+\], got 0/,
    );
    expect(() => planOpenLoop({ ...base, x0: [1, 2, 3] })).toThrow(/x0 must have length 2/);
    expect(() => planOpenLoop({ ...base, tau0: 0 })).toThrow(/tau0 must be > 0, got 0/);
    expect(() => planOpenLoop({ ...base, uMax: -1 })).toThrow(/uMax must be > 0/);
    expect(() => planOpenLoop({ ...base, x0: [0], dynamics: singleIntegrator({ dim: 1 }) })).toThrow(
      /needs dimension >= 2/,
    );
  });
});

describe('controlObjective (black-box form for gradient-free optimisers)', () => {
  it('is the negated max-plus score of the clipped rollout: 0 for the planner’s accepted controls, > 0 for zero controls', async () => {
    const { controlObjective } = await import('./index');
    const t = task('reachAvoid');
    const dynamics = singleIntegrator({ dt: 0.1 });
    const plan = planOpenLoop({ automaton: t.automaton, dynamics, x0: t.start, horizon: 50, seed: 2 });
    const cost = controlObjective({ automaton: t.automaton, dynamics, x0: t.start, horizon: 50 });
    expect(plan.accepted).toBe(true);
    // float32 rollout in the planner vs float64 here: the accepted plan may sit on a boundary
    expect(cost(plan.controls.flat())).toBeLessThan(1e-4);
    expect(cost(new Array(100).fill(0))).toBeCloseTo(
      -compile(t.automaton, 'maxPlus').scoreValue(Array(51).fill(t.start)),
      12,
    );
    expect(cost(new Array(100).fill(0))).toBeGreaterThan(0.5);
    expect(() => cost([1, 2])).toThrow(/u must have length horizon·m = 100/);
  });
});

describe('other dynamics', () => {
  it('adaptive cruise control: reach the set speed while keeping the headway (G safe ∧ F fast)', async () => {
    const { adaptiveCruiseControl, fromLtlf, halfspace } = await import('./index');
    // state (gap, v): safe ⇔ gap ≥ 10 m, fast ⇔ v ≥ 25 m/s
    const safe = halfspace([-1, 0], -10, { name: 'safe' });
    const fast = halfspace([0, -1], -25, { name: 'fast' });
    const automaton = fromLtlf('G(safe) & F(fast)', { safe, fast });
    const dynamics = adaptiveCruiseControl({ dt: 0.1, vLead: 22 });
    const plan = planOpenLoop({
      automaton,
      dynamics,
      x0: [30, 20],
      horizon: 60,
      uMax: 3,
      maxSteps: 200,
      seed: 1,
    });
    expect(plan.accepted).toBe(true);
    expect(Math.max(...plan.states.map((x) => x[1]))).toBeGreaterThanOrEqual(25);
    expect(Math.min(...plan.states.map((x) => x[0]))).toBeGreaterThanOrEqual(10);
  });

  it('unicycle: reach a ball goal while avoiding a ball obstacle', async () => {
    const { ball, fromLtlf, unicycle } = await import('./index');
    const goal = ball([0.8, 0.8], 0.1, { name: 'goal' });
    const obstacle = ball([0.5, 0.5], 0.15, { name: 'obstacle' });
    const automaton = fromLtlf('F(goal) & G(!obstacle)', { goal, obstacle });
    const plan = planOpenLoop({
      automaton,
      dynamics: unicycle({ dt: 0.1 }),
      x0: [0.2, 0.2, 0],
      horizon: 60,
      maxSteps: 300,
      seed: 1,
    });
    expect(plan.accepted).toBe(true);
  });
});

describe('margin phase (max-plus until accepted, then soft max-min with signed weights)', () => {
  it('returns an accepted plan whose max-min margin is at least the first accepted one’s and positive', () => {
    const t = task('reachAvoid');
    const dynamics = singleIntegrator({ dt: 0.1 });
    const base = { automaton: t.automaton, dynamics, x0: t.start, horizon: 50, seed: 2 };
    const plain = planOpenLoop(base);
    const robust = planOpenLoop({ ...base, marginSteps: 60 });
    expect(plain.accepted && robust.accepted).toBe(true);
    expect(robust.hardScore).toBe(0);
    expect(robust.margin).toBeGreaterThanOrEqual(plain.margin);
    expect(robust.margin).toBeGreaterThan(0.01);
    expect(robust.marginPhase?.history.length).toBe(61);
    expect(t.automaton.accepts(robust.states)).toBe(true);
  });
});

describe('the default planner never does worse than the cold start on a task', () => {
  it('with the path search off, attempt 0 is exactly the cold start (same seed, 300 reserved steps): same plan when it succeeds', () => {
    const t = suiteTask('reach-avoid');
    const b = {
      automaton: t.automaton,
      dynamics: singleIntegrator(),
      x0: [...t.start],
      horizon: t.horizon,
      seed: 1,
    };
    const cold = planOpenLoop({
      ...b,
      init: 'random',
      restarts: 1,
      ...COLD_START,
      maxSteps: DEFAULT_COLD_START_STEPS,
    });
    const plan = planOpenLoop({ ...b, warmStart: { search: false } });
    expect(cold.accepted).toBe(true);
    expect(plan.accepted).toBe(true);
    expect(plan.controls).toEqual(cold.controls);
    expect(plan.attemptKinds).toEqual(['coldStart']);
    expect(plan.history.every((e) => e.phase === 'coldStart' && e.attempt === 0)).toBe(true);
  });

  it('when the search has nothing to follow, the cold start comes first, unchanged', () => {
    const t = suiteTask('reach-avoid');
    const b = {
      automaton: t.automaton,
      dynamics: singleIntegrator(),
      x0: [...t.start],
      horizon: t.horizon,
      seed: 1,
    };
    const cold = planOpenLoop({
      ...b,
      init: 'random',
      restarts: 1,
      ...COLD_START,
      maxSteps: DEFAULT_COLD_START_STEPS,
    });
    // a margin wider than the goal: no grid path holds it (nor half of it)
    const plan = planOpenLoop({ ...b, warmStart: { margin: 0.5 } });
    expect(plan.attemptKinds[0]).toBe('coldStart');
    expect(plan.controls).toEqual(cold.controls);
  });

  it('the searched path is the first attempt; followed exactly, it is accepted at the first iterate', () => {
    const t = suiteTask('sequence-3');
    const plan = planOpenLoop({
      automaton: t.automaton,
      dynamics: doubleIntegrator(),
      x0: [...t.start, 0, 0],
      horizon: t.horizon,
      seed: 1,
    });
    expect(plan.accepted).toBe(true);
    expect(plan.attemptKinds).toEqual(['search']);
    expect(plan.evaluations).toBe(1);
  });

  it.each([
    ['reach-avoid-wall', 'double integrator'],
    ['reach-avoid-wall', 'unicycle'],
    ['patrol-bc', 'double integrator'],
    ['patrol-ac', 'double integrator'],
  ] as const)('%s on the %s (issue 16: failed in session 4)', (name, system) => {
    const t = suiteTask(name);
    const sys = suiteSystems().find((s) => s.name === system)!;
    const x0 = suiteStart(t, sys.dynamics);
    const plan = planOpenLoop({
      automaton: t.automaton,
      dynamics: sys.dynamics,
      x0,
      horizon: t.horizon,
      uMax: sys.uMax,
      seed: 1,
    });
    expect(plan.accepted).toBe(true);
    const replayed = [x0];
    for (let s = 0; s < plan.controls.length; s++)
      replayed.push(Array.from(sys.dynamics.stepValue(replayed[s], plan.controls[s], s)));
    expect(t.automaton.accepts(replayed)).toBe(true);
  });

  it('reach-avoid-wall on the single integrator (issue 16: the warm start alone lost to the cold start here)', () => {
    const t = suiteTask('reach-avoid-wall');
    const b = {
      automaton: t.automaton,
      dynamics: singleIntegrator(),
      x0: [...t.start],
      horizon: t.horizon,
      seed: 1,
    };
    const plan = planOpenLoop(b);
    expect(plan.accepted).toBe(true);
    expect(t.automaton.accepts(plan.states)).toBe(true);
    expect(plan.evaluations).toBeLessThanOrEqual(DEFAULT_MAX_STEPS);
  });
});

describe('hopeless attempts stop early', () => {
  // infeasible: the goal lies inside the obstacle
  const a = box([0.7, 0.7], [0.8, 0.8], { name: 'a' });
  const obs = box([0.6, 0.6], [0.9, 0.9], { name: 'obs' });
  const automaton = fromLtlf('F(a) & G(!obs)', { a, obs });
  const b = { automaton, dynamics: singleIntegrator(), x0: [0.1, 0.1], horizon: 40, seed: 1, maxSteps: 300 };

  it('no grid path holds the margin (the grid spans every region): the cold start runs its reserve, the kinematic attempts are skipped', () => {
    const plan = planOpenLoop(b);
    expect(plan.accepted).toBe(false);
    expect(plan.attemptKinds).toEqual(['coldStart']);
    expect(plan.evaluations).toBe(100); // reserve = maxSteps / 3
    expect(plan.stopReason).toBe('tolStagnation');
  });

  it('patience: a loop whose hard score does not improve by 1% in `patience` steps stops', () => {
    const hard = compile(automaton, maxPlus);
    const check = (xs: number[][]) => ({ accepted: automaton.accepts(xs), hardScore: hard.scoreValue(xs) });
    const soft = compile(automaton, logSemiring({ tau: 0.1 }));
    const run = (patience: number, maxSteps: number) =>
      optimizeControls(
        { dynamics: b.dynamics, x0: b.x0, horizon: b.horizon, maxSteps, seed: 1, patience },
        (xs) => soft.score(xs) as tf.Scalar,
        check,
      );
    const stopped = run(20, 300);
    expect(stopped.stopReason).toBe('tolStagnation');
    expect(stopped.evaluations).toBeLessThan(300);
    const h = stopped.history.map((e) => e.hardScore);
    const last = h.length - 1;
    // no step of the last 20 beat the best before them by 1%
    const bestBefore = Math.max(...h.slice(0, last - 19));
    expect(Math.max(...h.slice(last - 19))).toBeLessThanOrEqual(
      bestBefore + 0.01 * Math.abs(bestBefore) + 1e-6,
    );
    expect(stopped.history.length).toBeGreaterThan(21); // it did improve for a while
    const full = run(0, 60);
    expect(full.evaluations).toBe(60);
    expect(full.stopReason).toBe('maxSteps');
  });
});
