import { Matrix, ShapeError, ValueError, lstsq } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { Ons } from './baselines/ons';
import { countSketchDense } from './countSketch';
import { pinvFlat } from './decompositions';
import { Forks } from './forks';
import { kernelAt } from '@descent/tensor';
import { gaussianKernel } from './kernel';
import { kernelTeacher, rbfBlobs, xorStream } from './streams';
import { maxAbs, maxAbsDiff, mm, tr } from './testUtils';

const kernel = gaussianKernel(0.5);
const small = { kernel, budget: 40, updateCycle: 5, seed: 3 };
/** The reference code's sizes on the small problem (k < s_m, so the sketch shapes the map). */
const smallRef = { ...small, sampleSize: 6, rank: 4 };

describe('Forks', () => {
  it('builds its feature map after B margin errors and keeps |wᵀφₜ| ≤ C after every projected step (exact projection)', () => {
    const s = xorStream(800, 1);
    const f = new Forks({ ...small, projectionGuard: 0, onSketchUpdate: 'carry' });
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

  /**
   * Φ_pp and Φ_pm recomputed from scratch as S′ᵀK′S′ and S′ᵀK′[:, m] over the SVs and the logged
   * appended points, with `cross(a, b)` the kernel value used between two different appended points.
   */
  function fromScratch(f: Forks, cross: (a: Float64Array, b: Float64Array) => number) {
    const log = f.sketchLog;
    const B = f.options.budget;
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
      const bothAppended = i >= B && j >= B && i !== j;
      K[i * n + j] = bothAppended ? cross(P.subarray(i * d, i * d + d), P.subarray(j * d, j * d + d)) : kernelAt(kernel, P, i, P, j, d);
    }
    const StK = mm(tr(S, n, sp), K, sp, n, n);
    const phiPp = mm(StK, S, sp, n, sp);
    const Ksm = new Float64Array(n * sm);
    for (let i = 0; i < n; i++) for (let c = 0; c < sm; c++) Ksm[i * sm + c] = K[i * n + lay.sampled[c]];
    return { phiPp, phiPm: mm(tr(S, n, sp), Ksm, sp, n, sm) };
  }

  it('sketch bookkeeping (reference code, crossTerms: omit): patched Φ_pm, Φ_pp equal a from-scratch S′ᵀK′S′ with the cross terms between appended points set to 0', () => {
    const s = xorStream(600, 2);
    const f = new Forks({ ...small, recordSketchUpdates: true, crossTerms: 'omit' });
    f.learnMany(s.X, s.y);
    expect(f.sketchLog.length).toBeGreaterThan(3);
    const ref = fromScratch(f, () => 0);
    expect(maxAbsDiff(f.phiPp!, ref.phiPp)).toBeLessThan(1e-10 * maxAbs(ref.phiPp));
    expect(maxAbsDiff(f.phiPm!, ref.phiPm)).toBeLessThan(1e-10 * maxAbs(ref.phiPm));
    const pp = f.phiPp!;
    const sp = f.options.sketchSize;
    for (let i = 0; i < sp; i++) for (let j = 0; j < sp; j++) expect(pp[i * sp + j]).toBe(pp[j * sp + i]);
  });

  it('sketch bookkeeping (default, crossTerms: nystrom): the cross terms between appended points are κ_m(a)ᵀK_mm⁺κ_m(b), the others exact', () => {
    const s = xorStream(600, 2);
    const f = new Forks({ ...small, recordSketchUpdates: true });
    f.learnMany(s.X, s.y);
    expect(f.sketchLog.length).toBeGreaterThan(3);
    const sm = f.options.sampleSize;
    const sv = f.supportVectors;
    const m = f.sketchLayout!.sampled;
    const Kmm = new Float64Array(sm * sm);
    for (let a = 0; a < sm; a++) for (let b = 0; b < sm; b++) Kmm[a * sm + b] = kernelAt(kernel, sv, m[a], sv, m[b], 2);
    const Kp = pinvFlat(Kmm, sm, sm, 1e-10);
    const km = (x: Float64Array) => Float64Array.from(m, (i) => kernelAt(kernel, sv, i, x, 0, 2));
    const ref = fromScratch(f, (a, b) => {
      const ka = km(a);
      const kb = km(b);
      let t = 0;
      for (let i = 0; i < sm; i++) for (let j = 0; j < sm; j++) t += ka[i] * Kp[i * sm + j] * kb[j];
      return t;
    });
    expect(maxAbsDiff(f.phiPp!, ref.phiPp)).toBeLessThan(1e-9 * maxAbs(ref.phiPp));
    expect(maxAbsDiff(f.phiPm!, ref.phiPm)).toBeLessThan(1e-10 * maxAbs(ref.phiPm));
  });

  it('the Nyström cross terms keep the feature map a kernel approximation across sketch updates; omitting them (reference code) makes it drift', () => {
    // stationary stream, reference sizes (k < s_m, so the sketch shapes the map), many updates
    const s = kernelTeacher({ n: 2500, dim: 5, seed: 1 });
    const kern = gaussianKernel(3);
    const probe = s.X.slice(2400);
    const err = (f: Forks) => {
      const F = probe.map((x) => f.featureMap(x));
      let num = 0;
      let den = 0;
      for (let i = 0; i < F.length; i++) for (let j = 0; j < F.length; j++) {
        const k = kernelAt(kern, probe[i], 0, probe[j], 0, 5);
        let h = 0;
        for (let c = 0; c < F[i].length; c++) h += F[i][c] * F[j][c];
        num += (k - h) ** 2;
        den += k * k;
      }
      return Math.sqrt(num / den);
    };
    const run = (crossTerms: 'omit' | 'nystrom') => {
      const f = new Forks({ kernel: kern, budget: 100, sampleSize: 15, rank: 10, updateCycle: 5, crossTerms, onSketchUpdate: 'carry', seed: 2 });
      let first = Number.NaN;
      for (let t = 0; t < 2400; t++) {
        f.learnOne(s.X[t], s.y[t]);
        if (Number.isNaN(first) && f.isInitialized) first = err(f);
      }
      return { first, last: err(f), updates: f.sketchUpdateCount };
    };
    const nys = run('nystrom');
    const omit = run('omit');
    expect(nys.updates).toBeGreaterThan(100);
    expect(nys.last).toBeLessThan(1.5 * nys.first);
    expect(omit.last).toBeGreaterThan(3 * omit.first);
  });

  it('carrying the learner across a sketch update: R is the least-squares map of the old scores on the sketched data, R = (Φ′Q′)⁺Φ′Q', () => {
    const captured: { R: Float64Array; k0: number; k: number }[] = [];
    class Probe extends Forks {
      protected override afterSketchUpdate(R: Float64Array, k0: number): void {
        captured.push({ R: R.slice(), k0, k: this.k });
        super.afterSketchUpdate(R, k0);
      }
    }
    for (const [decomposition, projectionSolver] of [['tisvd', 'incremental'], ['symmetric', 'incremental'], ['full', 'incremental'], ['tisvd', 'pinv']] as const) {
      const s = xorStream(500, 3);
      const f = new Probe({ ...smallRef, decomposition, projectionSolver, onSketchUpdate: 'carry' });
      let checked = 0;
      for (let t = 0; t < 500; t++) {
        const Q0 = f.isInitialized ? f.projection : undefined;
        const n0 = captured.length;
        f.learnOne(s.X[t], s.y[t]);
        if (!Q0 || captured.length === n0) continue;
        const { R, k0, k } = captured[captured.length - 1];
        const sp = f.options.sketchSize;
        const sm = f.options.sampleSize;
        const Phi = f.phiPm!;
        const F = mm(Phi, f.projection, sp, sm, k);
        const G = mm(Phi, Q0, sp, sm, k0);
        const ref = lstsq(new Matrix(sp, k, F), new Matrix(sp, k0, G)).x.data;
        expect(maxAbsDiff(R, ref)).toBeLessThan(1e-6 * Math.max(1, maxAbs(ref)));
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    }
  });

  it('carrying the learner is exact when the new map can represent the old function (k = s_m at full rank): the scores on held-out points do not move across a sketch update', () => {
    const s = kernelTeacher({ n: 1000, dim: 10, seed: 3 });
    const probe = s.X.slice(900);
    const changes: number[] = [];
    class Probe extends Forks {
      before: number[] = [];
      protected override afterSketchUpdate(R: Float64Array, k0: number): void {
        super.afterSketchUpdate(R, k0);
        const after = probe.map((x) => this.predictScore(x));
        let num = 0;
        let den = 0;
        for (let i = 0; i < after.length; i++) {
          num += (after[i] - this.before[i]) ** 2;
          den += this.before[i] ** 2;
        }
        changes.push(Math.sqrt(num / den));
      }
    }
    const f = new Probe({ kernel: gaussianKernel(4.5), budget: 100, sampleSize: 40, rank: 40, updateCycle: 5, onSketchUpdate: 'carry', seed: 1 });
    for (let t = 0; t < 900; t++) {
      if (f.isInitialized) f.before = probe.map((x) => f.predictScore(x));
      f.learnOne(s.X[t], s.y[t]);
    }
    expect(f.featureDimension).toBe(40);
    expect(changes.length).toBeGreaterThan(50);
    expect(Math.max(...changes)).toBeLessThan(1e-9);
  });

  it("the incremental pseudo-inverse and rotated Z give the reference code's Q = Φ_pm⁺V_kΣ_k^{1/2} (fresh SVD pseudo-inverse) to 1e-7", () => {
    for (const decomposition of ['tisvd', 'symmetric', 'full'] as const) {
      for (const sizes of [small, smallRef]) {
        const s = xorStream(700, 7);
        const a = new Forks({ ...sizes, decomposition, onSketchUpdate: 'carry' });
        const b = new Forks({ ...sizes, decomposition, onSketchUpdate: 'carry', projectionSolver: 'pinv' });
        for (let t = 0; t < 700; t++) {
          a.learnOne(s.X[t], s.y[t]);
          b.learnOne(s.X[t], s.y[t]);
        }
        expect(a.sketchUpdateCount).toBeGreaterThan(20);
        const qa = a.projection;
        const qb = b.projection;
        expect(maxAbsDiff(qa, qb)).toBeLessThan(1e-7 * maxAbs(qb));
      }
    }
  });

  it('toJSON / fromJSON mid-stream continues bit-identically (through JSON text), for every decomposition, solver and sketch-update policy', () => {
    const variants = [
      ...(['tisvd', 'symmetric', 'full'] as const).map((decomposition) => ({ decomposition })),
      ...(['restart', 'keep', 'carry', 'carryAndRestart'] as const).map((onSketchUpdate) => ({ onSketchUpdate, ...smallRef })),
      { projectionSolver: 'pinv' as const },
      { projectionSolver: 'cholesky' as const, crossTerms: 'omit' as const },
    ];
    for (const v of variants) {
      const s = xorStream(700, 4);
      const a = new Forks({ ...small, ...v });
      a.learnMany(s.X.slice(0, 300), s.y.slice(0, 300));
      const b = Forks.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
      for (let t = 300; t < 700; t++) {
        const ra = a.learnOne(s.X[t], s.y[t]);
        const rb = b.learnOne(s.X[t], s.y[t]);
        expect(rb).toEqual(ra);
      }
      expect(a.sketchUpdateCount).toBeGreaterThan(10);
      expect(b.weights).toEqual(a.weights);
    }
  });

  it('with resyncEvery = 1 the TISVD variant reduces to the full-SVD ablation bit for bit; without, TISVD tracks the exact decomposition within its bound', () => {
    const s = xorStream(300, 6);
    const full = new Forks({ ...small, decomposition: 'full' });
    const resync = new Forks({ ...small, decomposition: 'tisvd', resyncEvery: 1 });
    for (let t = 0; t < 300; t++) expect(resync.learnOne(s.X[t], s.y[t]).score).toBe(full.learnOne(s.X[t], s.y[t]).score);
    expect(resync.decompositionErrorBound).toBe(0);
    const tisvd = new Forks({ ...smallRef, decomposition: 'tisvd' });
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

  it('validates its options with typed errors naming the option (shared resolver: ranges, enums, unknown and renamed options)', () => {
    const named = (f: () => unknown, argument: string, message: string | RegExp) => {
      expect(f).toThrow(message);
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValueError);
        expect((e as ValueError).argument).toBe(argument);
      }
    };
    named(() => new Forks({ budget: 1 }), 'budget', 'budget must be an integer in [2, 4096], got 1');
    named(() => new Forks({ budget: 10, sketchSize: 50 }), 'sketchSize', 'sketchSize must be <= budget (10)');
    named(() => new Forks({ budget: 50, rank: 100 }), 'rank', 'rank must be <= sketchSize');
    named(() => new Forks({ learningRate: -1 }), 'learningRate', 'learningRate must be > 0, got -1');
    named(() => new Forks({ kernel: { type: 'rbf', bandwidth: 0 } }), 'kernel.bandwidth', 'kernel.bandwidth must be > 0, got 0');
    named(() => new Forks({ kernel: { type: 'gaussian', sigma: 2 } as never }), 'kernel', "pass { type: 'rbf', bandwidth: 2 }");
    named(() => new Forks({ decomposition: 'qr' as never }), 'decomposition', /decomposition must be one of/);
    named(() => new Forks({ updateCycle: 0 }), 'updateCycle', /updateCycle must be an integer/);
    named(() => new Forks({ eta: 1 } as never), 'eta', 'eta was renamed to learningRate');
    named(() => new Forks({ restartOnSketchUpdate: true } as never), 'restartOnSketchUpdate', 'restartOnSketchUpdate was renamed to onSketchUpdate');
    named(() => new Forks({ bugdet: 100 } as never), 'bugdet', 'did you mean budget?');
  });

  it('allocates no tensors', async () => {
    await ready();
    const before = tf.memory().numTensors;
    const s = xorStream(300, 1);
    new Forks(small).learnMany(s.X, s.y);
    expect(tf.memory().numTensors).toBe(before);
  });
});
