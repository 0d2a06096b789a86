/**
 * The statistics of the (Le)ZO estimator, in float64 without tfjs (the notes' §5.2, tests 1–4).
 */
import { Rng } from '@descent/tensor';
import { activeGroups, resolveSelection } from './layerSelection';
import { runRng, stepSeed } from './noise';
import { ReferenceZo, noiseBlocks, replayArrays, spsaReference } from './reference';

/** θ as blocks: one always-active block 'head' of size 4 and N = 4 blocks of size 5 (d = 24). */
const SIZES = [5, 5, 5, 5, 4];
const GROUPS = ['block0', 'block1', 'block2', 'block3', 'head'];
const D = SIZES.reduce((a, b) => a + b, 0);

function flat(blocks: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(D);
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

function split(v: Float64Array): Float64Array[] {
  let o = 0;
  return SIZES.map((n) => {
    const b = v.slice(o, o + n);
    o += n;
    return b;
  });
}

/** A random SPD quadratic ½θᵀAθ + bᵀθ and its gradient. */
function quadratic(seed: number) {
  const rng = new Rng(seed);
  const M = rng.normalArray(D * D);
  const A = new Float64Array(D * D);
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < D; k++) s += (M[i * D + k] * M[j * D + k]) / D;
      A[i * D + j] = s;
    }
  const b = rng.normalArray(D);
  const f = (blocks: readonly Float64Array[]) => {
    const x = flat(blocks);
    let v = 0;
    for (let i = 0; i < D; i++) {
      let Ax = 0;
      for (let j = 0; j < D; j++) Ax += A[i * D + j] * x[j];
      v += 0.5 * x[i] * Ax + b[i] * x[i];
    }
    return v;
  };
  const grad = (blocks: readonly Float64Array[]) => {
    const x = flat(blocks);
    const g = new Float64Array(D);
    for (let i = 0; i < D; i++) {
      let Ax = b[i];
      for (let j = 0; j < D; j++) Ax += A[i * D + j] * x[j];
      g[i] = Ax;
    }
    return g;
  };
  return { f, grad, theta: split(rng.normalArray(D)) };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const norm2 = (a: Float64Array) => dot(a, a);
/** The blocks as an array tree: one tensor `w` per group. */
const asTree = (blocks: readonly Float64Array[]) =>
  Object.fromEntries(GROUPS.map((g, i) => [g, { w: blocks[i] }]));

describe('two-point SPSA on quadratics', () => {
  it('is exact for every ε: (L(θ+εz) − L(θ−εz))/(2ε) = zᵀ∇L(θ)', () => {
    for (const seed of [1, 2, 3]) {
      const { f, grad, theta } = quadratic(seed);
      const g = grad(theta);
      for (const eps of [1e-1, 1e-3, 1e-5]) {
        for (let s = 0; s < 5; s++) {
          const z = noiseBlocks(1000 * seed + s, SIZES);
          const exact = dot(flat(z), g);
          const { projectedGrad } = spsaReference(f, theta, z, eps);
          expect(Math.abs(projectedGrad - exact)).toBeLessThan(1e-9 * Math.max(1, Math.abs(exact)));
        }
      }
    }
  });
});

describe('unbiasedness and second moment over 20 000 step seeds', () => {
  const K = 20000;
  const { grad, theta } = quadratic(7);
  const g = grad(theta);
  const root = runRng('moments');

  function moments(keep: number) {
    const sel = resolveSelection(GROUPS, { keep });
    const mean = new Float64Array(D);
    let second = 0;
    for (let t = 0; t < K; t++) {
      const seed = stepSeed(root, t);
      const act = activeGroups(sel, seed, t);
      const z = noiseBlocks(
        seed,
        SIZES,
        GROUPS.map((gr) => act.includes(gr)),
      );
      const zf = flat(z);
      // on a quadratic the projected gradient is exactly zᵀ∇L (tested above): use it directly
      const pg = dot(zf, g);
      for (let i = 0; i < D; i++) mean[i] += (pg * zf[i]) / K;
      second += (pg * pg * norm2(zf)) / K;
    }
    return { mean, second };
  }

  it('MeZO: E ĝ = ∇L and E‖ĝ‖² = (d + 2)‖∇L‖²', () => {
    const { mean, second } = moments(4);
    const err = Math.sqrt(norm2(mean.map((v, i) => v - g[i])));
    expect(err).toBeLessThan(4 * Math.sqrt((D + 2) / K) * Math.sqrt(norm2(g)));
    expect(Math.abs(second / ((D + 2) * norm2(g)) - 1)).toBeLessThan(0.05);
  });

  it('LeZO (k of N blocks): E ĝ = (k/N)∇L on blocks and ∇L on always-active coordinates; E‖ĝ‖² = (n_act + 2)‖∇_act L‖²', () => {
    const N = 4;
    for (const k of [1, 2]) {
      const { mean, second } = moments(k);
      const expected = g.map((v, i) => (i < 20 ? (k / N) * v : v));
      const err = Math.sqrt(norm2(mean.map((v, i) => v - expected[i])));
      expect(err).toBeLessThan(4 * Math.sqrt((D + 2) / K) * Math.sqrt(norm2(g)));
      // the always-active head is unbiased on its own
      const headErr = Math.sqrt(norm2(mean.slice(20).map((v, i) => v - g[20 + i])));
      expect(headErr).toBeLessThan(4 * Math.sqrt((D + 2) / K) * Math.sqrt(norm2(g)));
      const nAct = 4 + 5 * k;
      const gHead = norm2(g.slice(20));
      const gBlocks = norm2(g.slice(0, 20));
      const predicted = (nAct + 2) * (gHead + (k / N) * gBlocks);
      expect(Math.abs(second / predicted - 1)).toBeLessThan(0.05);
      // fewer active coordinates: a smaller second moment than MeZO's
      expect(second).toBeLessThan((D + 2) * norm2(g));
    }
  });
});

describe('smoothing bias on a quartic', () => {
  // L(θ) = Σ c_i θ_i⁴ + Σ θ_i²: the central difference is zᵀ∇L + ε² Σ 4 c_i θ_i z_i³ exactly
  const rng = new Rng(11);
  const c = split(rng.uniformArray(D, { low: 0.5, high: 2 }) as Float64Array);
  const theta = split(rng.normalArray(D));
  const f = (th: readonly Float64Array[]) =>
    th.reduce((s, b, i) => s + b.reduce((t, x, j) => t + c[i][j] * x ** 4 + x * x, 0), 0);
  const grad = flat(theta.map((b, i) => b.map((x, j) => 4 * c[i][j] * x ** 3 + 2 * x)));

  it('is O(ε²): halving ε divides the error of the projected gradient by 4', () => {
    for (let s = 0; s < 10; s++) {
      const z = noiseBlocks(500 + s, SIZES);
      const exact = dot(flat(z), grad);
      const cubic = flat(theta.map((b, i) => b.map((x, j) => 4 * c[i][j] * x * z[i][j] ** 3))).reduce(
        (a, v) => a + v,
        0,
      );
      const e1 = spsaReference(f, theta, z, 0.1).projectedGrad - exact;
      const e2 = spsaReference(f, theta, z, 0.05).projectedGrad - exact;
      expect(e1 / e2).toBeCloseTo(4, 5);
      expect(Math.abs(e1 - 0.01 * cubic)).toBeLessThan(1e-9 * Math.max(1, Math.abs(cubic)));
    }
  });
});

describe('ReferenceZo (float64 ZO-SGD)', () => {
  it('restores θ exactly with lr 0 and moves only the active blocks', () => {
    const { f, theta } = quadratic(3);
    const zo = new ReferenceZo(asTree(theta), { learningRate: 0, keep: 1 });
    zo.stepOn(f);
    zo.theta.forEach((b, i) => {
      expect(Array.from(b)).toEqual(Array.from(theta[i]));
    });
    const zo2 = new ReferenceZo(asTree(theta), { learningRate: 0.01, keep: 1 });
    const r = zo2.stepOn(f);
    const act = r.directions[0].groups;
    zo2.theta.forEach((b, i) => {
      const moved = b.some((v, j) => v !== theta[i][j]);
      expect(moved).toBe(act.includes(GROUPS[i]));
    });
  });

  it('converges on a quadratic (MeZO and LeZO, 3 seeds)', () => {
    for (const seed of [0, 1, 2]) {
      const { f, grad, theta } = quadratic(20 + seed);
      const g0 = Math.sqrt(norm2(grad(theta)));
      for (const keep of [4, 2]) {
        const zo = new ReferenceZo(asTree(theta), { learningRate: 0.02, keep, seed });
        for (let t = 0; t < 3000; t++) zo.stepOn(f);
        expect(Math.sqrt(norm2(grad(zo.theta)))).toBeLessThan(0.05 * g0);
      }
    }
  });

  it('rejects bad input naming the argument', () => {
    const { theta } = quadratic(1);
    expect(() => new ReferenceZo(theta as never, { learningRate: 0.1 })).toThrow(/theta must be a tree/);
    expect(() => new ReferenceZo({ a: { w: [1, Number.NaN] } }, { learningRate: 0.1 })).toThrow(
      /theta.a.w must contain only finite numbers/,
    );
    expect(() => new ReferenceZo(asTree(theta), {} as never)).toThrow(/learningRate is required/);
    expect(() => new ReferenceZo(asTree(theta), { learningRate: Number.NaN })).toThrow(/learningRate/);
    expect(() => new ReferenceZo(asTree(theta), { learningRate: 0.1, eps: 0 })).toThrow(/eps/);
    expect(() => new ReferenceZo(asTree(theta), { learningRate: 0.1, drop: 9 })).toThrow(/drop/);
    expect(() => noiseBlocks(1, [3, -1])).toThrow(/sizes\[1\]/);
    expect(() => noiseBlocks(1, [3], [1 as never])).toThrow(/active\[0\] must be a boolean/);
    expect(() => spsaReference(() => Number.NaN, theta, noiseBlocks(1, SIZES), 1e-3)).toThrow(/finite/);
    expect(() => spsaReference((t) => t.length, theta, noiseBlocks(1, SIZES.slice(1)), 1e-3)).toThrow(
      /z must have/,
    );
    expect(() => replayArrays({ a: { w: [1] } }, '{"type":"ZoLog"}')).toThrow(/version/);
  });
});
