import { Rng, ShapeError, ValueError, randomOrthonormal } from '@descent/tensor';
import { cosineMatrix } from './diagnostics';
import { lossAndGradient, trainGD } from './fullBatchGD';
import {
  binaryReLU,
  binaryReadout,
  binaryScores,
  binaryScoresAndInputGradients,
  multiClassReLU,
} from './twoLayerReLU';

function randomParams(M: number, d: number, seed: number) {
  const rng = new Rng(seed);
  return { W: rng.normalArray(M * d), b: rng.normalArray(M) };
}

describe('two-layer ReLU with a fixed head (float64 reference)', () => {
  it('heads: binary ±1/m; multi-class block 1/h; binary readout of the multi-class net is Σ_{J₊} f_j − Σ_{J₋} f_j', () => {
    expect(Array.from(binaryReLU({ d: 3, m: 2 }).head)).toEqual([0.5, 0.5, -0.5, -0.5]);
    const mc = multiClassReLU({ d: 3, k: 3, h: 2 });
    expect(Array.from(mc.head)).toEqual([0.5, 0.5, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0.5, 0.5]);
    expect(Array.from(binaryReadout(mc, [1]).sign)).toEqual([-1, 1, -1]);
    const p = randomParams(6, 3, 1);
    const X = new Rng(2).normalArray(12);
    const out = mc.apply(p, X);
    const s = binaryScores(mc, p, binaryReadout(mc, [1]), X);
    const sMax = binaryScores(mc, p, binaryReadout(mc, [1], 'max'), X);
    for (let i = 0; i < 4; i++) {
      expect(s[i]).toBeCloseTo(out[i * 3 + 1] - out[i * 3] - out[i * 3 + 2], 14);
      expect(sMax[i]).toBeCloseTo(out[i * 3 + 1] - Math.max(out[i * 3], out[i * 3 + 2]), 14);
    }
  });

  it.each([
    ['binary', binaryReLU({ d: 6, m: 3 }), Float64Array.from([1, -1, 1, 1, -1])],
    ['multi-class', multiClassReLU({ d: 6, k: 3, h: 2 }), Float64Array.from([0, 2, 1, 1, 0])],
  ] as const)('%s: parameter gradients match central finite differences', (_, model, labels) => {
    const p = randomParams(model.neurons, 6, 4);
    const X = new Rng(5).normalArray(5 * 6);
    const g = lossAndGradient(model, p, X, labels);
    const h = 1e-6;
    for (const [key, grad] of [
      ['W', g.gW],
      ['b', g.gb],
    ] as const) {
      for (let q = 0; q < p[key].length; q++) {
        const plus = { W: p.W.slice(), b: p.b.slice() };
        const minus = { W: p.W.slice(), b: p.b.slice() };
        plus[key][q] += h;
        minus[key][q] -= h;
        const fd =
          (lossAndGradient(model, plus, X, labels).loss - lossAndGradient(model, minus, X, labels).loss) /
          (2 * h);
        expect(grad[q]).toBeCloseTo(fd, 7);
      }
    }
  });

  it.each(['sum', 'max'] as const)(
    'input gradients of the binary score match finite differences (%s readout)',
    (mode) => {
      const model = multiClassReLU({ d: 5, k: 4 });
      const p = randomParams(4, 5, 7);
      const rho = binaryReadout(model, [0, 2], mode);
      const X = new Rng(8).normalArray(3 * 5);
      const { scores, gradients } = binaryScoresAndInputGradients(model, p, rho, X);
      expect(Array.from(scores)).toEqual(Array.from(binaryScores(model, p, rho, X)));
      for (let q = 0; q < X.length; q++) {
        const a = X.slice();
        const b = X.slice();
        a[q] += 1e-6;
        b[q] -= 1e-6;
        const i = Math.floor(q / 5);
        const fd = (binaryScores(model, p, rho, a)[i] - binaryScores(model, p, rho, b)[i]) / 2e-6;
        expect(gradients[q]).toBeCloseTo(fd, 7);
      }
    },
  );

  it('GD is rotation equivariant: rotating data and initialisation rotates the trained weights (cosines unchanged)', () => {
    const d = 12;
    const n = 40;
    const model = binaryReLU({ d, m: 2, initStd: 0.1 });
    const rng = new Rng(9);
    const X = rng.normalArray(n * d);
    for (let i = 0; i < n; i++) X[i * d + (i % 2)] += i % 2 ? 3 : -3;
    const y = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1));
    const Q = randomOrthonormal(d, d, new Rng(10)).data; // d×d orthogonal, row-major
    const rot = (A: Float64Array) => {
      const rows = A.length / d;
      const out = new Float64Array(A.length);
      for (let r = 0; r < rows; r++)
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[r * d + a] += Q[a * d + b] * A[r * d + b];
      return out;
    };
    const p0 = model.init(11);
    const data = { X, y, cluster: new Int32Array(n) };
    const plain = trainGD(model, p0, data, { learningRate: 0.05, maxSteps: 50 }).params;
    const rotated = trainGD(
      model,
      { W: rot(p0.W), b: p0.b },
      { ...data, X: rot(X) },
      { learningRate: 0.05, maxSteps: 50 },
    ).params;
    const expected = rot(plain.W);
    for (let q = 0; q < expected.length; q++) expect(rotated.W[q]).toBeCloseTo(expected[q], 10);
    const centers = new Float64Array(2 * d);
    centers[0] = 1;
    centers[d + 1] = 1;
    const c1 = cosineMatrix(plain.W, centers, d);
    const c2 = cosineMatrix(rotated.W, rot(centers), d);
    c1.forEach((v, q) => {
      expect(c2[q]).toBeCloseTo(v, 10);
    });
  });

  it('training is deterministic and does not modify its input parameters', () => {
    const model = binaryReLU({ d: 8, m: 2 });
    const p0 = model.init('s');
    const copy = { W: p0.W.slice(), b: p0.b.slice() };
    const X = new Rng(1).normalArray(10 * 8);
    const data = {
      X,
      y: Float64Array.from({ length: 10 }, (_, i) => (i < 5 ? 1 : -1)),
      cluster: new Int32Array(10),
    };
    const a = trainGD(model, p0, data, { maxSteps: 5 });
    const b = trainGD(model, p0, data, { maxSteps: 5 });
    expect(b.params).toEqual(a.params);
    expect(b.history).toEqual(a.history);
    expect(p0).toEqual(copy);
    expect(a.history.map((r) => r.step)).toEqual([0, 5]);
  });

  it('rejects bad input naming the argument', () => {
    expect(() => binaryReLU({ d: 0 })).toThrow(/d must be an integer/);
    expect(() => binaryReLU({ d: 3, initStd: -1 })).toThrow(/initStd/);
    expect(() => multiClassReLU({ d: 3, k: 1 })).toThrow(/k must be an integer >= 2/);
    expect(() => binaryReLU({ d: 3, mm: 2 } as never)).toThrow(
      /mm is not an option of binaryReLU options \(did you mean m\?\)/,
    );
    expect(() =>
      trainGD(
        binaryReLU({ d: 3 }),
        binaryReLU({ d: 3 }).init(0),
        { X: new Float64Array(3), y: new Float64Array(1), cluster: new Int32Array(1) },
        { learningrate: 1 } as never,
      ),
    ).toThrow(/did you mean learningRate/);
    expect(() =>
      trainGD(
        binaryReLU({ d: 3 }),
        binaryReLU({ d: 3 }).init(0),
        { X: new Float64Array(3), y: new Float64Array(1), cluster: new Int32Array(1) },
        { recordEvery: 5 } as never,
      ),
    ).toThrow('recordEvery was renamed to historyEvery');
    const model = binaryReLU({ d: 3, m: 1 });
    const p = model.init(0);
    expect(() => model.apply(p, new Float64Array(4))).toThrow(ShapeError);
    expect(() => model.apply(p, [1, 2, 3] as never)).toThrow(/X must be a Float64Array/);
    expect(() => model.apply({ W: new Float64Array(5), b: p.b }, new Float64Array(3))).toThrow(
      /params.W must have length/,
    );
    expect(() => lossAndGradient(model, p, new Float64Array(6), [1])).toThrow(
      /labels must have length n = 2/,
    );
    expect(() =>
      trainGD(
        model,
        p,
        { X: new Float64Array(3), y: new Float64Array(1), cluster: new Int32Array(1) },
        { learningRate: 0 },
      ),
    ).toThrow(/learningRate/);
    expect(() => binaryReadout(multiClassReLU({ d: 3, k: 2 }))).toThrow(ValueError);
    expect(() => binaryReadout(multiClassReLU({ d: 3, k: 2 }), [0], 'mean' as never)).toThrow(
      /mode must be 'sum' or 'max'/,
    );
    expect(() =>
      binaryScores(model, p, { mode: 'sum', sign: new Float64Array(2) }, new Float64Array(3)),
    ).toThrow(/readout/);
  });
});
