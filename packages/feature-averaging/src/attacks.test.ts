import { Rng } from '@descent/tensor';
import {
  averagedDirection,
  averagedDirectionAttack,
  binaryAccuracy,
  cliffRadius,
  pgdL2,
  robustAccuracyCurve,
} from './attacks';
import { clusterCenters } from './clusterData';
import { binaryReLU, binaryReadout, binaryScores } from './twoLayerReLU';

describe('attacks', () => {
  it('the averaged direction is (μ̄₊ − μ̄₋)/‖·‖ and each centre sits √(d/k) from its hyperplane (|J₊| = k/2)', () => {
    const k = 6;
    const d = 24;
    const c = clusterCenters({ k, d, rotate: true, seed: 1 });
    const u = averagedDirection(c, k, [0, 1, 2]);
    let norm = 0;
    for (let t = 0; t < d; t++) norm += u[t] * u[t];
    expect(norm).toBeCloseTo(1, 12);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += c[j * d + t] * u[t];
      expect(s).toBeCloseTo((j < 3 ? 1 : -1) * Math.sqrt(d / k), 10);
    }
    const X = c.slice(0, d);
    const moved = averagedDirectionAttack(X, [1], 2, u);
    for (let t = 0; t < d; t++) expect(moved[t]).toBeCloseTo(X[t] - 2 * u[t], 14);
  });

  it('PGD stays in the ε-ball, is deterministic, and flips a linear classifier exactly beyond its margin', () => {
    // a one-neuron-per-sign net whose score is ReLU(x₀) − ReLU(−x₀) = x₀: margin |x₀|
    const d = 4;
    const model = binaryReLU({ d, m: 1 });
    const params = { W: Float64Array.from([1, 0, 0, 0, -1, 0, 0, 0]), b: new Float64Array(2) };
    const rho = binaryReadout(model);
    const X = Float64Array.from([2, 0.3, -0.1, 0.5, -3, 1, 0, 0]);
    const y = [1, -1];
    const adv = pgdL2(model, params, rho, X, y, { eps: 2.5, seed: 4 });
    for (let i = 0; i < 2; i++) {
      let dn = 0;
      for (let t = 0; t < d; t++) dn += (adv[i * d + t] - X[i * d + t]) ** 2;
      expect(Math.sqrt(dn)).toBeLessThanOrEqual(2.5 + 1e-12);
    }
    const s = binaryScores(model, params, rho, adv);
    expect(y[0] * s[0]).toBeLessThanOrEqual(0); // margin 2 < 2.5: flipped
    expect(y[1] * s[1]).toBeGreaterThan(0); // margin 3 > 2.5: holds
    expect(Array.from(pgdL2(model, params, rho, X, y, { eps: 2.5, seed: 4 }))).toEqual(Array.from(adv));
    const curve = robustAccuracyCurve(model, params, rho, X, y, { radii: [0, 1.9, 2.1, 2.9, 3.1] });
    expect(curve).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(binaryAccuracy(model, params, rho, X, y)).toBe(1);
  });

  it('cliffRadius interpolates the first crossing of the level', () => {
    expect(cliffRadius([0, 1, 2, 3], [1, 0.9, 0.3, 0])).toBeCloseTo(1 + 0.4 / 0.6, 12);
    expect(cliffRadius([0, 1], [1, 0.8])).toBe(Number.POSITIVE_INFINITY);
    expect(cliffRadius([1, 2], [0.4, 0.1])).toBe(1);
  });

  it('rejects bad input naming the argument', () => {
    const model = binaryReLU({ d: 2, m: 1 });
    const p = model.init(0);
    const rho = binaryReadout(model);
    const X = new Rng(0).normalArray(4);
    expect(() => pgdL2(model, p, rho, X, [1, -1], { eps: -1 })).toThrow(/eps must be >= 0/);
    expect(() => pgdL2(model, p, rho, X, [1], { eps: 1 })).toThrow(/y must have length n = 2/);
    expect(() => pgdL2(model, p, rho, X, [1, 1], { eps: 1, steps: 2.5 })).toThrow(/steps/);
    expect(() => robustAccuracyCurve(model, p, rho, X, [1, 1], { radii: [] })).toThrow(
      /radii must be a non-empty array/,
    );
    expect(() => robustAccuracyCurve(model, p, rho, X, [1, 1], { radii: [1], attack: 'averaged' })).toThrow(
      /direction/,
    );
    expect(() => robustAccuracyCurve(model, p, rho, X, [1, 1], { radii: [Number.NaN] })).toThrow(
      /radii\[0\]/,
    );
    expect(() => averagedDirection(new Float64Array(6), 3, [0, 1, 2])).toThrow(/both classes/);
    expect(() => cliffRadius([1, 2], [1])).toThrow(/same length/);
    const naming = (argument: string) => expect.objectContaining({ argument });
    expect(() => averagedDirectionAttack(X, [1, 1], 1, null as never)).toThrow(naming('direction'));
    expect(() => averagedDirectionAttack(X, [1, Number.NaN], 1, Float64Array.of(1, 0))).toThrow(naming('y'));
    expect(() => averagedDirectionAttack(null as never, [1, 1], 1, Float64Array.of(1, 0))).toThrow(naming('X'));
    expect(() => cliffRadius(null as never, [1])).toThrow(naming('radii'));
    expect(() => cliffRadius([1], [Number.NaN])).toThrow(naming('accuracy'));
    expect(() => cliffRadius([1], [1], 2)).toThrow(naming('level'));
    expect(() => binaryReadout(null as never)).toThrow(naming('model'));
    expect(() => binaryScores(model, p, { mode: 'avg', sign: Float64Array.of(1) } as never, X)).toThrow(naming('readout'));
  });
});
