import {
  type GradientTransformation,
  Matrix,
  Rng,
  ShapeError,
  ValueError,
  chain,
  rbf,
  scaleByLearningRate,
  scaleByRms,
  svgdDirection,
  svgdDirectionRbf,
  trace,
} from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { svgdDirectionTensor } from './tf';
import { type SvgdOptions, type SvgdTarget, svgd } from './svgd';
import { G2_MEAN, G2_PRECISION, g2Covariance, gaussianTarget } from './targets';

const target = gaussianTarget();
const mu = [...G2_MEAN];

function meanCov(xs: Float64Array[]) {
  const n = xs.length;
  const m = [0, 0];
  for (const x of xs) for (let c = 0; c < 2; c++) m[c] += x[c] / n;
  const C = [0, 0, 0, 0];
  for (const x of xs)
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) C[a * 2 + b] += ((x[a] - m[a]) * (x[b] - m[b])) / n;
  return { m, C };
}

describe('SVGD (Liu & Wang 2016), the gradient reference (notes 5.2.6)', () => {
  beforeAll(async () => {
    await ready();
  });

  it("the float32 tensor direction equals @descent/tensor's float64 svgdDirection", () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 40 }, () => rng.normalArray(2, 0, 2));
    const S = new Matrix(40, 2);
    xs.forEach((x, i) => {
      S.data.set(target.gradLogP(x), i * 2);
    });
    const a = svgdDirection(rbf({ bandwidth: 0.8 }), Matrix.of(xs), S).data;
    const b = svgdDirectionTensor(xs, S.data, 0.8);
    for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-5);
  });

  it('n = 100 on G2 recovers the mean (< 0.05) and covariance (relative < 0.15); at convergence the degree-weighted mean is μ (1e-3)', () => {
    const rng = new Rng(5);
    const x0 = Array.from({ length: 100 }, () => rng.normalArray(2));
    const r = svgd(target, x0, {
      maxSteps: 2000,
      learningRate: 0.5,
      step: 'plain',
      kernelBackend: 'tensor',
      tol: 1e-4,
    });
    const { m, C } = meanCov(r.particles);
    const S = g2Covariance();
    expect(Math.max(Math.abs(m[0] - mu[0]), Math.abs(m[1] - mu[1]))).toBeLessThan(0.05);
    const diff = Math.hypot(C[0] - S[0], C[1] - S[1], C[2] - S[2], C[3] - S[3]);
    expect(diff / Math.hypot(S[0], S[1], S[2], S[3])).toBeLessThan(0.15);
    // fixed point: Σ_i φ_i = (1/n) Σ_j d_j ∇log p(x_j) = 0 ⇒ Σ_j d_j x_j / Σ_j d_j = μ (Gaussian)
    expect(r.lastStepNorm).toBeLessThan(1e-3);
    const Xm = Matrix.of(r.particles);
    const h = Math.sqrt((0.5 * medianSq(r.particles)) / Math.log(101));
    const K = rbf({ bandwidth: h }).matrix(Xm).data;
    const w = [0, 0];
    let dsum = 0;
    for (let j = 0; j < 100; j++) {
      let dj = 0;
      for (let i = 0; i < 100; i++) dj += K[i * 100 + j];
      dsum += dj;
      for (let c = 0; c < 2; c++) w[c] += dj * r.particles[j][c];
    }
    expect(Math.abs(w[0] / dsum - mu[0])).toBeLessThan(1e-3);
    expect(Math.abs(w[1] / dsum - mu[1])).toBeLessThan(1e-3);
    expect(r.gradientEvaluations).toBe(100 * (r.steps + (r.steps < 2000 ? 1 : 0)));
  });

  it('n = 1 reduces to gradient ascent on log p and converges to the mode', () => {
    const r = svgd(target, [[3, -2]], { maxSteps: 3000, learningRate: 0.5, step: 'plain' });
    expect(r.particles[0][0]).toBeCloseTo(mu[0], 6);
    expect(r.particles[0][1]).toBeCloseTo(mu[1], 6);
  });

  it('a tfjs log-density gives the analytic scores through autodiff (same trajectory to float32 precision)', () => {
    const [a, b, , c] = G2_PRECISION;
    const logDensityTensor = (X: tf.Tensor2D) =>
      tf.tidy(() => {
        const U = tf.sub(X, tf.tensor1d(mu));
        const A = tf.tensor2d([a, b, b, c], [2, 2]);
        return tf.mul(tf.sum(tf.mul(tf.matMul(U, A), U), 1), -0.5);
      });
    const rng = new Rng(2);
    const x0 = Array.from({ length: 10 }, () => rng.normalArray(2));
    const before = tf.memory().numTensors;
    const r1 = svgd({ logDensityTensor }, x0, { maxSteps: 20, learningRate: 0.1, step: 'plain' });
    expect(tf.memory().numTensors).toBe(before);
    const r2 = svgd(target, x0, { maxSteps: 20, learningRate: 0.1, step: 'plain' });
    for (let i = 0; i < 10; i++)
      for (let k = 0; k < 2; k++) expect(Math.abs(r1.particles[i][k] - r2.particles[i][k])).toBeLessThan(1e-4);
  });
});

/**
 * SVGD by the composition of public pieces (what svgd did before its in-place loop): per-particle
 * scores, tensor's svgdDirectionRbf, the step as a GradientTransformation, x ← x + update.
 */
function referenceSvgd(
  gradLogP: (x: Float64Array) => ArrayLike<number>,
  x0: Float64Array[],
  o: {
    maxSteps: number;
    learningRate: number;
    step?: 'adagrad' | 'plain' | GradientTransformation<unknown>;
    bandwidth?: number | 'median';
    tol?: number;
  },
) {
  const xs = x0.map((x) => Float64Array.from(x));
  const n = xs.length;
  const d = xs[0].length;
  const step = o.step ?? 'adagrad';
  const opt =
    step === 'adagrad'
      ? chain(scaleByRms({ decay: 0.9, eps: 1e-6 }), scaleByLearningRate(o.learningRate, { flipSign: false }))
      : step === 'plain'
        ? chain(scaleByLearningRate(o.learningRate, { flipSign: false }))
        : step;
  let state = opt.init(new Float64Array(n * d));
  let it = 0;
  let maxPhi = Infinity;
  for (; it < o.maxSteps; it++) {
    const S = new Matrix(n, d);
    for (let i = 0; i < n; i++) S.data.set(gradLogP(xs[i]), i * d);
    const phi = svgdDirectionRbf(Matrix.of(xs), S, o.bandwidth ?? 'median').direction.data;
    maxPhi = 0;
    for (const v of phi) maxPhi = Math.max(maxPhi, Math.abs(v));
    if (maxPhi < (o.tol ?? 0)) break;
    const r = opt.update(phi, state);
    state = r.state;
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) xs[i][c] += r.updates[i * d + c];
  }
  return { particles: xs, steps: it, lastStepNorm: maxPhi };
}

describe('svgd: the in-place float64 loop and the batched score', () => {
  const score = (x: Float64Array) => x.map((v, c) => -v * (1 + 0.1 * c) + Math.sin(v));
  const batch = (X: Float64Array, out: Float64Array, n: number, d: number) => {
    for (let i = 0; i < n; i++) out.set(score(X.subarray(i * d, (i + 1) * d)), i * d);
  };
  const configs: [string, number, number, SvgdOptions][] = [
    ['adagrad, median h', 100, 10, { maxSteps: 25 }],
    ['adagrad, median h, n = 47 (bracketed median)', 47, 3, { maxSteps: 25, learningRate: 0.05 }],
    [
      'plain, fixed h',
      30,
      2,
      { maxSteps: 25, step: 'plain', learningRate: 0.1, kernel: { type: 'rbf', bandwidth: 0.7 } },
    ],
    [
      'custom transformation (momentum)',
      20,
      4,
      { maxSteps: 15, step: chain(trace({ decay: 0.5 }), scaleByLearningRate(0.05, { flipSign: false })) },
    ],
    ['one particle', 1, 3, { maxSteps: 10, step: 'plain', learningRate: 0.2 }],
    ['tol stops early', 12, 2, { maxSteps: 400, step: 'plain', learningRate: 0.5, tol: 1e-2 }],
  ];
  it.each(configs)('%s: same bits as the composition of public pieces, per-particle and batched', (_, n, d, opts) => {
    const rng = new Rng(`svgd-bits-${n}-${d}`);
    const x0 = Array.from({ length: n }, () => rng.normalArray(d, 1, 2));
    const ref = referenceSvgd(score, x0, {
      maxSteps: opts.maxSteps as number,
      learningRate: opts.learningRate ?? 1e-3,
      step: opts.step,
      bandwidth: opts.kernel?.bandwidth,
      tol: opts.tol,
    });
    const targets: SvgdTarget[] = [
      { gradLogP: score },
      { gradLogPBatch: batch },
      {
        gradLogPBatch: (X: Float64Array, _out: Float64Array, n: number, d: number) => {
          const g = new Float64Array(n * d);
          batch(X, g, n, d);
          return g;
        },
      },
      { gradLogP: () => [Number.NaN], gradLogPBatch: batch }, // the batched score wins
    ];
    for (const t of targets) {
      const r = svgd(t, x0, opts);
      expect(r.steps).toBe(ref.steps);
      expect(r.lastStepNorm).toBe(ref.lastStepNorm);
      expect(r.gradientEvaluations).toBe(n * (ref.steps + (ref.steps < (opts.maxSteps as number) ? 1 : 0)));
      for (let i = 0; i < n; i++) expect(Array.from(r.particles[i])).toEqual(Array.from(ref.particles[i]));
    }
  });

  it('returns independent particle arrays; gradLogP sees the live particle', () => {
    const seen: Float64Array[] = [];
    const r = svgd(
      { gradLogP: (x) => (seen.push(x), x.map((v) => -v)) },
      [
        [1, 2],
        [3, 4],
        [0, 1],
      ],
      { maxSteps: 2 },
    );
    expect(r.particles[0].buffer).not.toBe(r.particles[1].buffer);
    expect(r.particles[0].length).toBe(2);
    r.particles[0][0] = 99;
    expect(r.particles[1][0]).not.toBe(99);
    expect(seen).toHaveLength(6);
    expect(seen[0]).toBe(seen[3]); // the same particle object at every iteration, as before
  });

  it('rejects bad batched scores and mixed targets with typed errors naming them', () => {
    const x0 = [
      [0, 0],
      [1, 1],
      [2, 0],
    ];
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as { argument?: string; name: string; message: string };
      }
      throw new Error('no error');
    };
    const unwritten = err(() =>
      svgd({ gradLogPBatch: (_X: Float64Array, out: Float64Array) => out.fill(0, 1) }, x0, { maxSteps: 1 }),
    );
    expect(unwritten).toBeInstanceOf(ValueError);
    expect(unwritten.message).toMatch(/not finite at particle 0/);
    expect(unwritten.argument).toBe('gradLogPBatch');
    const short = err(() => svgd({ gradLogPBatch: () => [1, 2] }, x0, { maxSteps: 1 }));
    expect(short).toBeInstanceOf(ShapeError);
    expect(short.argument).toBe('gradLogPBatch');
    const inf = err(() => svgd({ gradLogPBatch: () => [0, 0, 0, Infinity, 0, 0] }, x0, { maxSteps: 1 }));
    expect(inf).toBeInstanceOf(ValueError);
    expect(inf.message).toMatch(/particle 1/);
    expect(err(() => svgd({ gradLogPBatch: 42 } as never, x0, {})).argument).toBe('target');
    expect(
      err(() => svgd({ gradLogP: (x: Float64Array) => x, logDensityTensor: (X: never) => X } as never, x0, {}))
        .argument,
    ).toBe('target');
    expect(err(() => svgd({} as never, x0, {})).argument).toBe('target');
  });
});

function medianSq(xs: Float64Array[]): number {
  const v: number[] = [];
  for (const x of xs) for (const y of xs) v.push((x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2);
  v.sort((p, q) => p - q);
  const m = v.length;
  return m % 2 ? v[(m - 1) / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}
