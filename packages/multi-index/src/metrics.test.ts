import { median } from '@descent/tensor';
import { Matrix, Rng, ShapeError, ValueError } from '@descent/tensor';
import { bestOverlaps, coverage, matchNeurons, overlaps, relativeMSE, subspaceMass } from './metrics';
import { logLogSlope, recoverySweep } from './sweep';
import { samplesToRecovery } from './samplesToRecovery';

describe('recovery metrics', () => {
  // d = 3, directions e1, e2; neurons: e1, (e2 + e3)/√2, −e2
  const V = Matrix.from([
    [1, 0],
    [0, 1],
    [0, 0],
  ]);
  const s = Math.SQRT1_2;
  const W = Matrix.from([
    [1, 0, 0],
    [0, s, s],
    [0, -1, 0],
  ]);

  it('overlaps are cosines w_i·v_k/‖w_i‖, invariant to rescaling the neurons', () => {
    const M = overlaps(W, V);
    expect(Array.from(M.data)).toEqual([1, 0, 0, s, 0, -1].map((v) => expect.closeTo(v, 15)));
    const W2 = new Matrix(
      3,
      3,
      W.data.map((v) => 3 * v),
    );
    expect(Array.from(overlaps(W2, V).data)).toEqual(Array.from(M.data).map((v) => expect.closeTo(v, 14)));
  });

  it('coverage is min_k max_i |M_ik|, subspace mass is Σ_k M_ik²', () => {
    const M = overlaps(W, V);
    expect(Array.from(bestOverlaps(M))).toEqual([1, 1]);
    expect(coverage(M)).toBe(1);
    expect(Array.from(subspaceMass(M)).map((v) => Number(v.toFixed(12)))).toEqual([1, 0.5, 1]);
  });

  it('matchNeurons pairs distinct neurons with directions, keeping signs', () => {
    const M = Matrix.from([
      [0.9, 0.8],
      [0.85, 0.1],
      [0.2, -0.7],
    ]);
    const r = matchNeurons(M, { method: 'greedy' });
    // greedy: (0, v1) = 0.9 first, then v2's best unused neuron is 2 with |−0.7|
    expect(Array.from(r.neuron)).toEqual([0, 2]);
    expect(Array.from(r.sign)).toEqual([1, -1]);
    expect(r.minOverlap).toBeCloseTo(0.7, 15);
    // coverage allows one neuron for two directions, the matching does not
    expect(coverage(M)).toBeCloseTo(0.8, 15);
  });

  it('optimal matching maximises the total |overlap| where greedy does not, and agrees with brute force', () => {
    const M = Matrix.from([
      [0.9, 0.85],
      [0.8, 0.1],
    ]);
    expect(Array.from(matchNeurons(M, { method: 'greedy' }).neuron)).toEqual([0, 1]); // total 1.0
    const opt = matchNeurons(M);
    expect(Array.from(opt.neuron)).toEqual([1, 0]); // total 1.65
    expect(opt.minOverlap).toBeCloseTo(0.8, 15);
    // brute force over all injective maps on random 5×3 matrices
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const R = new Matrix(5, 3, rng.normalArray(15));
      let bestSum = -1;
      for (let a = 0; a < 5; a++)
        for (let b = 0; b < 5; b++)
          for (let c = 0; c < 5; c++) {
            if (a === b || a === c || b === c) continue;
            bestSum = Math.max(
              bestSum,
              Math.abs(R.get(a, 0)) + Math.abs(R.get(b, 1)) + Math.abs(R.get(c, 2)),
            );
          }
      const r = matchNeurons(R);
      expect(new Set(r.neuron).size).toBe(3);
      expect(r.overlap.reduce((x, y) => x + y, 0)).toBeCloseTo(bestSum, 12);
    }
    // fewer neurons than directions: one direction stays unassigned
    const short = matchNeurons(Matrix.from([[0.3, 0.9, 0.1]]));
    expect(Array.from(short.neuron)).toEqual([-1, 0, -1]);
    expect(short.minOverlap).toBe(0);
  });

  it('relative MSE and the shared median', () => {
    expect(relativeMSE([1, 2], [1, 4], 2)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('rejects mismatched shapes with typed errors', () => {
    expect(() => overlaps(W, Matrix.from([[1], [0]]))).toThrow(ShapeError);
    expect(() => overlaps(Matrix.from([[0, 0, 0]]), V)).toThrow(/W row 0 must be non-zero/);
    expect(() => relativeMSE([1], [1, 2], 1)).toThrow(ShapeError);
    expect(() => relativeMSE([1], [1], 0)).toThrow(ValueError);
  });
});

describe('sweep utilities', () => {
  it('logLogSlope recovers exponents of power laws and ignores non-finite points', () => {
    const xs = [16, 32, 64, 128];
    expect(
      logLogSlope(
        xs,
        xs.map((x) => 7 * x),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      logLogSlope(
        xs,
        xs.map((x) => 0.1 * x ** 3),
      ),
    ).toBeCloseTo(3, 12);
    expect(logLogSlope(xs, [10, 20, 40, Number.POSITIVE_INFINITY])).toBeCloseTo(1, 12);
    expect(logLogSlope([1], [1])).toBeNaN();
  });

  it('recoverySweep returns one JSON row per (link, P, d, seed) and validates its grid', () => {
    const rows = recoverySweep({
      ds: [8],
      Ps: [2],
      links: { 'h2+h4': { 2: 1, 4: 1 } },
      seeds: [0, 1],
      maxSamples: () => 64 * 40,
      checkEvery: 20,
    });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ link: 'h2+h4', d: 8, P: 2, seed: 0, evaluations: expect.any(Number) });
    expect(JSON.parse(JSON.stringify(rows))).toHaveLength(2);
    expect(() => recoverySweep({ ds: [], Ps: [2], links: { a: { 2: 1 } } })).toThrow(
      /ds must be a non-empty array/,
    );
    expect(() => recoverySweep({ ds: [8], Ps: [2], links: {} })).toThrow(/links must name at least one link/);
  });

  it('samplesToRecovery validates its options', () => {
    expect(() => samplesToRecovery({ d: 3, P: 4 })).toThrow(/P must be <= d/);
    expect(() => samplesToRecovery({ d: 8, P: 2, threshold: 1.5 })).toThrow(/threshold must be in \[0, 1\]/);
    expect(() => samplesToRecovery({ d: 8, P: 2, lrScale: 0 })).toThrow(/lrScale must be > 0/);
    expect(() => samplesToRecovery({ d: 8, P: 2, m: 0 })).toThrow(/m must be an integer/);
  });
});
