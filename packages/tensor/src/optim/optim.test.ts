import { ShapeError, ValueError } from '../errors';
import {
  type GradientTransformation,
  adagrad,
  adam,
  adamw,
  applyUpdates,
  chain,
  chainState,
  checkChainArguments,
  clip,
  clipByGlobalNorm,
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  joinSchedules,
  linearSchedule,
  linearWarmup,
  piecewiseConstant,
  rmsprop,
  scaleByAdam,
  scaleByLearningRate,
  sgd,
  warmupCosineDecay,
} from './index';

const vec = (...v: number[]) => Float64Array.from(v);

/** Runs `steps` updates of `opt` on gradient function `grad`; returns the trajectory. */
function run<S>(
  opt: GradientTransformation<S>,
  x0: Float64Array,
  grad: (x: Float64Array) => Float64Array,
  steps: number,
): Float64Array[] {
  let x: Float64Array = x0;
  let s = opt.init(x);
  const traj: Float64Array[] = [x];
  for (let k = 0; k < steps; k++) {
    const r = opt.update(grad(x), s, x);
    x = applyUpdates(x, r.updates);
    s = r.state;
    traj.push(x);
  }
  return traj;
}

function expectClose(a: ArrayLike<number>, b: number[], digits = 14): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i], digits);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('adam', () => {
  it('matches hand-computed first steps (lr 0.1, b1 0.9, b2 0.999, eps 1e-8)', () => {
    // step 1: m̂ = g, v̂ = g² → −lr·g/(|g| + eps); steps 2-3 computed by hand from the recursions
    const opt = adam({ learningRate: 0.1 });
    let s = opt.init(vec(0));
    const expected = [-0.0999999995, -0.09321796329148956, 0.008197679747138937];
    [2, 1, -3].forEach((g, k) => {
      const r = opt.update(vec(g), s);
      expect(r.updates[0]).toBeCloseTo(expected[k], 14);
      s = r.state;
    });
  });

  it('first update is −lr·sign(g) per coordinate whatever the gradient scale', () => {
    const opt = adam({ learningRate: 0.01 });
    const r = opt.update(vec(1e-3, -5e3, 7), opt.init(vec(0, 0, 0)));
    expect(Array.from(r.updates).map((u) => Math.round(u * 1e6) / 1e6)).toEqual([-0.01, 0.01, -0.01]);
  });

  it('is a pure function of JSON-serialisable state: frozen state is not mutated, a JSON round trip continues identically', () => {
    const opt = adam({ learningRate: 0.05 });
    const grad = (x: Float64Array) => vec(2 * x[0], 20 * x[1]);
    let x: Float64Array = vec(1, 1);
    let s = opt.init(x);
    for (let k = 0; k < 5; k++) {
      const r = opt.update(grad(x), deepFreeze(s));
      x = applyUpdates(x, r.updates);
      s = r.state;
    }
    const copy = JSON.parse(JSON.stringify(s));
    const a = opt.update(grad(x), s);
    const b = opt.update(grad(x), copy);
    expect(Array.from(b.updates)).toEqual(Array.from(a.updates));
    expect(JSON.stringify(b.state)).toEqual(JSON.stringify(a.state));
  });

  it('adamw adds lr·λ·x of decoupled weight decay (zero gradient: pure decay)', () => {
    const opt = adamw({ learningRate: 0.1, weightDecay: 0.5 });
    const x = vec(2, -4);
    const r = opt.update(vec(0, 0), opt.init(x), x);
    expect(Array.from(r.updates)).toEqual([-0.1 * 0.5 * 2, -0.1 * 0.5 * -4]);
    expect(() => opt.update(vec(0, 0), opt.init(x))).toThrow(ShapeError);
  });
});

describe('adagrad and rmsprop (optax conventions)', () => {
  it('adagrad: s₀ = 0.1, s ← s + g², update = −η g/√(s + 1e-7)', () => {
    const opt = adagrad({ learningRate: 0.5 });
    let s = opt.init(vec(0));
    let acc = 0.1;
    for (const g of [2, -1, 3]) {
      acc += g * g;
      const r = opt.update(vec(g), s);
      expect(r.updates[0]).toBeCloseTo((-0.5 * g) / Math.sqrt(acc + 1e-7), 14);
      s = r.state;
    }
  });

  it('rmsprop: ν ← 0.9ν + 0.1g², update = −η g/√(ν + ε) (ε inside the root as optax, outside on request)', () => {
    const a = rmsprop({ learningRate: 0.1, eps: 1e-2 });
    const b = rmsprop({ learningRate: 0.1, eps: 1e-2, epsInSqrt: false });
    const ra = a.update(vec(2), a.init(vec(0)));
    const rb = b.update(vec(2), b.init(vec(0)));
    expect(ra.updates[0]).toBeCloseTo((-0.1 * 2) / Math.sqrt(0.4 + 1e-2), 14);
    expect(rb.updates[0]).toBeCloseTo((-0.1 * 2) / (Math.sqrt(0.4) + 1e-2), 14);
  });
});

describe('sgd and momentum on f(x) = ½ a x²', () => {
  const a = 1;
  const grad = (x: Float64Array) => vec(a * x[0]);

  it('plain SGD gives x_k = (1 − ηa)^k x₀', () => {
    const traj = run(sgd({ learningRate: 0.3 }), vec(2), grad, 15);
    for (const [k, x] of traj.entries()) expect(x[0]).toBeCloseTo(2 * 0.7 ** k, 12);
  });

  it('heavy ball gives x_k = c₁r₁ᵏ + c₂r₂ᵏ with r² − (1 + β − ηa)r + β = 0', () => {
    const eta = 0.1;
    const beta = 0.1;
    const p = 1 + beta - eta * a;
    const disc = Math.sqrt(p * p - 4 * beta);
    const r1 = (p + disc) / 2;
    const r2 = (p - disc) / 2;
    // x₀ = 1, x₁ = (1 − ηa)
    const x1 = 1 - eta * a;
    const c2 = (x1 - r1) / (r2 - r1);
    const c1 = 1 - c2;
    const traj = run(sgd({ learningRate: eta, momentum: beta }), vec(1), grad, 30);
    for (const [k, x] of traj.entries()) expect(x[0]).toBeCloseTo(c1 * r1 ** k + c2 * r2 ** k, 12);
  });

  it('Nesterov (optax form u = g + βt, t = g + βt₋) matches the hand-expanded first two steps', () => {
    const eta = 0.1;
    const beta = 0.9;
    const traj = run(sgd({ learningRate: eta, momentum: beta, nesterov: true }), vec(1), grad, 2);
    // step 1: t₁ = g₀ = 1, u = g₀ + β t₁ = 1.9 → x₁ = 1 − 0.19 = 0.81
    expect(traj[1][0]).toBeCloseTo(0.81, 14);
    // step 2: g₁ = 0.81, t₂ = 0.81 + 0.9·1 = 1.71, u = 0.81 + 0.9·1.71 = 2.349 → x₂ = 0.81 − 0.2349
    expect(traj[2][0]).toBeCloseTo(0.81 - 0.2349, 14);
  });

  it('learning-rate schedules are evaluated at the step count (0-based)', () => {
    const lr = (k: number) => 0.1 * (k + 1);
    const opt = sgd({ learningRate: lr });
    let s = opt.init(vec(0));
    for (let k = 0; k < 4; k++) {
      const r = opt.update(vec(1), s);
      expect(r.updates[0]).toBeCloseTo(-lr(k), 15);
      s = r.state;
    }
  });
});

describe('convergence on an ill-conditioned quadratic f(x) = ½ Σ dᵢxᵢ², d = (1, 10, 100)', () => {
  const d = [1, 10, 100];
  const grad = (x: Float64Array) => x.map((v, i) => d[i] * v);
  const norm = (x: Float64Array) => Math.hypot(...x);
  const cases: [string, GradientTransformation<unknown>, number, number][] = [
    ['sgd', sgd({ learningRate: 0.019 }), 1500, 1e-6],
    ['sgd + momentum', sgd({ learningRate: 0.01, momentum: 0.9 }), 600, 1e-6],
    ['nesterov', sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true }), 600, 1e-6],
    [
      'adam',
      adam({ learningRate: exponentialDecay({ initValue: 0.1, transitionSteps: 100, decayRate: 0.5 }) }),
      2000,
      1e-4,
    ],
    ['adagrad', adagrad({ learningRate: 0.5 }), 2000, 1e-4],
    [
      'rmsprop',
      rmsprop({ learningRate: exponentialDecay({ initValue: 0.01, transitionSteps: 100, decayRate: 0.5 }) }),
      2000,
      1e-3,
    ],
  ];
  it.each(cases)('%s reaches ‖x‖ below its threshold', (_name, opt, steps, tol) => {
    const traj = run(opt, vec(1, -1, 1), grad, steps);
    expect(norm(traj[traj.length - 1])).toBeLessThan(tol);
  });
});

describe('chain and clipping', () => {
  it('clipByGlobalNorm rescales to the max norm keeping the direction, and leaves small gradients unchanged', () => {
    const c = clipByGlobalNorm(1);
    const big = c.update(vec(3, 4), c.init(vec(0, 0))).updates;
    expectClose(big, [0.6, 0.8]);
    const small = c.update(vec(0.3, 0.4), c.init(vec(0, 0))).updates;
    expect(Array.from(small)).toEqual([0.3, 0.4]);
  });

  it('chain applies transformations left to right and keeps one state per link', () => {
    const opt = chain(clipByGlobalNorm(1), scaleByLearningRate(0.5));
    const s0 = opt.init(vec(0, 0));
    expect(s0).toEqual([{}, { count: 0 }]);
    const r = opt.update(vec(30, 40), s0);
    expectClose(r.updates, [-0.3, -0.4]);
    expect(r.state).toEqual([{}, { count: 1 }]);
    // order matters: scaling first, then clipping the scaled updates
    const rev = chain(scaleByLearningRate(0.5), clipByGlobalNorm(1));
    expectClose(rev.update(vec(3, 4), rev.init(vec(0, 0))).updates, [-0.6, -0.8]);
  });

  it('chain(scaleByAdam(), scaleByLearningRate(η)) is adam', () => {
    const a = adam({ learningRate: 0.01 });
    const b = chain(scaleByAdam(), scaleByLearningRate(0.01));
    const ra = a.update(vec(1, -2), a.init(vec(0, 0)));
    const rb = b.update(vec(1, -2), b.init(vec(0, 0)));
    expect(Array.from(rb.updates)).toEqual(Array.from(ra.updates));
  });

  it('clip clips coordinates', () => {
    const c = clip(1);
    expect(Array.from(c.update(vec(-3, 0.5, 2), {}).updates)).toEqual([-1, 0.5, 1]);
  });
});

describe('schedules (optax definitions)', () => {
  it('constant, linear and exponential decay', () => {
    expect(constantSchedule(0.3)(100)).toBe(0.3);
    const lin = linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 10, transitionBegin: 5 });
    expect([lin(0), lin(5), lin(10), lin(15), lin(100)]).toEqual([1, 1, 0.5, 0, 0]);
    const e = exponentialDecay({ initValue: 0.1, transitionSteps: 100, decayRate: 0.5 });
    expect(e(0)).toBe(0.1);
    expect(e(100)).toBeCloseTo(0.05, 15);
    expect(e(50)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    const st = exponentialDecay({
      initValue: 1,
      transitionSteps: 10,
      decayRate: 0.1,
      staircase: true,
      endValue: 1e-3,
    });
    expect([st(9), st(10), st(25), st(1000)]).toEqual([1, 0.1, 0.1 ** 2, 1e-3]);
  });

  it('cosine decay: init at 0, (1+α)/2 midway, α·init at the end and after', () => {
    const c = cosineDecay({ initValue: 2, decaySteps: 100, alpha: 0.1 });
    expect(c(0)).toBeCloseTo(2, 15);
    expect(c(50)).toBeCloseTo(2 * (0.9 * 0.5 + 0.1), 15);
    expect(c(100)).toBeCloseTo(0.2, 15);
    expect(c(500)).toBeCloseTo(0.2, 15);
  });

  it('piecewise constant multiplies by each scale from its boundary on', () => {
    const p = piecewiseConstant({ initValue: 1, boundariesAndScales: { 20: 0.5, 10: 0.1 } });
    expect([p(0), p(9), p(10), p(19), p(20), p(99)].map((v) => +v.toPrecision(12))).toEqual([
      1, 1, 0.1, 0.1, 0.05, 0.05,
    ]);
  });

  it('warm-up: linear ramp then cosine (warmupCosineDecay) or any schedule (linearWarmup)', () => {
    const w = warmupCosineDecay({
      initValue: 0,
      peakValue: 1,
      warmupSteps: 10,
      decaySteps: 110,
      endValue: 0.1,
    });
    expect([w(0), w(5), w(10)]).toEqual([0, 0.5, 1]);
    expect(w(60)).toBeCloseTo(0.55, 14);
    expect(w(110)).toBeCloseTo(0.1, 14);
    const lw = linearWarmup(4, exponentialDecay({ initValue: 0.8, transitionSteps: 1, decayRate: 0.5 }));
    expect([lw(0), lw(2), lw(4), lw(5)]).toEqual([0, 0.4, 0.8, 0.4]);
    const j = joinSchedules([0.1, (k) => k], [3]);
    expect([j(2), j(3), j(5)]).toEqual([0.1, 0, 2]);
  });
});

describe('typed errors naming the argument', () => {
  const expectError = (fn: () => unknown, type: typeof ValueError | typeof ShapeError, arg: string) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(type);
      expect((e as ValueError).argument).toBe(arg);
      expect((e as Error).message).toContain(arg);
      return;
    }
    throw new Error('expected a throw');
  };
  it('bad options', () => {
    expectError(() => sgd({} as never), ValueError, 'learningRate');
    expectError(() => sgd({ learningRate: -0.1 }), ValueError, 'learningRate');
    expectError(() => sgd({ learningRate: 0.1, momentum: 1 }), ValueError, 'momentum');
    expectError(() => sgd({ learningRate: 0.1, nesterov: true }), ValueError, 'nesterov');
    expectError(() => adam({ learningRate: 0.1, b1: 1.5 }), ValueError, 'b1');
    expectError(() => adam({ learningRate: Number.NaN }), ValueError, 'learningRate');
    expectError(() => adagrad({ learningRate: 0.1, eps: -1 }), ValueError, 'eps');
    expectError(() => clipByGlobalNorm(0), ValueError, 'maxNorm');
    expectError(() => cosineDecay({ initValue: 1, decaySteps: 0 }), ValueError, 'decaySteps');
    expectError(
      () => exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0 }),
      ValueError,
      'decayRate',
    );
    expectError(() => chain(sgd({ learningRate: 1 }), 3 as never), ValueError, 'transforms[1]');
    expectError(() => chain(sgd({ learningRate: 1 })).update(vec(1), [] as never), ValueError, 'state');
  });
  it("the chain checks are shared (nn's tree chain uses them with its own protocol name)", () => {
    expect(() => checkChainArguments([sgd({ learningRate: 1 }), {}], 'TreeTransformation')).toThrow(
      /transforms\[1\] \(chain argument 1\) must be a TreeTransformation/,
    );
    expectError(() => checkChainArguments(3 as never), ValueError, 'transforms');
    const states = [{ count: 0 }];
    expect(chainState(states, 1)).toBe(states);
    expectError(() => chainState(states, 2), ValueError, 'state');
    expectError(() => chainState({}, 1), ValueError, 'state');
    expectError(() => chainState(states, -1), ValueError, 'n');
  });
  it('bad gradients and states', () => {
    const opt = adam({ learningRate: 0.1 });
    const s = opt.init(vec(0, 0));
    expectError(() => opt.update(vec(1), s), ShapeError, 'grads');
    expectError(() => opt.update(vec(1, Number.NaN), s), ValueError, 'grads');
    expectError(() => opt.update([1, 2] as never, s), ShapeError, 'grads');
    expectError(() => opt.update(vec(1, 2), {} as never), ValueError, 'state');
    expectError(
      () => sgd({ learningRate: () => Number.NaN }).update(vec(1), [{ count: 0 }]),
      ValueError,
      'learningRate',
    );
    expectError(() => applyUpdates(vec(1, 2), vec(1)), ShapeError, 'updates');
  });
});
