import { clusterCenters } from './clusterData';
import { averagingScore, cosineMatrix, decouplingScore, equivalentWeights } from './diagnostics';
import { trainingLabels } from './fullBatchGD';
import { binaryReLU, multiClassReLU } from './twoLayerReLU';

describe('diagnostics', () => {
  const k = 4;
  const d = 8;
  const centers = clusterCenters({ k, d, rotate: true, seed: 2 });
  const row = (coef: number[]) => {
    const w = new Float64Array(d);
    coef.forEach((c, j) => {
      for (let t = 0; t < d; t++) w[t] += c * centers[j * d + t];
    });
    return w;
  };

  it('perfect averages score exactly 1/√|J_s| in class and 0 off class', () => {
    const model = binaryReLU({ d, m: 1 });
    const W = new Float64Array(2 * d);
    W.set(row([3, 3, 0, 0]), 0);
    W.set(row([0, 0, 0.5, 0.5]), d);
    const s = averagingScore(model, { W, b: new Float64Array(2) }, centers, [0, 1]);
    expect(s.inClass).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(s.ideal).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(s.offClass).toBeCloseTo(0, 12);
    s.spread.forEach((v) => {
      expect(v).toBeCloseTo(0, 12);
    });
    const cos = cosineMatrix(W, centers, d);
    expect(cos[0]).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(cos[k + 2]).toBeCloseTo(1 / Math.SQRT2, 12);
  });

  it('equivalent weights average each block; perfect decoupling scores 1 and 0', () => {
    const model = multiClassReLU({ d, k, h: 2 });
    const W = new Float64Array(2 * k * d);
    for (let j = 0; j < k; j++) {
      const coef = [0, 0, 0, 0];
      coef[j] = 1;
      W.set(
        row(coef).map((v) => 2 * v),
        2 * j * d,
      );
      W.set(new Float64Array(d), (2 * j + 1) * d); // a dead neuron: the average still points to μ_j
    }
    const params = { W, b: new Float64Array(2 * k) };
    const eq = equivalentWeights(model, params);
    for (let t = 0; t < d; t++) expect(eq[t]).toBeCloseTo(centers[t], 12);
    const s = decouplingScore(model, params, centers);
    expect(s.diagonal).toBeCloseTo(1, 12);
    expect(s.minDiagonal).toBeCloseTo(1, 12);
    expect(s.offDiagonal).toBeCloseTo(0, 12);
  });

  it('rejects the wrong model kind and shapes', () => {
    const bin = binaryReLU({ d, m: 1 });
    const mc = multiClassReLU({ d, k });
    expect(() => equivalentWeights(bin, bin.init(0))).toThrow(/multi-class/);
    expect(() => averagingScore(mc, mc.init(0), centers, [0])).toThrow(/binary/);
    expect(() => decouplingScore(mc, mc.init(0), centers.subarray(0, d))).toThrow(/centers must have length/);
    expect(() => cosineMatrix(new Float64Array(5), centers, d)).toThrow(/rows/);
    const naming = (argument: string) => expect.objectContaining({ argument });
    expect(() => equivalentWeights(null as never, mc.init(0))).toThrow(naming('model'));
    expect(() => equivalentWeights({ ...mc, d: Number.NaN }, mc.init(0))).toThrow(naming('model'));
    expect(() => decouplingScore(mc, null as never, centers)).toThrow(naming('params'));
    expect(() => decouplingScore(mc, mc.init(0), null as never)).toThrow(naming('centers'));
    expect(() => decouplingScore(bin, bin.init(0), centers)).toThrow(naming('model'));
    expect(() => averagingScore(bin, bin.init(0), centers, null as never)).toThrow(naming('positive'));
    expect(() => averagingScore(bin, bin.init(0), centers, [0, 1, 2, 3])).toThrow(naming('positive'));
    expect(() => averagingScore(bin, bin.init(0), Number.NaN as never, [0])).toThrow(naming('centers'));
    expect(() => trainingLabels(null as never, { y: new Float64Array(1), cluster: new Int32Array(1) })).toThrow(
      naming('model'),
    );
    expect(() => trainingLabels(bin, {} as never)).toThrow(naming('data.y'));
    expect(() => trainingLabels(mc, null as never)).toThrow(naming('data'));
  });
});
