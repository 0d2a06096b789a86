import { ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { Ons } from './baselines/ons';
import { countSketchDense } from './countSketch';
import { Forks } from './forks';
import { gaussianKernel, kernelAt } from './kernel';
import { rbfBlobs, xorStream } from './streams';
import { maxAbs, maxAbsDiff, mm, tr } from './testUtils';

const kernel = gaussianKernel(0.5);
const small = { kernel, budget: 40, updateCycle: 5, seed: 3 };

describe('Forks', () => {
  it('builds its feature map after B margin errors and keeps |wᵀφₜ| ≤ C after every projected step (exact projection)', () => {
    const s = xorStream(800, 1);
    const f = new Forks({ ...small, projectionGuard: 0 });
    let checked = 0;
    for (let t = 0; t < s.X.length; t++) {
      const r = f.learnOne(s.X[t], s.y[t]);
      if (!r.warmup && r.updated) {
        const phi = f.featureMap(s.X[t]);
        const w = f.weights;
        let z = 0;
        for (let i = 0; i < w.length; i++) z += w[i] * phi[i];
        expect(Math.abs(z)).toBeLessThanOrEqual(1 + 1e-9);
        checked++;
      }
    }
    expect(f.size).toBe(40);
    expect(f.isInitialized).toBe(true);
    expect(f.sketchUpdateCount).toBeGreaterThan(5);
    expect(checked).toBeGreaterThan(50);
  });

  it('sketch bookkeeping: patched Φ_pm, Φ_pp equal a from-scratch S′ᵀK′S′ with the same hashed rows (cross terms between appended points omitted, as documented)', () => {
    const s = xorStream(600, 2);
    const f = new Forks({ ...small, recordSketchUpdates: true });
    f.learnMany(s.X, s.y);
    const log = f.sketchLog;
    expect(log.length).toBeGreaterThan(3);
    const B = 40;
    const d = 2;
    const n = B + log.length;
    const P = new Float64Array(n * d);
    P.set(f.supportVectors);
    log.forEach((e, i) => {
      P.set(e.x, (B + i) * d);
    });
    const lay = f.sketchLayout as NonNullable<typeof f.sketchLayout>;
    const sp = f.options.sketchSize;
    const sm = f.options.sampleSize;
    // S′: the SVs' count sketch rows, then one 1-sparse row per appended point
    const S = new Float64Array(n * sp);
    S.set(countSketchDense({ n: B, s: sp, hash: lay.hash, sign: lay.sign }));
    log.forEach((e, i) => {
      S[(B + i) * sp + e.row] = e.sign;
    });
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const bothAppended = i >= B && j >= B && i !== j; // the omission (notes §2.7)
      K[i * n + j] = bothAppended ? 0 : kernelAt(kernel, P, i, P, j, d);
    }
    const StK = mm(tr(S, n, sp), K, sp, n, n);
    const phiPp = mm(StK, S, sp, n, sp);
    const Ksm = new Float64Array(n * sm);
    for (let i = 0; i < n; i++) for (let c = 0; c < sm; c++) Ksm[i * sm + c] = K[i * n + lay.sampled[c]];
    const phiPm = mm(tr(S, n, sp), Ksm, sp, n, sm);
    expect(maxAbsDiff(f.phiPp!, phiPp)).toBeLessThan(1e-10 * maxAbs(phiPp));
    expect(maxAbsDiff(f.phiPm!, phiPm)).toBeLessThan(1e-10 * maxAbs(phiPm));
    const pp = f.phiPp!;
    for (let i = 0; i < sp; i++) for (let j = 0; j < sp; j++) expect(pp[i * sp + j]).toBe(pp[j * sp + i]);
  });

  it('toJSON / fromJSON mid-stream continues bit-identically (through JSON text)', () => {
    for (const decomposition of ['tisvd', 'symmetric', 'full'] as const) {
      const s = xorStream(700, 4);
      const a = new Forks({ ...small, decomposition });
      a.learnMany(s.X.slice(0, 300), s.y.slice(0, 300));
      const b = Forks.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
      for (let t = 300; t < 700; t++) {
        const ra = a.learnOne(s.X[t], s.y[t]);
        const rb = b.learnOne(s.X[t], s.y[t]);
        expect(rb).toEqual(ra);
      }
      expect(b.weights).toEqual(a.weights);
    }
  });

  it('with resyncEvery = 1 the TISVD variant reduces to the full-SVD ablation bit for bit; without, TISVD tracks the exact decomposition within its bound', () => {
    const s = xorStream(300, 6);
    const full = new Forks({ ...small, decomposition: 'full' });
    const resync = new Forks({ ...small, decomposition: 'tisvd', resyncEvery: 1 });
    for (let t = 0; t < 300; t++) expect(resync.learnOne(s.X[t], s.y[t]).score).toBe(full.learnOne(s.X[t], s.y[t]).score);
    expect(resync.decompositionErrorBound).toBe(0);
    const tisvd = new Forks({ ...small, decomposition: 'tisvd' });
    tisvd.learnMany(s.X, s.y);
    expect(tisvd.sketchUpdateCount).toBeGreaterThan(5);
    expect(tisvd.decompositionErrorBound).toBeGreaterThan(0);
  });

  it('the same seed gives bit-identical scores; another seed a different sketch', () => {
    const s = xorStream(500, 5);
    const run = (seed: number) => {
      const f = new Forks({ ...small, seed });
      return s.X.map((x, t) => f.learnOne(x, s.y[t]).score);
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('beats a linear learner (ONS) on a nonlinear stream (XOR, 3000 rounds, 3 seeds)', () => {
    let forks = 0;
    let ons = 0;
    for (let seed = 0; seed < 3; seed++) {
      const s = xorStream(3000, seed);
      forks += new Forks({ kernel, budget: 100, seed }).learnMany(s.X, s.y).mistakes / 3000;
      ons += new Ons().learnMany(s.X, s.y).mistakes / 3000;
    }
    forks /= 3;
    ons /= 3;
    expect(ons).toBeGreaterThan(0.4); // XOR is not linearly separable
    expect(forks).toBeLessThan(ons - 0.15);
  });

  it('rejects a bad row or label with a typed error and leaves the state exactly as it was', () => {
    const s = rbfBlobs({ n: 400, dim: 3, seed: 1 });
    const ref = new Forks({ ...small, kernel: gaussianKernel(1) });
    const f = new Forks({ ...small, kernel: gaussianKernel(1) });
    for (let t = 0; t < 200; t++) {
      ref.learnOne(s.X[t], s.y[t]);
      f.learnOne(s.X[t], s.y[t]);
    }
    const before = JSON.stringify(f.toJSON());
    expect(() => f.learnOne([1, 2], 1)).toThrow(ShapeError);
    expect(() => f.learnOne([1, 2], 1)).toThrow('x must have length 3');
    expect(() => f.learnOne([1, Number.NaN, 0], 1)).toThrow(ValueError);
    expect(() => f.learnOne([1, Number.POSITIVE_INFINITY, 0], -1)).toThrow('x must contain only finite numbers, got Infinity at index 1');
    expect(() => f.learnOne([1, 2, 3], 0)).toThrow('y must be -1 or +1, got 0');
    expect(() => f.predictOne([1, 2])).toThrow(ShapeError);
    expect(JSON.stringify(f.toJSON())).toBe(before);
    for (let t = 200; t < 400; t++) expect(f.learnOne(s.X[t], s.y[t])).toEqual(ref.learnOne(s.X[t], s.y[t]));
  });

  it('validates its options with typed errors naming the option', () => {
    expect(() => new Forks({ budget: 1 })).toThrow('budget must be an integer >= 2, got 1');
    expect(() => new Forks({ budget: 50, rank: 100 })).toThrow('rank must be <= sketchSize');
    expect(() => new Forks({ eta: -1 })).toThrow('eta must be > 0, got -1');
    expect(() => new Forks({ kernel: { type: 'gaussian', sigma: 0 } })).toThrow('kernel.sigma must be > 0, got 0');
    expect(() => new Forks({ decomposition: 'qr' as never })).toThrow(ValueError);
    expect(() => new Forks({ updateCycle: 0 })).toThrow('updateCycle must be an integer >= 1, got 0');
  });

  it('allocates no tensors', async () => {
    await ready();
    const before = tf.memory().numTensors;
    const s = xorStream(300, 1);
    new Forks(small).learnMany(s.X, s.y);
    expect(tf.memory().numTensors).toBe(before);
  });
});
