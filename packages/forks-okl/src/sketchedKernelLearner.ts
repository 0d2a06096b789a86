/**
 * The machinery FORKS and SkeGD share (notes §2.3–2.9): a first-order kernel phase that fills
 * the budget with the first B margin-error examples, then an explicit sketched feature map
 * φ(x) = Qᵀκ(SV_m, x) (see fastSpsdFeatureMap.ts) refreshed every ρ-th margin error by an
 * incremental sketch update and a decomposition update, and a linear learner on φ.
 * Subclasses choose the linear step (FORKS: projected online Newton; SkeGD: OGD).
 * @module
 */
import { Rng, ValueError } from '@descent/tensor';
import { type CountSketch, columnSampler, countSketch } from './countSketch';
import { thinSvd } from './decompositions';
import { type ProjectionSolver, type SketchMatrices, buildSketches, patchSketches, projectionMatrix, scaledBasis, sketchedFeatures } from './fastSpsdFeatureMap';
import { type KernelSpec, checkKernel, kernelAt, kernelMatrix, kernelRow } from './kernel';
import { checkLoss, marginLoss, negLossDerivative } from './loss';
import { OnlineLearner, type UpdateOutcome, toArr, toF64, toI32 } from './onlineLearner';
import { boolOpt, enumOpt, intOpt, posOpt, seedOpt } from './options';
import { type SymEigState, SymmetricIncrementalEig } from './symmetricIncrementalEig';
import { type TisvdState, TruncatedIncrementalSvd, takeCols } from './truncatedIncrementalSvd';
import type { Label, LearnerJSON, LossName } from './types';

/** How the rank-k decomposition of Φ_pp is kept up to date after a sketch update. */
export type DecompositionMode = 'tisvd' | 'symmetric' | 'full';

/** Options shared by {@link Forks} and {@link SkeGd}. */
export interface SketchedKernelOptions {
  /** Kernel (default Gaussian σ = 50, the reference code's width; pick it for your data). */
  kernel?: KernelSpec;
  /** Budget B: the first B margin-error examples become the (frozen) SV set (default 100). */
  budget?: number;
  /** s_p, columns of the count sketch (default ⌊0.75B⌋). */
  sketchSize?: number;
  /** s_m, sampled SV columns (default max(1, ⌊0.2·s_p⌋)). */
  sampleSize?: number;
  /** k, rank of the feature map (default max(1, ⌊0.1B⌋)). */
  rank?: number;
  /** Step size η (default 0.2). */
  eta?: number;
  /** ρ, sketch-update cycle in margin-error rounds (default 24 = ⌊0.005(5000 − 100)⌋; see {@link paperUpdateCycle}). */
  updateCycle?: number;
  /** Loss (default hinge). */
  loss?: LossName;
  /** Decomposition update: `'tisvd'` (Brand, default for FORKS), `'symmetric'` (rank-2 eigen-update) or `'full'` (fresh SVD; SkeGD, FORKS-full ablation). */
  decomposition?: DecompositionMode;
  /** Recompute the exact decomposition of Φ_pp every n sketch updates (default 0 = never). */
  resyncEvery?: number;
  /** Pseudo-inverse tolerance for Φ_pm⁺ (default 1e-8, reference code). */
  pinvTolerance?: number;
  /** How Q = Φ_pm⁺V_kΣ_k^{1/2} is computed: `'pinv'` (default, reference code) or `'cholesky'` (normal equations, much cheaper; see {@link projectionMatrix}). */
  projectionSolver?: ProjectionSolver;
  /** Warm start of w at initialisation: min-norm w reproducing the kernel score (default) or zero. */
  warmStart?: 'minNorm' | 'zero';
  /** Keep a log of appended points and sketch rows (for tests of the sketch bookkeeping; default false). */
  recordSketchUpdates?: boolean;
  /** Seed of every random draw (sketches, sampled columns, appended sketch rows). */
  seed?: number | string;
  /** Input dimension (default: from the first row). */
  dim?: number;
}

/** ρ = max(1, ⌊c·(N − B)⌋), the reference code's update cycle for a stream of N rounds (c = 0.005). */
export function paperUpdateCycle(streamLength: number, budget: number, c = 0.005): number {
  return Math.max(1, Math.floor(c * (streamLength - budget)));
}

/** One logged sketch update. */
export interface SketchUpdateRecord {
  x: number[];
  row: number;
  sign: number;
}

/** Resolved options. */
export interface ResolvedSketchedOptions {
  kernel: KernelSpec;
  budget: number;
  sketchSize: number;
  sampleSize: number;
  rank: number;
  eta: number;
  updateCycle: number;
  loss: LossName;
  decomposition: DecompositionMode;
  resyncEvery: number;
  pinvTolerance: number;
  projectionSolver: ProjectionSolver;
  warmStart: 'minNorm' | 'zero';
  recordSketchUpdates: boolean;
  seed: number | string;
}

/** Validates and fills defaults. */
export function resolveSketchedOptions(o: SketchedKernelOptions, defaultDecomposition: DecompositionMode): ResolvedSketchedOptions {
  const kernel = checkKernel('kernel', o.kernel ?? { type: 'gaussian', sigma: 50 });
  const budget = intOpt('budget', o.budget, 100, 2);
  const sketchSize = intOpt('sketchSize', o.sketchSize, Math.max(1, Math.floor(0.75 * budget)), 1);
  const sampleSize = intOpt('sampleSize', o.sampleSize, Math.max(1, Math.floor(0.2 * sketchSize)), 1, budget);
  const rank = intOpt('rank', o.rank, Math.max(1, Math.floor(0.1 * budget)), 1);
  if (rank > sketchSize) throw new ValueError(`rank must be <= sketchSize (${sketchSize}), got ${rank}`, 'rank');
  return {
    kernel,
    budget,
    sketchSize,
    sampleSize,
    rank,
    eta: posOpt('eta', o.eta, 0.2),
    updateCycle: intOpt('updateCycle', o.updateCycle, 24, 1),
    loss: checkLoss('loss', o.loss ?? 'hinge'),
    decomposition: enumOpt('decomposition', o.decomposition, defaultDecomposition, ['tisvd', 'symmetric', 'full'] as const),
    resyncEvery: intOpt('resyncEvery', o.resyncEvery, 0, 0),
    pinvTolerance: posOpt('pinvTolerance', o.pinvTolerance, 1e-8, true),
    projectionSolver: enumOpt('projectionSolver', o.projectionSolver, 'pinv', ['pinv', 'cholesky'] as const),
    warmStart: enumOpt('warmStart', o.warmStart, 'minNorm', ['minNorm', 'zero'] as const),
    recordSketchUpdates: boolOpt('recordSketchUpdates', o.recordSketchUpdates, false),
    seed: seedOpt(o.seed),
  };
}

/** Base class of FORKS and SkeGD. */
export abstract class SketchedKernelLearner extends OnlineLearner {
  /** Resolved options. */
  readonly options: ResolvedSketchedOptions;
  /** SVs (first phase: kernel expansion coefficients α). */
  protected svX: Float64Array = new Float64Array(0);
  protected alpha: Float64Array;
  protected nSV = 0;
  /** Margin-error rounds so far (T0 in the reference code). */
  protected marginErrors = 0;
  /** Sketch updates so far. */
  protected sketchUpdates = 0;
  protected initialized = false;
  protected Sp: CountSketch | undefined;
  protected Sm: Int32Array | undefined;
  protected sk: SketchMatrices | undefined;
  protected tisvd: TruncatedIncrementalSvd | undefined;
  protected symeig: SymmetricIncrementalEig | undefined;
  /** V_kΣ_k^{1/2} for 'full' mode (kept to serialise). */
  protected fullW: Float64Array | undefined;
  /** Q = Φ_pm⁺V_kΣ_k^{1/2}, s_m × k. */
  protected Q: Float64Array = new Float64Array(0);
  /** Effective feature dimension (≤ k). */
  protected k = 0;
  /** Linear weights on φ. */
  protected w: Float64Array = new Float64Array(0);
  /** Log of sketch updates (if `recordSketchUpdates`). */
  readonly sketchLog: SketchUpdateRecord[] = [];
  // scratch
  protected phi: Float64Array = new Float64Array(0);
  protected km: Float64Array = new Float64Array(0);
  protected lastX: Float64Array | undefined;

  constructor(o: SketchedKernelOptions, defaultDecomposition: DecompositionMode) {
    super(o.dim);
    this.options = resolveSketchedOptions(o, defaultDecomposition);
    this.alpha = new Float64Array(this.options.budget);
    this.km = new Float64Array(this.options.sampleSize);
  }

  /** Number of stored SVs. */
  get size(): number {
    return this.nSV;
  }

  /** Whether the explicit feature map is built (budget full and first post-budget margin error seen). */
  get isInitialized(): boolean {
    return this.initialized;
  }

  /** Number of incremental sketch updates applied. */
  get sketchUpdateCount(): number {
    return this.sketchUpdates;
  }

  /** The current Φ_pp (copy), or undefined before initialisation. */
  get phiPp(): Float64Array | undefined {
    return this.sk?.phiPp.slice();
  }

  /** The current Φ_pm (copy), or undefined before initialisation. */
  get phiPm(): Float64Array | undefined {
    return this.sk?.phiPm.slice();
  }

  /** The count sketch's hash and signs and the sampled SV indices (copies). */
  get sketchLayout(): { hash: Int32Array; sign: Float64Array; sampled: Int32Array } | undefined {
    if (!this.Sp || !this.Sm) return undefined;
    return { hash: this.Sp.hash.slice(), sign: this.Sp.sign.slice(), sampled: this.Sm.slice() };
  }

  /** The support vectors, row-major nSV × d (copy). */
  get supportVectors(): Float64Array {
    return this.svX.slice(0, this.nSV * (this.dimValue ?? 0));
  }

  /** The explicit feature map φ(x) (after initialisation; throws before). */
  featureMap(x: ArrayLike<number>): Float64Array {
    if (!this.initialized) throw new ValueError('featureMap is available after initialisation (budget full), got an uninitialised learner', 'featureMap');
    return this.features(this.checkedRow(x)).slice();
  }

  /** The current rank-k decomposition error bound Σ discarded σ (TISVD / symmetric modes). */
  get decompositionErrorBound(): number {
    return this.tisvd?.discarded ?? this.symeig?.discarded ?? 0;
  }

  /** The weights on φ (copy). */
  get weights(): Float64Array {
    return this.w.slice();
  }

  private checkedRow(x: ArrayLike<number>): Float64Array {
    const v = Float64Array.from(x);
    if (this.dimValue !== undefined && v.length !== this.dimValue) throw new ValueError(`x must have length ${this.dimValue}, got ${v.length}`, 'x');
    return v;
  }

  protected override inWarmup(): boolean {
    return !this.initialized;
  }

  /** φ(x) into the scratch buffer. */
  protected features(x: Float64Array): Float64Array {
    const d = x.length;
    const { sampleSize: sm } = this.options;
    const Sm = this.Sm as Int32Array;
    for (let i = 0; i < sm; i++) this.km[i] = kernelAt(this.options.kernel, this.svX, Sm[i], x, 0, d);
    return sketchedFeatures(this.Q, sm, this.k, this.km, this.phi);
  }

  protected score(x: Float64Array): number {
    if (!this.initialized) {
      let f = 0;
      for (let i = 0; i < this.nSV; i++) f += this.alpha[i] * kernelAt(this.options.kernel, this.svX, i, x, 0, x.length);
      return f;
    }
    const phi = this.features(x);
    this.lastX = x;
    let f = 0;
    for (let i = 0; i < this.k; i++) f += this.w[i] * phi[i];
    return f;
  }

  /** The linear step on φ (φ in `this.phi`), given γ = η·(−∂ℓ/∂f). */
  protected abstract linearStep(gamma: number, f: number): void;
  /** Reset of the linear learner after a sketch update (FORKS: restart; SkeGD: keep w). */
  protected abstract afterSketchUpdate(): void;
  /** Initialises the linear learner's extra state (e.g. A⁻¹) for dimension k. */
  protected abstract initLinear(): void;

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const o = this.options;
    const loss = marginLoss(o.loss, f, y);
    if (y * f >= 1) return { loss, updated: false };
    this.marginErrors++;
    const g = negLossDerivative(o.loss, f, y);
    if (this.nSV < o.budget) {
      // Phase A: first-order kernel OGD while filling the budget
      const d = x.length;
      if (this.svX.length === 0) this.svX = new Float64Array(o.budget * d);
      this.svX.set(x, this.nSV * d);
      this.alpha[this.nSV++] = o.eta * g;
      return { loss, updated: true };
    }
    if (!this.initialized) {
      this.initialize(x, f);
      this.features(x);
      this.linearStep(o.eta * g, f);
      return { loss, updated: true, sketchUpdated: true };
    }
    let sketchUpdated = false;
    if ((this.marginErrors - 1) % o.updateCycle === 0) {
      this.sketchUpdate(x);
      this.afterSketchUpdate();
      sketchUpdated = true;
    }
    // φ(x) in this.phi is stale after a sketch update (or if score was not called on x)
    if (sketchUpdated || this.lastX !== x) this.features(x);
    this.linearStep(o.eta * g, f);
    return { loss, updated: true, sketchUpdated };
  }

  /** Phase B: sketches, decomposition, Q, warm start. */
  protected initialize(x: Float64Array, f: number): void {
    const o = this.options;
    const B = o.budget;
    const d = x.length;
    const rng = new Rng(o.seed);
    this.Sp = countSketch(B, o.sketchSize, rng.fold('Sp'));
    this.Sm = columnSampler(B, o.sampleSize, rng.fold('Sm'));
    const K = kernelMatrix(o.kernel, this.svX, B, d);
    this.sk = buildSketches(K, this.Sp, this.Sm);
    this.refreshDecomposition(true);
    this.initialized = true;
    this.phi = new Float64Array(this.k);
    this.w = new Float64Array(this.k);
    this.initLinear();
    if (o.warmStart === 'minNorm') {
      const phi = this.features(x);
      let n2 = 0;
      for (let i = 0; i < this.k; i++) n2 += phi[i] * phi[i];
      if (n2 > 0) for (let i = 0; i < this.k; i++) this.w[i] = (f * phi[i]) / n2;
    }
  }

  /** Recomputes (or incrementally updated earlier) decomposition → W = V_kΣ_k^{1/2} → Q. */
  protected refreshDecomposition(fresh: boolean): void {
    const o = this.options;
    const sk = this.sk as SketchMatrices;
    const sp = o.sketchSize;
    let W: Float64Array;
    let r: number;
    if (o.decomposition === 'tisvd') {
      if (fresh || !this.tisvd) this.tisvd = TruncatedIncrementalSvd.fromMatrix(sk.phiPp, sp, sp, o.rank);
      r = this.tisvd.rank;
      W = scaledBasis(this.tisvd.V, this.tisvd.S, sp, r);
    } else if (o.decomposition === 'symmetric') {
      if (fresh || !this.symeig) {
        this.symeig = new SymmetricIncrementalEig(sp, o.rank);
        this.symeig.reset(sk.phiPp);
      }
      r = this.symeig.rank;
      // SVD of a symmetric matrix from its eigenpairs: σ = |λ|, right vectors v = u·sign(λ)
      const V = new Float64Array(sp * r);
      const S = new Float64Array(r);
      for (let c = 0; c < r; c++) {
        const lam = this.symeig.values[c];
        S[c] = Math.abs(lam);
        const sg = lam < 0 ? -1 : 1;
        for (let i = 0; i < sp; i++) V[i * r + c] = sg * this.symeig.U[i * r + c];
      }
      W = scaledBasis(V, S, sp, r);
    } else {
      const { S, V, rank } = thinSvd(sk.phiPp, sp, sp);
      r = Math.min(o.rank, rank);
      W = scaledBasis(takeCols(V, sp, rank, r), S.subarray(0, r), sp, r);
      this.fullW = W;
    }
    this.Q = projectionMatrix(sk, W, r, o.pinvTolerance, o.projectionSolver);
    if (r !== this.k) {
      this.k = r;
      this.phi = new Float64Array(r);
      this.w = new Float64Array(r);
      this.initLinear();
    }
  }

  /** §2.7: append x with a fresh 1-sparse sketch row, update the decomposition, recompute Q. */
  protected sketchUpdate(x: Float64Array): void {
    const o = this.options;
    const B = o.budget;
    const sp = o.sketchSize;
    const rng = new Rng(o.seed).fold('sketchRow', this.sketchUpdates);
    const j = rng.int(sp);
    const sign = rng.uniform() < 0.5 ? -1 : 1;
    const psi = kernelRow(o.kernel, this.svX, B, x.length, x);
    const kxx = kernelAt(o.kernel, x, 0, x, 0, x.length);
    const r = patchSketches(this.sk as SketchMatrices, this.Sp as CountSketch, this.Sm as Int32Array, psi, kxx, j, sign);
    this.sketchUpdates++;
    if (o.recordSketchUpdates) this.sketchLog.push({ x: toArr(x), row: j, sign });
    const resync = o.resyncEvery > 0 && this.sketchUpdates % o.resyncEvery === 0;
    if (o.decomposition === 'tisvd' && !resync) {
      // ΔA = [s, r, κs], ΔB = [r, s, s]  ⇒  ΔA ΔBᵀ = s rᵀ + r sᵀ + κ s sᵀ
      const X = new Float64Array(sp * 3);
      const Y = new Float64Array(sp * 3);
      for (let i = 0; i < sp; i++) {
        X[i * 3 + 1] = r[i];
        Y[i * 3] = r[i];
      }
      X[j * 3] = sign;
      X[j * 3 + 2] = kxx * sign;
      Y[j * 3 + 1] = sign;
      Y[j * 3 + 2] = sign;
      (this.tisvd as TruncatedIncrementalSvd).update(X, Y, 3);
      this.refreshDecomposition(false);
    } else if (o.decomposition === 'symmetric' && !resync) {
      const X = new Float64Array(sp * 2);
      X[j * 2] = sign;
      for (let i = 0; i < sp; i++) X[i * 2 + 1] = r[i];
      (this.symeig as SymmetricIncrementalEig).update(X, Float64Array.of(kxx, 1, 1, 0), 2);
      this.refreshDecomposition(false);
    } else {
      this.refreshDecomposition(true);
    }
  }

  /** Common JSON. */
  protected sketchedJSON(type: string, extra: Record<string, unknown>): LearnerJSON {
    return {
      ...this.baseJSON(type),
      options: { ...this.options },
      svX: toArr(this.svX),
      alpha: toArr(this.alpha),
      nSV: this.nSV,
      marginErrors: this.marginErrors,
      sketchUpdates: this.sketchUpdates,
      initialized: this.initialized,
      Sp: this.Sp ? { n: this.Sp.n, s: this.Sp.s, hash: toArr(this.Sp.hash), sign: toArr(this.Sp.sign) } : null,
      Sm: this.Sm ? toArr(this.Sm) : null,
      phiPm: this.sk ? toArr(this.sk.phiPm) : null,
      phiPp: this.sk ? toArr(this.sk.phiPp) : null,
      tisvd: this.tisvd?.toJSON() ?? null,
      symeig: this.symeig?.toJSON() ?? null,
      Q: toArr(this.Q),
      k: this.k,
      w: toArr(this.w),
      sketchLog: this.sketchLog,
      ...extra,
    };
  }

  /** Restores the common JSON. */
  protected restoreSketched(j: LearnerJSON): void {
    this.restoreBase(j);
    this.svX = toF64(j.svX);
    this.alpha = toF64(j.alpha);
    this.nSV = j.nSV as number;
    this.marginErrors = j.marginErrors as number;
    this.sketchUpdates = j.sketchUpdates as number;
    this.initialized = j.initialized as boolean;
    const sp = j.Sp as { n: number; s: number; hash: number[]; sign: number[] } | null;
    if (sp) this.Sp = { n: sp.n, s: sp.s, hash: toI32(sp.hash), sign: toF64(sp.sign) };
    if (j.Sm) this.Sm = toI32(j.Sm);
    if (j.phiPm) this.sk = { phiPm: toF64(j.phiPm), phiPp: toF64(j.phiPp), sp: this.options.sketchSize, sm: this.options.sampleSize };
    if (j.tisvd) this.tisvd = TruncatedIncrementalSvd.fromJSON(j.tisvd as TisvdState);
    if (j.symeig) this.symeig = SymmetricIncrementalEig.fromJSON(j.symeig as SymEigState);
    this.Q = toF64(j.Q);
    this.k = j.k as number;
    this.w = toF64(j.w);
    this.phi = new Float64Array(this.k);
    this.sketchLog.push(...(j.sketchLog as SketchUpdateRecord[]));
  }
}
