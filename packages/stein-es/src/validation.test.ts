import { ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { CMAES } from './cmaEs';
import { GFSVGD } from './gfSvgd';
import { rbfRepulsionTensor, svgdDirectionTensor } from './tf';
import { minimize } from './minimize';
import { sphere } from './objectives';
import { SVCMAES } from './svCmaEs';
import { SVOpenAIES } from './svOpenAiEs';
import { svgd } from './svgd';

describe('bad input gets a typed error naming the option', () => {
  it('CMAES', () => {
    expect(() => new CMAES({ mean0: [0, 0], sigma0: -1 })).toThrow(ValueError);
    expect(() => new CMAES({ mean0: [0, 0], sigma0: -1 })).toThrow(/sigma0 must be > 0, got -1/);
    expect(() => new CMAES({ mean0: [0, 0], sigma0: 0 })).toThrow(/sigma0/);
    expect(() => new CMAES({ mean0: [], sigma0: 1 })).toThrow(/mean0/);
    expect(() => new CMAES({ mean0: [0, Number.NaN], sigma0: 1 })).toThrow(/mean0/);
    expect(() => new CMAES({ mean0: [0, 0], sigma0: 1, popSize: 1 })).toThrow(/popSize/);
    expect(() => new CMAES({ mean0: [0, 0], sigma0: 1, bounds: { lower: [0, 0], upper: [1] } })).toThrow(
      ShapeError,
    );
    expect(() => new CMAES({ mean0: [0, 0], sigma0: 1, bounds: { lower: 1, upper: 0 } })).toThrow(/bounds/);
    const es = new CMAES({ mean0: [0, 0], sigma0: 1 });
    const xs = es.ask();
    expect(() => es.tell(xs.slice(1), [1, 2, 3, 4, 5])).toThrow(ShapeError);
    expect(() => es.tell(xs, [1, 2])).toThrow(/fitness must have length 6/);
    expect(() => es.tell([...xs.slice(1), Float64Array.of(1, 2, 3)], [1, 2, 3, 4, 5, 6])).toThrow(
      /xs must have rows of equal length 2, got length 3 at row 5/,
    );
  });

  it('SVCMAES: wrong dimensions, an empty population, σ ≤ 0, P·λ < 2', () => {
    expect(() => new SVCMAES({ means0: [], popSize: 4 })).toThrow(/means0/);
    expect(() => new SVCMAES({ means0: [[0, 0], [1]], popSize: 4 })).toThrow(ShapeError);
    expect(() => new SVCMAES({ means0: [[0, 0]], popSize: 4, sigma0: 0 })).toThrow(/sigma0/);
    expect(() => new SVCMAES({ means0: [[0, 0]], popSize: 1 })).toThrow(
      /popSize must be an integer in \[2, 1000000\], got 1/,
    );
    expect(() => new SVCMAES({ means0: [[0, 0]], popSize: 0 })).toThrow(/popSize/);
    expect(() => new SVCMAES({ means0: [[0, 0]], popSize: 4, alpha: -1 })).toThrow(/alpha/);
    expect(
      () => new SVCMAES({ means0: [[0, 0]], popSize: 4, kernel: { type: 'rbf', bandwidth: 0 } }),
    ).toThrow(/kernel.bandwidth must be > 0, got 0/);
    expect(() => new SVCMAES({ means0: { lower: 0, upper: 1, count: 3 }, popSize: 4 })).toThrow(/means0.dim/);
    const es = new SVCMAES({
      means0: [
        [0, 0],
        [1, 1],
      ],
      popSize: 4,
    });
    expect(() => es.tell(es.ask().slice(0, 4), [1, 2, 3, 4])).toThrow(/xs must have 8 rows, got 4/);
  });

  it('SVOpenAIES, SVGD, GF-SVGD, minimize', async () => {
    expect(() => new SVOpenAIES({ means0: [[0]], popSize: 4, sigma0: -2 })).toThrow(/sigma0/);
    expect(() => new SVOpenAIES({ means0: [[0]], popSize: 2, shaping: 'rank' as never })).toThrow(/shaping/);
    expect(() => svgd({ gradLogP: (x) => x }, [], {})).toThrow(/x0/);
    expect(() => svgd({ gradLogP: (x) => x }, [[0, 0]], { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => svgd({ gradLogP: () => [1] }, [[0, 0]], { maxSteps: 1 })).toThrow(
      /gradLogP must return a vector of length 2/,
    );
    expect(() => svgd({ gradLogP: () => [Number.NaN, 0] }, [[0, 0]], { maxSteps: 1 })).toThrow(ValueError);
    expect(() => new GFSVGD([[0], [1]], { learningRate: -1 })).toThrow(/learningRate/);
    await expect(minimize((xs) => xs.map(sphere), {})).rejects.toThrow(/x0/);
    await expect(minimize((xs) => xs.map(sphere), { x0: [1], method: 'nelder' as never })).rejects.toThrow(
      /method/,
    );
    await expect(minimize((xs) => xs.slice(1).map(sphere), { x0: [1, 1] })).rejects.toThrow(
      /one per candidate/,
    );
  });

  it('NaN fitness in tell is ranked worst, counted, and never makes the state NaN', () => {
    const es = new CMAES({ mean0: [1, 1], sigma0: 0.5, seed: 1 });
    for (let g = 0; g < 30; g++) {
      const xs = es.ask();
      es.tell(
        xs,
        xs.map((x, k) => (k === 0 ? Number.NaN : k === 1 ? Infinity : sphere(x))),
      );
    }
    expect(es.nonFiniteEvaluations).toBe(60);
    expect(Number.isFinite(es.sigma)).toBe(true);
    for (const v of es.state.C) expect(Number.isFinite(v)).toBe(true);
    expect(es.fBest).toBeLessThan(1e-3);
  });
});

describe('no tensor leaks', () => {
  it('the tensor kernels and SV-CMA-ES with the tensor backend leave tf.memory().numTensors unchanged', async () => {
    await ready();
    const before = tf.memory().numTensors;
    const pts = [Float64Array.of(0, 0), Float64Array.of(1, 0), Float64Array.of(0, 2)];
    rbfRepulsionTensor(pts, 1);
    svgdDirectionTensor(pts, Float64Array.of(1, 0, 0, 1, 1, 1), 1);
    const es = new SVCMAES({ means0: pts, popSize: 4, kernelBackend: 'tensor', seed: 1 });
    for (let g = 0; g < 3; g++) {
      const xs = es.ask();
      es.tell(xs, xs.map(sphere));
    }
    svgd({ gradLogP: (x) => x.map((v) => -v) }, pts, { maxSteps: 3, kernelBackend: 'tensor' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
