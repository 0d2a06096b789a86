/**
 * The shared protocol (issue 11) as automata-grad adopts it: renamed options are ValueErrors
 * naming the new name, seeds are numbers or strings (the shared Rng), results are RunResults,
 * x0 / initial controls / words accept arrays, typed arrays and tensors, and a tensor score of
 * non-finite states is a typed error as in scoreValue.
 */
import { DescentError, NotSupportedError, STOP_REASONS, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import {
  compile,
  logSemiring,
  maxPlus,
  planOpenLoop,
  planOpenLoopStl,
  singleIntegrator,
  task,
  trainPolicy,
} from './index';
import { requireBackend } from './backendCheck';

beforeAll(async () => {
  await ready();
});

const dynamics = singleIntegrator({ dt: 0.1 });
const t = task('reachAvoid');
const stlBase = { dynamics, x0: t.start, horizon: 20 };
const base = { ...stlBase, automaton: t.automaton };

describe('renamed options name their new spelling', () => {
  it.each([
    ['iters', 'maxSteps'],
    ['onIteration', 'onStep'],
    ['marginIters', 'marginSteps'],
  ])('planOpenLoop %s → %s', (old, now) => {
    const call = () => planOpenLoop({ ...base, [old]: 5 } as never);
    expect(call).toThrow(ValueError);
    expect(call).toThrow(`${old} was renamed to ${now}: pass ${now} instead`);
  });

  it('warmStart.iters / fitIters, planOpenLoopStl and trainPolicy', () => {
    expect(() => planOpenLoop({ ...base, warmStart: { iters: 5 } as never })).toThrow(
      'warmStart.iters was renamed to maxSteps',
    );
    expect(() => planOpenLoop({ ...base, warmStart: { fitIters: 5 } as never })).toThrow(
      'warmStart.fitIters was renamed to fitMaxIter',
    );
    expect(() => planOpenLoopStl({ ...stlBase, formula: t.stl, iters: 5 } as never)).toThrow(
      'iters was renamed to maxSteps',
    );
    expect(() =>
      trainPolicy({ automaton: t.automaton, dynamics, x0Sampler: () => t.start, horizon: 5, iters: 1 } as never),
    ).toThrow('iters was renamed to maxSteps');
  });

  it('an unknown option is a ValueError with the closest known name', () => {
    expect(() => planOpenLoop({ ...base, maxStep: 5 } as never)).toThrow(/did you mean maxSteps\?/);
  });
});

describe('results are RunResults with one stop-reason vocabulary', () => {
  it('accepted with stopOnAccept → converged; history indexed by step', () => {
    const seen: number[] = [];
    const r = planOpenLoop({ ...base, horizon: 50, onStep: (e) => seen.push(e.step) });
    expect(r.accepted).toBe(true);
    expect(r.stopReason).toBe('converged');
    expect(STOP_REASONS).toContain(r.stopReason);
    expect(r.history.map((e) => e.step)).toEqual(r.history.map((_, i) => i));
    expect(r.steps).toBe(r.history.length - 1);
    expect(r.firstAcceptStep).toBeGreaterThanOrEqual(0);
    expect(r.evaluations).toBeGreaterThan(0);
    expect(r.timeMs).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('budget spent → maxSteps (planner, STL baseline, trainPolicy)', () => {
    const r = planOpenLoop({ ...base, maxSteps: 3, init: 'random', restarts: 1, stopOnAccept: false });
    expect(r.stopReason).toBe('maxSteps');
    const s = planOpenLoopStl({ ...stlBase, formula: t.stl, maxSteps: 2, stopOnAccept: false });
    expect(s.stopReason).toBe('maxSteps');
    expect(s.history.at(-1)?.step).toBe(2);
    const p = trainPolicy({
      automaton: t.automaton,
      dynamics,
      x0Sampler: () => t.start,
      horizon: 5,
      maxSteps: 2,
      hidden: [4],
      evalEvery: 0,
    });
    expect(p.stopReason).toBe('maxSteps');
    expect(p.history.map((e) => e.step)).toEqual([0, 1]);
  });
});

describe('seeds are numbers or strings (the shared Rng)', () => {
  const run = (seed: number | string) =>
    planOpenLoop({ ...base, maxSteps: 4, init: 'random', restarts: 1, stopOnAccept: false, seed }).controls;

  it('a string seed is deterministic and differs from another seed', () => {
    expect(run('alpha')).toEqual(run('alpha'));
    expect(run('alpha')).not.toEqual(run('beta'));
    expect(run(7)).toEqual(run(7));
  });

  it('bad seeds are ValueErrors naming seed', () => {
    expect(() => run(Number.NaN)).toThrow(ValueError);
    expect(() => planOpenLoop({ ...base, seed: {} as never })).toThrow(/seed/);
  });
});

describe('inputs: arrays, typed arrays and tensors', () => {
  it('x0 as a Float64Array or a rank-1 tensor gives the same plan as an array', () => {
    const opts = { ...base, maxSteps: 3, init: 'random' as const, restarts: 1, stopOnAccept: false };
    const a = planOpenLoop(opts).controls;
    expect(planOpenLoop({ ...opts, x0: Float64Array.from(t.start) }).controls).toEqual(a);
    const x0 = tf.tensor1d(t.start);
    expect(planOpenLoop({ ...opts, x0 }).controls).toEqual(a);
    x0.dispose();
  });

  it('initialControls and words may be tensors; a bad shape is a ShapeError naming them', () => {
    const u = tf.zeros([20, 2]) as tf.Tensor2D;
    const r = planOpenLoop({ ...base, initialControls: u, maxSteps: 1, stopOnAccept: false });
    expect(r.controls.length).toBe(20);
    u.dispose();
    expect(() => planOpenLoop({ ...base, initialControls: [[0, 0]] })).toThrow(/initialControls must have 20 rows/);
    const xs = tf.tensor2d([
      [0.1, 0.1],
      [0.9, 0.9],
    ]);
    expect(t.automaton.accepts(xs)).toBe(t.automaton.accepts(xs.arraySync() as number[][]));
    expect(compile(t.automaton, maxPlus).scoreValue(xs)).toBe(
      compile(t.automaton, maxPlus).scoreValue(xs.arraySync() as number[][]),
    );
    xs.dispose();
  });

  it('score(tensor with NaN) is a ValueError naming xs, like scoreValue', () => {
    const op = compile(t.automaton, logSemiring({ tau: 0.1 }));
    const bad = [
      [0.1, 0.1],
      [Number.NaN, 0.2],
    ];
    expect(() => op.scoreValue(bad)).toThrow(ValueError);
    expect(() => op.scoreValue(bad)).toThrow(/xs must contain only finite numbers/);
    const xs = tf.tensor2d(bad);
    const before = tf.memory().numTensors;
    expect(() => op.score(xs)).toThrow(ValueError);
    expect(() => op.score(xs)).toThrow(/xs must contain only finite numbers, got NaN at \[1, 0\]/);
    const batch = tf.stack([xs, xs]);
    expect(() => op.score(batch)).toThrow(/at \[0, 1, 0\]/);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([xs, batch]);
  });
});

describe('before ready(): a typed error, not a raw tfjs one', () => {
  it('requireBackend turns tfjs\'s "not yet initialized" into a NotSupportedError naming ready()', () => {
    const spy = jest.spyOn(tf, 'backend').mockImplementation(() => {
      throw new Error("The highest priority backend 'wasm' has not yet been initialized.");
    });
    try {
      let err: unknown;
      try {
        planOpenLoop({ ...base, maxSteps: 1 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NotSupportedError);
      expect(err).toBeInstanceOf(DescentError);
      expect((err as Error).message).toMatch(/await ready\(\)/);
      expect(() => requireBackend('x')).toThrow(NotSupportedError);
    } finally {
      spy.mockRestore();
    }
    expect(() => requireBackend('x')).not.toThrow();
  });
});
