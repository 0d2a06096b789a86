import { ShapeError, ValueError } from '@descent/tensor';
import { clusterCenters, defaultPositive, makeClusterData, sampleClusterData } from './clusterData';

describe('multi-cluster data (Definition 3.1, Assumption 3.2)', () => {
  it.each([false, true])('centres are orthogonal with norm √d (rotate = %s)', (rotate) => {
    const k = 5;
    const d = 40;
    const c = clusterCenters({ k, d, rotate, seed: 3 });
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += c[i * d + t] * c[j * d + t];
        expect(s).toBeCloseTo(i === j ? d : 0, 10);
      }
    }
    if (rotate) expect(Array.from(c)).not.toEqual(Array.from(clusterCenters({ k, d })));
  });

  it('samples: y = +1 exactly on J₊, x − μ_j has unit-variance noise, balanced splits are exact', () => {
    const centers = clusterCenters({ k: 4, d: 50 });
    const data = sampleClusterData(centers, 4, { n: 4000, positive: [1, 3], seed: 1 });
    let v = 0;
    for (let i = 0; i < data.n; i++) {
      expect(data.y[i]).toBe(data.cluster[i] === 1 || data.cluster[i] === 3 ? 1 : -1);
      for (let t = 0; t < 50; t++) v += (data.X[i * 50 + t] - centers[data.cluster[i] * 50 + t]) ** 2;
    }
    expect(v / (4000 * 50)).toBeCloseTo(1, 1);
    const counts = new Array(4).fill(0);
    for (const j of data.cluster) counts[j]++;
    counts.forEach((c) => {
      expect(Math.abs(c - 1000)).toBeLessThan(150);
    }); // j ~ Unif[k]
    const bal = sampleClusterData(centers, 4, { n: 402, balanced: true, seed: 1 });
    const bc = new Array(4).fill(0);
    for (const j of bal.cluster) bc[j]++;
    expect(bc).toEqual([101, 101, 100, 100]);
    expect(Array.from(defaultPositive(5))).toEqual([0, 1, 2]);
  });

  it('is deterministic: same seed, same bits; train and test differ', () => {
    const a = makeClusterData({ k: 4, d: 16, nTrain: 30, seed: 'x' });
    const b = makeClusterData({ k: 4, d: 16, nTrain: 30, seed: 'x' });
    expect(b).toEqual(a);
    expect(Array.from(a.train.X)).not.toEqual(Array.from(a.test.X));
    expect(Array.from(makeClusterData({ k: 4, d: 16, nTrain: 30, seed: 'y' }).train.X)).not.toEqual(
      Array.from(a.train.X),
    );
  });

  it('rejects bad input naming the argument', () => {
    expect(() => clusterCenters({ k: 1, d: 4 })).toThrow(/k must be an integer >= 2/);
    expect(() => makeClusterData({ k: 4, d: 8, nTrain: 10, rotation: true } as never)).toThrow(
      /rotation is not an option/,
    );
    expect(() => clusterCenters({ k: 5, d: 4 })).toThrow(ShapeError);
    const c = clusterCenters({ k: 3, d: 6 });
    expect(() => sampleClusterData(c, 3, { n: 0 })).toThrow(/n must be an integer/);
    expect(() => sampleClusterData(c, 3, { n: 5, positive: [0, 1, 2] })).toThrow(
      /positive must hold between 1 and k − 1/,
    );
    expect(() => sampleClusterData(c, 3, { n: 5, positive: [0, 0] })).toThrow(/must not repeat/);
    expect(() => sampleClusterData(c, 3, { n: 5, positive: [3] })).toThrow(/positive\[0\]/);
    expect(() => sampleClusterData(c, 3, { n: 5, noiseStd: -1 })).toThrow(/noiseStd/);
    expect(() => sampleClusterData(new Float64Array(7), 3, { n: 5 })).toThrow(/centers/);
    expect(() => sampleClusterData(c, 3, { n: 5, positive: 'ab' as never })).toThrow(ValueError);
    expect(() => sampleClusterData(c, 3, null as never)).toThrow(ValueError);
    expect(() => sampleClusterData(c, 3, undefined as never)).toThrow(/n is required|n must be/);
  });
});
