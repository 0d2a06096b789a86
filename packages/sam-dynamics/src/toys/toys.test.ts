import { ready, tf } from '@descent/tensor/tf';
import {
  type ParamTree,
  applyUpdates,
  disposeState,
  disposeTree,
  flattenTree,
  sgd,
  valueAndGradTree,
} from '@descent/nn';
import { escapeRate } from '../escape';
import { sam } from '../sam';
import { switchSchedule } from '../switchSchedule';
import { hyperbolaValley } from './hyperbolaValley';
import { gdFactor, quadraticToy, samTwoCycleAmplitude, usamFactor, usamThreshold } from './quadratic';
import { simulateToy } from './simulateToy';

describe('stability thresholds on a quadratic (§6.2 item 3)', () => {
  it('GD contracts iff ηλ < 2', () => {
    const run = (lambda: number) =>
      Math.abs(simulateToy(quadraticToy([lambda]), { start: [1], steps: 200, learningRate: 0.5 }).w[0]);
    expect(run(3.9)).toBeLessThan(1e-3); // ηλ = 1.95
    expect(run(4.1)).toBeGreaterThan(1e3); // ηλ = 2.05
    expect(gdFactor(0.5, 3.9)).toBeCloseTo(0.95, 12);
  });

  it('USAM diverges at rate |1 − ηλ(1 + ρλ)| = 1.40 for η = 0.5, λ = 3, ρ = 0.2, where GD contracts', () => {
    const toy = quadraticToy([3]);
    const usam = simulateToy(toy, {
      start: [1e-3],
      steps: 10,
      learningRate: 0.5,
      method: 'usam',
      rho: 0.2,
      record: true,
    });
    const ratios = usam.trajectory.slice(1).map((w, t) => Math.abs(w[0] / usam.trajectory[t][0]));
    for (const r of ratios) expect(r).toBeCloseTo(1.4, 10);
    expect(usamFactor(0.5, 3, 0.2)).toBeCloseTo(1.4, 12);
    const gd = simulateToy(toy, { start: [1e-3], steps: 10, learningRate: 0.5 });
    expect(Math.abs(gd.w[0])).toBeCloseTo(1e-3 * 0.5 ** 10, 12);
  });

  it('the USAM threshold λ* = (−1 + √(1 + 8ρ/η))/(2ρ) is where ηλ(1 + ρλ) = 2', () => {
    for (const [eta, rho] of [
      [0.5, 0.2],
      [0.1, 0.05],
      [0.01, 1],
    ]) {
      const l = usamThreshold(eta, rho);
      expect(eta * l * (1 + rho * l)).toBeCloseTo(2, 10);
      expect(usamFactor(eta, l * 0.99, rho)).toBeLessThan(1);
      expect(usamFactor(eta, l * 1.01, rho)).toBeGreaterThan(1);
    }
    expect(usamThreshold(0.5, 0)).toBe(4);
  });

  it.each([
    [0.1, 1, 0.05, 0.002632],
    [0.5, 2, 0.1, 0.1],
  ])(
    'normalised SAM settles in a 2-cycle of amplitude ηλρ/(2 − ηλ): η = %s, λ = %s, ρ = %s → %s',
    (eta, lambda, rho, amp) => {
      const r = simulateToy(quadraticToy([lambda]), {
        start: [0.7],
        steps: 2000,
        learningRate: eta,
        method: 'sam',
        rho,
        record: true,
      });
      const last = r.trajectory.slice(-4).map((w) => w[0]);
      for (const w of last) expect(Math.abs(w)).toBeCloseTo(samTwoCycleAmplitude(eta, lambda, rho), 6);
      expect(Math.sign(last[0])).toBe(-Math.sign(last[1]));
      expect(samTwoCycleAmplitude(eta, lambda, rho)).toBeCloseTo(amp, 6);
    },
  );
});

describe('the late-phase mechanism on the hyperbola valley ½(xy − 1)² (§6.2 item 4)', () => {
  const valley = hyperbolaValley();
  const T = 3000;
  const common = { start: [2.8, 0.06], steps: T, learningRate: 0.25, rho: 0.1, noise: 1e-3 } as const;
  it.each([0, 1, 2])(
    'seed %s: GD stops sharp (λ > 6), USAM for the last 1% recovers flatness (< 3.5), full USAM < 2.6',
    (seed) => {
      const gd = simulateToy(valley, { ...common, seed });
      const late = simulateToy(valley, {
        ...common,
        seed,
        method: 'usam',
        schedule: switchSchedule({ totalSteps: T, at: { lastSteps: T / 100 } }),
      });
      const full = simulateToy(valley, { ...common, seed, method: 'usam' });
      expect(gd.topEigenvalue).toBeGreaterThan(6);
      expect(late.topEigenvalue).toBeLessThan(3.5);
      expect(full.topEigenvalue).toBeLessThan(2.6);
      // all three end on the valley floor xy ≈ 1 (minima of the same valley)
      for (const r of [gd, late, full]) expect(r.value).toBeLessThan(1e-4);
    },
  );

  it('without gradient noise an exactly converged point does not move: SAM needs noise to escape', () => {
    // (2.5, 0.4): xy = 1 exactly in float64, λ = 6.41: GD-stable (< 2/η = 8), USAM-unstable (> λ* = 5.25)
    for (const method of ['sam', 'usam'] as const) {
      const still = simulateToy(valley, {
        start: [2.5, 0.4],
        steps: 300,
        learningRate: 0.25,
        method,
        rho: 0.1,
      });
      expect(Array.from(still.w)).toEqual([2.5, 0.4]);
      expect(still.topEigenvalue).toBeCloseTo(6.41, 12);
    }
    const noisy = simulateToy(valley, {
      start: [2.5, 0.4],
      steps: 3000,
      learningRate: 0.25,
      method: 'usam',
      rho: 0.1,
      noise: 1e-3,
    });
    // with noise it leaves for the USAM-stable part of the valley (λ < λ* = 5.25)
    expect(noisy.topEigenvalue).toBeLessThan(usamThreshold(0.25, 0.1));
  });

  it.each([0, 1, 2])(
    'seed %s: after a late switch USAM leaves the GD point exponentially, at the linear-stability rate |1 − ηλ(1 + ρλ)| (within 20%); GD stays',
    (seed) => {
      const K = 30;
      const run = (method: 'gd' | 'usam') =>
        simulateToy(valley, {
          ...common,
          seed,
          method,
          record: true,
          schedule: switchSchedule({ totalSteps: T, at: { lastSteps: K } }),
        });
      const usam = run('usam');
      const gd = run('gd');
      const ws = usam.trajectory[T - K];
      expect(Array.from(gd.trajectory[T - K])).toEqual(Array.from(ws)); // the same path up to the switch
      const dist = (r: typeof usam) =>
        r.trajectory.slice(T - K).map((w) => Math.hypot(w[0] - ws[0], w[1] - ws[1]));
      const d = dist(usam);
      const to = d.findIndex((x) => x > 0.05); // the linear regime
      expect(to).toBeGreaterThan(4);
      const predicted = usamFactor(0.25, valley.topEigenvalue(ws), 0.1); // ≈ 1.83
      expect(predicted).toBeGreaterThan(1.7);
      expect(Math.abs(escapeRate(d, { from: 1, to }).factor / predicted - 1)).toBeLessThan(0.2);
      expect(Math.max(...dist(gd))).toBeLessThan(0.01);
    },
  );

  it('the exact Hessian: top eigenvalue x² + y² on the valley floor', () => {
    const w = Float64Array.of(2.8, 1 / 2.8);
    expect(valley.topEigenvalue(w)).toBeCloseTo(2.8 ** 2 + 2.8 ** -2, 10);
    expect(valley.topEigenvalue(Float64Array.of(1, 1))).toBeCloseTo(2, 12);
  });
});

describe('the tensor-tree SAM follows the float64 toy', () => {
  beforeAll(async () => {
    await ready();
  });
  it.each(['sam', 'usam', 'asam'] as const)(
    '%s: 20 steps on the valley agree to float32 precision',
    (mode) => {
      const valley = hyperbolaValley();
      const f = (p: ParamTree) =>
        tf.tidy(() => tf.mul(0.5, tf.square(tf.sub(tf.prod(p.v.w), 1))) as tf.Scalar);
      const opt = sam(sgd({ learningRate: 0.1 }), { mode, rho: 0.1 });
      let w: ParamTree = { v: { w: tf.tensor1d([1.5, 0.4]) } };
      let s = opt.init(w);
      for (let t = 0; t < 20; t++) {
        const { value, grads } = valueAndGradTree(f)(w);
        const r = opt.update(grads, s, w, { objective: f, loss: value });
        const next = applyUpdates(w, r.updates);
        [grads, r.updates, w].forEach(disposeTree);
        disposeState(s);
        w = next;
        s = r.state;
      }
      const ref = simulateToy(valley, {
        start: [1.5, 0.4],
        steps: 20,
        learningRate: 0.1,
        method: mode,
        rho: 0.1,
      });
      const got = flattenTree(w);
      expect(got[0]).toBeCloseTo(ref.w[0], 4);
      expect(got[1]).toBeCloseTo(ref.w[1], 4);
      disposeTree(w);
      disposeState(s);
    },
  );
});

describe('bad input', () => {
  it('typed errors naming the argument', () => {
    const q = quadraticToy([1, 2]);
    expect(() => quadraticToy([])).toThrow(/lambdas/);
    expect(() => quadraticToy([1, Number.NaN])).toThrow(
      /lambdas must contain only finite numbers, got NaN at index 1/,
    );
    expect(() => simulateToy(q, { start: [1], steps: 1, learningRate: 0.1 })).toThrow(
      /start must be an array of 2/,
    );
    expect(() => simulateToy(q, { start: [1, 1], steps: -1, learningRate: 0.1 })).toThrow(/steps/);
    expect(() => simulateToy(q, { start: [1, 1], steps: 1, learningRate: 0 })).toThrow(/learningRate/);
    expect(() => simulateToy(q, { start: [1, 1], steps: 1, learningRate: 0.1, method: 'usam' })).toThrow(
      /rho is required/,
    );
    expect(() =>
      simulateToy(q, { start: [1, 1], steps: 1, learningRate: 0.1, method: 'adam' as never }),
    ).toThrow(/method/);
    expect(() =>
      simulateToy(q, {
        start: [1, 1],
        steps: 5,
        learningRate: 0.1,
        method: 'sam',
        schedule: switchSchedule({ totalSteps: 4, at: { step: 1 } }),
      }),
    ).toThrow(/schedule.totalSteps must equal steps = 5/);
    expect(() => samTwoCycleAmplitude(1, 2.5, 0.1)).toThrow(/< 2/);
    expect(simulateToy(quadraticToy([100]), { start: [1], steps: 400, learningRate: 1 }).diverged).toBe(true);
  });
});
