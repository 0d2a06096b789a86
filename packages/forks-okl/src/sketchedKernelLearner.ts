/**
 * The machinery FORKS and SkeGD share (notes §2.3–2.9): a first-order kernel phase that fills
 * the budget with the first B margin-error examples, then an explicit sketched feature map
 * φ(x) = Qᵀκ(SV_m, x) (see fastSpsdFeatureMap.ts) refreshed every ρ-th margin error by an
 * incremental sketch update and a decomposition update, and a linear learner on φ.
 * Subclasses choose the linear step (FORKS: projected online Newton; SkeGD: OGD) and what happens
 * to it when the feature map changes.
 *
 * What a sketch update does here (§2.7, with the corrections of this package):
 * 1. a fresh 1-sparse sketch row appends xₜ to Φ_pm (one row) and Φ_pp (one row and column);
 *    with `crossTerms: 'nystrom'` the kernel values between xₜ and the previously appended
 *    points (which the reference code drops, so Φ_pp drifts away from any kernel matrix) are
 *    estimated through the sampled SVs, κ(a, b) ≈ κ_m(a)ᵀK_mm⁺κ_m(b), from one running s_p × s_m
 *    sum;
 * 2. the rank-k decomposition of Φ_pp is updated (TISVD, a symmetric eigen-update or a fresh SVD);
 * 3. Q = Φ_pm⁺V_kΣ_k^{1/2}: with `projectionSolver: 'incremental'` Φ_pm⁺ is kept by Meyer's
 *    rank-1 pseudo-inverse updates (incrementalPseudoInverse.ts) and Z = Φ_pm⁺V_k is rotated with
 *    the decomposition's basis, O(s_p·s_m + (s_p + s_m)·k²) instead of a fresh O(s_p·s_m²) SVD;
 * 4. the change of basis is summarised by the k′ × k matrix R that maps weights on the old φ to
 *    weights on the new one (least squares on the sketched function values, notes §2.7): the
 *    subclass decides whether to use it (FORKS `onSketchUpdate`).
 * @module
 */
import { type BlobReader, Matrix, type ResolvedKernelSpec, Rng, ValueError, cholesky, choleskySolve, gemm, gemv, gemvTOrdered, kernelGram, kernelRow, kernelValue, option, readInteger, readNumber, readOptions } from '@descent/tensor';
import { type CountSketch, columnSampler, countSketch } from './countSketch';
import { pinvFlat, thinSvd } from './decompositions';
import { type ProjectionSolver, type SketchMatrices, buildSketches, patchSketches, projectionMatrix } from './fastSpsdFeatureMap';
import { IncrementalPseudoInverse, type PinvDelta } from './incrementalPseudoInverse';
import type { KernelOption } from './kernel';
import { KernelLearner } from './kernelLearner';
import { dimOption, kernelOption, kernelWidthRowsOption, lossOption, positiveOption } from './learnerOptions';
import { marginLoss, negLossDerivative } from './loss';
import type { UpdateOutcome } from './onlineLearner';
import { type ResidentClient, claimResident, releaseResident, touchResident } from './residentState';
import { SymmetricIncrementalEig } from './symmetricIncrementalEig';
import { type BasisRotation, TruncatedIncrementalSvd } from './truncatedIncrementalSvd';
import type { Label, LearnerJSON, LossName } from './types';
import type { VectorLike } from '@descent/tensor';

/** How the rank-k decomposition of Φ_pp is kept up to date after a sketch update. */
export type DecompositionMode = 'tisvd' | 'symmetric' | 'full';

/** How the kernel values between two appended (non-SV) points enter Φ_pp. */
export type CrossTerms = 'nystrom' | 'omit';

/** Options shared by {@link Forks} and {@link SkeGd}. */
export interface SketchedKernelOptions {
  /**
   * Kernel: a {@link KernelSpec} or `'auto'` (default): Gaussian with σ = the median pairwise
   * distance of the first `kernelWidthRows` rows (see {@link MedianKernelWidth}).
   */
  kernel?: KernelOption;
  /** Rows used by the `'auto'` kernel width (default 100; σ is fixed at the latest when the feature map is built). */
  kernelWidthRows?: number;
  /** Budget B: the first B margin-error examples become the (frozen) SV set (default 100). */
  budget?: number;
  /** s_p, columns of the count sketch (default ⌊0.75B⌋). */
  sketchSize?: number;
  /** s_m, sampled SV columns (FORKS default min(⌊0.75·s_p⌋, 128); reference code and SkeGD ⌊0.2·s_p⌋). */
  sampleSize?: number;
  /** k, rank of the feature map (FORKS default min(s_m, 64); reference code and SkeGD ⌊0.1B⌋). */
  rank?: number;
  /** Step size η (FORKS default 1; reference code and SkeGD 0.2). */
  learningRate?: number;
  /** ρ, sketch-update cycle in margin-error rounds (see each learner's default and {@link paperUpdateCycle}). */
  updateCycle?: number;
  /** Loss (default hinge). */
  loss?: LossName;
  /** Decomposition update: `'tisvd'` (Brand, FORKS default), `'symmetric'` (rank-2 eigen-update) or `'full'` (fresh SVD; SkeGD, FORKS-full ablation). */
  decomposition?: DecompositionMode;
  /** Recompute the exact decomposition of Φ_pp every n sketch updates (default 0 = never). */
  resyncEvery?: number;
  /** Pseudo-inverse tolerance for Φ_pm⁺ (absolute singular-value cut-off; default 1e-8, reference code). */
  pinvTolerance?: number;
  /**
   * How Q = Φ_pm⁺V_kΣ_k^{1/2} is computed: `'incremental'` (FORKS default: Φ_pm⁺ kept by Meyer's
   * rank-1 updates, see {@link IncrementalPseudoInverse}, and Z = Φ_pm⁺V_k rotated with the basis), `'pinv'` (reference code: a fresh SVD pseudo-inverse at every
   * sketch update) or `'cholesky'` (normal equations; see {@link projectionMatrix}).
   */
  projectionSolver?: ProjectionSolver;
  /** Cross terms between appended points: `'nystrom'` (FORKS default) or `'omit'` (reference code, SkeGD). */
  crossTerms?: CrossTerms;
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
  readInteger(streamLength, 'streamLength', { min: 0 });
  readInteger(budget, 'budget', { min: 0 });
  readNumber(c, 'c', { gt: 0 });
  return Math.max(1, Math.floor(c * (streamLength - budget)));
}

/** Class-specific defaults of the options that differ between FORKS and the reference code / SkeGD. */
export interface SketchedDefaults {
  decomposition: DecompositionMode;
  /** s_m = ⌊sampleFraction·s_p⌋, capped at `maxSampleSize`. */
  sampleFraction: number;
  maxSampleSize: number;
  /** k = min(s_m, maxRank) when a number; ⌊0.1B⌋ (capped by s_p) when `'tenthOfBudget'`. */
  rank: number | 'tenthOfBudget';
  crossTerms: CrossTerms;
  projectionSolver: ProjectionSolver;
  updateCycle: number;
  eta: number;
}

/** The reference code's sizes and behaviours (`ad_experiment.cpp`, notes §2.10). */
export const REFERENCE_SKETCH_DEFAULTS: SketchedDefaults = {
  decomposition: 'tisvd',
  sampleFraction: 0.2,
  maxSampleSize: Number.POSITIVE_INFINITY,
  rank: 'tenthOfBudget',
  crossTerms: 'omit',
  projectionSolver: 'pinv',
  updateCycle: 24,
  eta: 0.2,
};

/** One logged sketch update. */
export interface SketchUpdateRecord {
  x: number[];
  row: number;
  sign: number;
}

/** Largest budget of the sketched learners (they keep s_p × s_p and s_p × s_m matrices). */
export const MAX_SKETCHED_BUDGET = 4096;

/** Resolved options. */
export interface ResolvedSketchedOptions {
  kernel: ResolvedKernelSpec | 'auto';
  kernelWidthRows: number;
  budget: number;
  sketchSize: number;
  sampleSize: number;
  rank: number;
  learningRate: number;
  updateCycle: number;
  loss: LossName;
  decomposition: DecompositionMode;
  resyncEvery: number;
  pinvTolerance: number;
  projectionSolver: ProjectionSolver;
  crossTerms: CrossTerms;
  warmStart: 'minNorm' | 'zero';
  recordSketchUpdates: boolean;
  seed: number | string;
  dim: number | undefined;
}

/** The option schema of the sketched learners, with a class's defaults (see `resolveOptions` of @descent/tensor). */
export function sketchedSchema(defaults: SketchedDefaults) {
  return {
    kernel: kernelOption(),
    kernelWidthRows: kernelWidthRowsOption(),
    budget: option.integer({ min: 2, max: MAX_SKETCHED_BUDGET, default: 100 }),
    sketchSize: option.integer({ min: 1, max: MAX_SKETCHED_BUDGET }),
    sampleSize: option.integer({ min: 1, max: MAX_SKETCHED_BUDGET }),
    rank: option.integer({ min: 1, max: MAX_SKETCHED_BUDGET }),
    learningRate: positiveOption(defaults.eta),
    updateCycle: option.integer({ min: 1, default: defaults.updateCycle }),
    loss: lossOption(),
    decomposition: option.oneOf(['tisvd', 'symmetric', 'full'] as const, { default: defaults.decomposition }),
    resyncEvery: option.integer({ min: 0, default: 0 }),
    pinvTolerance: option.number({ min: 0, default: 1e-8 }),
    projectionSolver: option.oneOf(['incremental', 'pinv', 'cholesky'] as const, { default: defaults.projectionSolver }),
    crossTerms: option.oneOf(['nystrom', 'omit'] as const, { default: defaults.crossTerms }),
    warmStart: option.oneOf(['minNorm', 'zero'] as const, { default: 'minNorm' }),
    recordSketchUpdates: option.boolean({ default: false }),
    seed: option.seed(),
    dim: dimOption(),
  };
}

/** Fills the size defaults of resolved sketched options and checks the sizes against each other. */
export function finishSketchedOptions(r: Omit<ResolvedSketchedOptions, 'sketchSize' | 'sampleSize' | 'rank'> & { sketchSize?: number; sampleSize?: number; rank?: number }, defaults: SketchedDefaults): ResolvedSketchedOptions {
  const budget = r.budget;
  const sketchSize = r.sketchSize ?? Math.max(1, Math.floor(0.75 * budget));
  if (sketchSize > budget) throw new ValueError(`sketchSize must be <= budget (${budget}): the count sketch hashes the B support vectors into s_p columns, got ${sketchSize}`, 'sketchSize');
  const sampleSize = r.sampleSize ?? Math.max(1, Math.min(defaults.maxSampleSize, Math.floor(defaults.sampleFraction * sketchSize)));
  if (sampleSize > budget) throw new ValueError(`sampleSize must be <= budget (${budget}), got ${sampleSize}`, 'sampleSize');
  const defaultRank = defaults.rank === 'tenthOfBudget' ? Math.min(sketchSize, Math.max(1, Math.floor(0.1 * budget))) : Math.min(sampleSize, defaults.rank);
  const rank = r.rank ?? defaultRank;
  if (rank > sketchSize) throw new ValueError(`rank must be <= sketchSize (${sketchSize}), got ${rank}`, 'rank');
  return { ...r, sketchSize, sampleSize, rank };
}

/** x·y over the first n entries. */
function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** out = M·v for the row-major r × c `M` (the core's gemv). */
function matVec(M: Float64Array, r: number, c: number, v: Float64Array, out: Float64Array = new Float64Array(r)): Float64Array {
  if (r > 0 && c > 0) gemv(r, c, 1, M, c, v, 0, out);
  else out.fill(0);
  return out;
}

/** C = A·B for row-major A (m × t) and B (t × n) (the core's gemm). */
function matMul(A: Float64Array, Bm: Float64Array, m: number, t: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  if (m > 0 && n > 0 && t > 0) gemm(false, false, m, n, t, 1, A, t, Bm, n, 0, C, n);
  return C;
}

/** Base class of FORKS and SkeGD. */
export abstract class SketchedKernelLearner extends KernelLearner implements ResidentClient {
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
  /** Basis of the decomposition (s_p × k): W = V_kΣ_k^{1/2} = basis·diag(scales). */
  protected basis: Float64Array = new Float64Array(0);
  protected scales: Float64Array = new Float64Array(0);
  /** Φ_pm⁺ kept incrementally (`projectionSolver: 'incremental'`). */
  protected pinv: IncrementalPseudoInverse | undefined;
  /** Z = Φ_pm⁺·basis (s_m × k) and T = Φ_pm·Z (s_p × k), incremental solver. */
  protected Z: Float64Array = new Float64Array(0);
  protected T: Float64Array = new Float64Array(0);
  /** K_mm⁺ of the sampled SVs and H = Σ over appended points of ς·e_j(K_mm⁺κ_m(x))ᵀ (s_p × s_m), for the Nyström cross terms. */
  protected KmmPinv: Float64Array | undefined;
  protected H: Float64Array | undefined;
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
  /** The sampled SVs' rows gathered (s_m × d), for the Gaussian kernel row of φ; built with the feature map. */
  private svm: Float64Array | undefined;
  /** The shared-arena views adopted as the hot arrays (see residentState.ts), while this learner holds the arena. */
  private residentViews: Float64Array[] | undefined;

  /** `options`: the resolved options (see {@link sketchedSchema} and {@link finishSketchedOptions}). */
  constructor(options: ResolvedSketchedOptions) {
    readOptions(options);
    if (typeof options.budget !== 'number' || typeof options.sampleSize !== 'number') throw new ValueError('options must be resolved sketched options (sketchedSchema + finishSketchedOptions)', 'options');
    super(options.kernel, options.kernelWidthRows, options.dim);
    this.options = options;
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

  /** Rank k of the current feature map (0 before initialisation). */
  get featureDimension(): number {
    return this.k;
  }

  /** The current Φ_pp (copy), or undefined before initialisation. */
  get phiPp(): Float64Array | undefined {
    return this.sk?.phiPp.slice();
  }

  /** The current Φ_pm (copy), or undefined before initialisation. */
  get phiPm(): Float64Array | undefined {
    return this.sk?.phiPm.slice();
  }

  /** Q = Φ_pm⁺V_kΣ_k^{1/2} (copy, s_m × k row-major): φ(x) = Qᵀκ(SV_m, x). */
  get projection(): Float64Array {
    return this.Q.slice();
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
  featureMap(x: VectorLike): Float64Array {
    if (!this.initialized) throw new ValueError('featureMap is available after initialisation (budget full), got an uninitialised learner', 'featureMap');
    return this.features(this.readRow(x)).slice();
  }

  /** The current rank-k decomposition error bound Σ discarded σ (TISVD / symmetric modes). */
  get decompositionErrorBound(): number {
    return this.tisvd?.discarded ?? this.symeig?.discarded ?? 0;
  }

  /** The weights on φ (copy). */
  get weights(): Float64Array {
    return this.w.slice();
  }

  protected override inWarmup(): boolean {
    return !this.initialized;
  }

  /**
   * φ(x) = Qᵀκ(SV_m, x) into the scratch buffer: the Gaussian kernel row from the gathered
   * sampled SVs (the core's kernelRow for other kernels), then the core's `gemvTOrdered` (wasm
   * while the arrays are resident; the same bits either way).
   */
  protected features(x: Float64Array): Float64Array {
    const d = x.length;
    const sm = this.options.sampleSize;
    const km = this.km;
    const svm = this.svm;
    if (this.kern.type === 'rbf' && svm !== undefined) {
      // κ(s, x) = exp(−‖s − x‖² · 1/(2h²)), the rounding of the core's kernelRow; finite for finite rows
      const c = 1 / (2 * this.kern.bandwidth * this.kern.bandwidth);
      for (let i = 0; i < sm; i++) {
        const o = i * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = svm[o + j] - x[j];
          s += t * t;
        }
        km[i] = Math.exp(-s * c);
      }
    } else {
      kernelRow(this.kern, this.svX, this.options.budget, d, x, km, this.Sm as Int32Array);
    }
    this.lastX = x;
    gemvTOrdered(sm, this.k, this.Q, km, this.phi);
    return this.phi;
  }

  /** Gathers the sampled SVs' rows (after the SV set and S_m are final). */
  private gatherSampled(): void {
    const d = this.dimValue ?? 0;
    const Sm = this.Sm as Int32Array;
    const svm = new Float64Array(Sm.length * d);
    for (let i = 0; i < Sm.length; i++) svm.set(this.svX.subarray(Sm[i] * d, Sm[i] * d + d), i * d);
    this.svm = svm;
  }

  /**
   * The arrays a steady-state round reads and writes (moved into the shared kernel arena while
   * this learner holds it); subclasses append theirs and adopt them in {@link adoptHotArrays}.
   */
  protected hotArrays(): Float64Array[] {
    return [this.Q, this.km, this.phi, this.w];
  }

  /** Takes `a` (same lengths and order as {@link hotArrays}) as the hot arrays. */
  protected adoptHotArrays(a: Float64Array[]): void {
    this.Q = a[0];
    this.km = a[1];
    this.phi = a[2];
    this.w = a[3];
  }

  /** Start of a steady-state round: hold the shared arena if it is free (or keep holding it). */
  protected enterRound(): void {
    if (this.residentViews) {
      touchResident(this);
      return;
    }
    const views = claimResident(this, this.hotArrays());
    if (views) {
      this.adoptHotArrays(views);
      this.residentViews = views;
    }
  }

  /** Leaves the shared arena (ordinary copies of the hot arrays): before the arrays are replaced, or when another learner claims it. */
  protected leaveResident(): void {
    const views = this.residentViews;
    if (!views) return;
    this.residentViews = undefined;
    this.adoptHotArrays(this.hotArrays().map((a, i) => (a === views[i] ? a.slice() : a)));
    releaseResident(this);
  }

  /** @internal (residentState.ts) */
  evictResident(): void {
    this.leaveResident();
  }

  /** The first-phase score Σᵢ αᵢκ(SVᵢ, x). */
  protected kernelExpansion(x: Float64Array): number {
    if (this.nSV === 0) return 0;
    const row = kernelRow(this.kern, this.svX, this.nSV, x.length, x);
    let f = 0;
    for (let i = 0; i < this.nSV; i++) f += this.alpha[i] * row[i];
    return f;
  }

  protected score(x: Float64Array): number {
    if (!this.initialized) return this.kernelExpansion(x);
    this.enterRound();
    return dot(this.w, this.features(x), this.k);
  }

  /**
   * The linear learner's step on φ (φ(xₜ) in `this.phi`, in the current basis) after the
   * prediction f; `marginError` is y·f < 1. Returns whether the model changed.
   */
  protected abstract linearStep(y: Label, f: number, marginError: boolean, sketchUpdated: boolean): boolean;
  /**
   * Called after each sketch update with R (k × k0, row-major), which maps weights w on the old
   * φ (dimension k0) to weights Rw on the new φ (dimension k = `this.k`) that reproduce the old
   * scores on the sketched data in the least-squares sense (notes §2.7).
   */
  protected abstract afterSketchUpdate(R: Float64Array, k0: number): void;
  /** Initialises the linear learner's state for dimension k (w is already sized and warm-started). */
  protected abstract initLinear(): void;

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const o = this.options;
    const loss = marginLoss(o.loss, f, y);
    const marginError = y * f < 1;
    if (!this.initialized) {
      if (!marginError) return { loss, updated: false };
      this.marginErrors++;
      if (this.nSV < o.budget) {
        // Phase A: first-order kernel OGD while filling the budget
        const d = x.length;
        if (this.svX.length === 0) this.svX = new Float64Array(o.budget * d);
        this.svX.set(x, this.nSV * d);
        this.alpha[this.nSV++] = o.learningRate * negLossDerivative(o.loss, f, y);
        return { loss, updated: true };
      }
      this.initialize(x, f);
      this.features(x);
      this.linearStep(y, f, true, true);
      return { loss, updated: true, sketchUpdated: true };
    }
    let sketchUpdated = false;
    if (marginError) {
      this.marginErrors++;
      if ((this.marginErrors - 1) % o.updateCycle === 0) {
        this.sketchUpdate(x);
        sketchUpdated = true;
      }
    }
    // φ(x) in this.phi is stale after a sketch update (or if score was not called on x)
    if (sketchUpdated || this.lastX !== x) this.features(x);
    const stepped = this.linearStep(y, f, marginError, sketchUpdated);
    return { loss, updated: stepped || sketchUpdated, sketchUpdated };
  }

  /** Phase B: sketches, decomposition, Q, warm start. */
  protected initialize(x: Float64Array, f: number): void {
    const o = this.options;
    const B = o.budget;
    const d = x.length;
    this.leaveResident();
    this.freezeKernel();
    const rng = new Rng(o.seed);
    this.Sp = countSketch(B, o.sketchSize, rng.fold('Sp'));
    this.Sm = columnSampler(B, o.sampleSize, rng.fold('Sm'));
    const K = kernelGram(this.kern, this.svX, B, d);
    this.sk = buildSketches(K, this.Sp, this.Sm);
    this.gatherSampled();
    if (o.crossTerms === 'nystrom') {
      const sm = o.sampleSize;
      const Kmm = new Float64Array(sm * sm);
      for (let a = 0; a < sm; a++) for (let b = 0; b < sm; b++) Kmm[a * sm + b] = K[this.Sm[a] * B + this.Sm[b]];
      let kmax = 0;
      for (let a = 0; a < sm; a++) kmax = Math.max(kmax, Math.abs(Kmm[a * sm + a]));
      this.KmmPinv = pinvFlat(Kmm, sm, sm, 1e-10 * kmax);
      this.H = new Float64Array(o.sketchSize * sm);
    }
    if (o.projectionSolver === 'incremental') this.pinv = new IncrementalPseudoInverse(this.sk.phiPm, o.sketchSize, o.sampleSize, o.pinvTolerance);
    this.refreshDecomposition(true, undefined, undefined);
    this.initialized = true;
    this.phi = new Float64Array(this.k);
    this.w = new Float64Array(this.k);
    if (o.warmStart === 'minNorm') {
      const phi = this.features(x);
      const n2 = dot(phi, phi, this.k);
      if (n2 > 0) for (let i = 0; i < this.k; i++) this.w[i] = (f * phi[i]) / n2;
    }
    this.initLinear();
  }

  /**
   * Reads the decomposition into basis/scales (W = basis·diag(scales) = V_kΣ_k^{1/2}) and recomputes
   * Q. With the incremental solver and a basis rotation, Z = Φ_pm⁺·basis is rotated instead of
   * recomputed: Z′ = [Z + Δ·V, Φ′⁺P]·M, where Δ = Φ′⁺ − Φ⁺ is the rank-2 change from Meyer's update.
   */
  protected refreshDecomposition(fresh: boolean, rotation: BasisRotation | undefined, delta: PinvDelta | undefined, j = 0, sign = 0, kmx?: Float64Array): void {
    const o = this.options;
    const sk = this.sk as SketchMatrices;
    const sp = o.sketchSize;
    const sm = o.sampleSize;
    const oldBasis = this.basis;
    const k0 = this.k;
    let basis: Float64Array;
    let scales: Float64Array;
    if (o.decomposition === 'tisvd') {
      if (fresh || !this.tisvd) this.tisvd = TruncatedIncrementalSvd.fromMatrix(sk.phiPp, sp, sp, o.rank);
      basis = this.tisvd.V;
      scales = Float64Array.from(this.tisvd.S, (s) => Math.sqrt(s));
    } else if (o.decomposition === 'symmetric') {
      if (fresh || !this.symeig) {
        this.symeig = new SymmetricIncrementalEig(sp, o.rank);
        this.symeig.reset(sk.phiPp);
      }
      // SVD of a symmetric matrix from its eigenpairs: σ = |λ|, right vectors v = u·sign(λ), so
      // W = V|Λ|^{1/2} = U·diag(sign(λ)|λ|^{1/2})
      basis = this.symeig.U;
      scales = Float64Array.from(this.symeig.values, (l) => Math.sign(l) * Math.sqrt(Math.abs(l)));
    } else {
      const { S, V, rank } = thinSvd(sk.phiPp, sp, sp);
      let r = Math.min(o.rank, rank);
      while (r > 0 && !(S[r - 1] > 1e-12 * S[0])) r--;
      basis = new Float64Array(sp * r);
      for (let i = 0; i < sp; i++) for (let c = 0; c < r; c++) basis[i * r + c] = V[i * rank + c];
      scales = Float64Array.from(S.subarray(0, r), (s) => Math.sqrt(s));
    }
    const r = scales.length;
    if (o.projectionSolver === 'incremental') {
      const P = (this.pinv as IncrementalPseudoInverse).data; // s_m × s_p
      if (!fresh && rotation && delta && kmx && k0 > 0) {
        const rz = rotateZT(this.Z, this.T, oldBasis, k0, P, sk.phiPm, delta, rotation, sm, sp, j, sign, kmx);
        this.Z = rz.Z;
        this.T = rz.T;
      } else {
        this.Z = matMul(P, basis, sm, sp, r);
        this.T = matMul(sk.phiPm, this.Z, sp, sm, r);
      }
      this.Q = new Float64Array(sm * r);
      for (let i = 0; i < sm; i++) for (let c = 0; c < r; c++) this.Q[i * r + c] = this.Z[i * r + c] * scales[c];
    } else {
      const W = new Float64Array(sp * r);
      for (let i = 0; i < sp; i++) for (let c = 0; c < r; c++) W[i * r + c] = basis[i * r + c] * scales[c];
      this.Q = projectionMatrix(sk, W, r, o.pinvTolerance, o.projectionSolver);
    }
    this.basis = basis;
    this.scales = scales;
    if (r !== this.k) {
      this.k = r;
      this.phi = new Float64Array(r);
    }
  }

  /** §2.7: append x with a fresh 1-sparse sketch row, update the decomposition and Q, then let the subclass re-express its learner. */
  protected sketchUpdate(x: Float64Array): void {
    this.leaveResident(); // the decomposition update and the subclass replace the hot arrays
    const o = this.options;
    const B = o.budget;
    const sp = o.sketchSize;
    const sm = o.sampleSize;
    const rng = new Rng(o.seed).fold('sketchRow', this.sketchUpdates);
    const j = rng.int(sp);
    const sign = rng.uniform() < 0.5 ? -1 : 1;
    const phiOld = (this.lastX === x ? this.phi : this.features(x)).slice();
    const oldScales = this.scales;
    const oldT = this.pinv ? this.T : matMul((this.sk as SketchMatrices).phiPm, this.Q, sp, sm, this.k);
    const k0 = this.k;
    const psi = kernelRow(this.kern, this.svX, B, x.length, x);
    const kxx = kernelValue(this.kern, x, x);
    const Sm = this.Sm as Int32Array;
    const kmx = Float64Array.from(Sm, (i) => psi[i]);
    const rApp = this.crossTermRow(kmx, j, sign);
    let delta: PinvDelta | undefined;
    if (this.pinv) {
      const dRow = Float64Array.from(kmx, (v) => sign * v);
      delta = this.pinv.rowUpdate((this.sk as SketchMatrices).phiPm, j, dRow);
    }
    const r = patchSketches(this.sk as SketchMatrices, this.Sp as CountSketch, Sm, psi, kxx, j, sign, rApp);
    if (this.pinv && !delta) this.pinv.recompute((this.sk as SketchMatrices).phiPm);
    this.sketchUpdates++;
    if (o.recordSketchUpdates) this.sketchLog.push({ x: Array.from(x), row: j, sign });
    const resync = o.resyncEvery > 0 && this.sketchUpdates % o.resyncEvery === 0;
    let rotation: BasisRotation | undefined;
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
      rotation = (this.tisvd as TruncatedIncrementalSvd).update(X, Y, 3);
    } else if (o.decomposition === 'symmetric' && !resync) {
      const X = new Float64Array(sp * 2);
      X[j * 2] = sign;
      for (let i = 0; i < sp; i++) X[i * 2 + 1] = r[i];
      rotation = (this.symeig as SymmetricIncrementalEig).update(X, Float64Array.of(kxx, 1, 1, 0), 2);
    }
    this.refreshDecomposition(rotation === undefined, rotation, delta, j, sign, kmx);
    this.afterSketchUpdate(this.weightMap(oldT, oldScales, k0, j, sign, phiOld), k0);
  }

  /**
   * The Nyström cross terms of an appended point (`crossTerms: 'nystrom'`): returns
   * r_app = Σ_a ς_a e_{j_a} κ̃(x_a, x) over the previously appended points a (s_p), with
   * κ̃(a, x) = κ_m(a)ᵀK_mm⁺κ_m(x), and records x in H. Undefined when cross terms are omitted.
   */
  private crossTermRow(kmx: Float64Array, j: number, sign: number): Float64Array | undefined {
    if (!this.H || !this.KmmPinv) return undefined;
    const sp = this.options.sketchSize;
    const sm = this.options.sampleSize;
    const h = matVec(this.KmmPinv, sm, sm, kmx);
    const rApp = matVec(this.H, sp, sm, kmx);
    const o = j * sm;
    for (let b = 0; b < sm; b++) this.H[o + b] += sign * h[b];
    return rApp;
  }

  /**
   * R (k × k0) with w′ = Rw: the least-squares fit, on the sketched data, of the new scores to the
   * old ones (notes §2.7): min over w′ of ‖Φ′_pm(Q′w′ − Q w)‖, i.e. R = (Φ′Q′)⁺Φ′Q. With
   * Φ′Q′ = T′Σ′ and Φ′Q = TΣ + ς e_j φ_old(xₜ)ᵀ (T = Φ_pm·Z kept with Z), the normal equations are
   * k × k: N Σ′R = T′ᵀ(TΣ + ς e_j φ_oldᵀ) with N = T′ᵀT′. O(s_p·k² + k³). Exact (the function is
   * unchanged) whenever the old map's functions are functions of the new one, e.g. k = s_m at
   * full rank.
   */
  private weightMap(oldT: Float64Array, oldScales: Float64Array, k0: number, j: number, sign: number, phiOld: Float64Array): Float64Array {
    const k = this.k;
    const sp = this.options.sketchSize;
    const incremental = this.pinv !== undefined;
    // without the incremental solver, T1 = Φ′Q′ and oldT = ΦQ already carry the scales
    const T1 = incremental ? this.T : matMul((this.sk as SketchMatrices).phiPm, this.Q, sp, this.options.sampleSize, k);
    const sc1 = incremental ? this.scales : new Float64Array(k).fill(1);
    const sc0 = incremental ? oldScales : new Float64Array(k0).fill(1);
    // N = T′ᵀT′ (made exactly symmetric), rhs = T′ᵀ(T·diag(σ⁰)) + ς T′[j, :]ᵀφ_oldᵀ: the core's gemm
    const N = new Float64Array(k * k);
    const rhs = new Float64Array(k * k0);
    const S0 = new Float64Array(sp * k0);
    for (let i = 0; i < sp; i++) for (let c = 0; c < k0; c++) S0[i * k0 + c] = oldT[i * k0 + c] * sc0[c];
    if (k > 0 && sp > 0) {
      gemm(true, false, k, k, sp, 1, T1, k, T1, k, 0, N, k);
      if (k0 > 0) gemm(true, false, k, k0, sp, 1, T1, k, S0, k0, 0, rhs, k0);
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < a; b++) N[b * k + a] = N[a * k + b];
      for (let c = 0; c < k0; c++) rhs[a * k0 + c] += sign * T1[j * k + a] * phiOld[c];
    }
    const X = solveSpd(N, k, rhs, k0); // Σ′R
    for (let a = 0; a < k; a++) for (let c = 0; c < k0; c++) X[a * k0 + c] /= sc1[a];
    return X;
  }

  /** The blob of a sketched learner: the common state and the subclass's `fields`. */
  protected sketchedBlob(type: string, options: Record<string, unknown>, fields: Record<string, unknown>): LearnerJSON {
    const d = this.dimValue ?? 0;
    const init = this.initialized;
    const arr = (a: ArrayLike<number> | undefined) => (init && a ? Array.from(a) : null);
    return this.learnerBlob(type, options, {
      ...this.kernelFields(),
      nSV: this.nSV,
      svX: Array.from(this.svX.subarray(0, this.nSV * d)),
      alpha: Array.from(this.alpha.subarray(0, this.nSV)),
      marginErrors: this.marginErrors,
      sketchUpdates: this.sketchUpdates,
      initialized: init,
      Sp: init && this.Sp ? { hash: Array.from(this.Sp.hash), sign: Array.from(this.Sp.sign) } : null,
      Sm: arr(this.Sm),
      phiPm: arr(this.sk?.phiPm),
      phiPp: arr(this.sk?.phiPp),
      tisvd: init ? (this.tisvd?.toJSON() ?? null) : null,
      symeig: init ? (this.symeig?.toJSON() ?? null) : null,
      k: this.k,
      basis: arr(this.basis),
      scales: arr(this.scales),
      pinv: init && this.pinv ? { data: Array.from(this.pinv.data), sinceRefresh: this.pinv.sinceRefresh, recomputations: this.pinv.recomputations } : null,
      Z: this.pinv ? arr(this.Z) : null,
      T: this.pinv ? arr(this.T) : null,
      KmmPinv: arr(this.KmmPinv),
      H: arr(this.H),
      Q: arr(this.Q),
      w: arr(this.w),
      sketchLog: this.sketchLog,
      ...fields,
    });
  }

  /** Reads and checks the common state of a sketched learner's blob (every field, every length). */
  protected restoreSketched(r: BlobReader): void {
    const o = this.options;
    const B = o.budget;
    const sp = o.sketchSize;
    const sm = o.sampleSize;
    this.restoreBase(r);
    this.restoreKernel(r);
    const nSV = r.integer('nSV', { min: 0, max: B });
    const d = this.dimValue;
    if (d === undefined && nSV > 0) throw r.at('dim').valueError('the row length (there are support vectors)');
    const dd = d ?? 0;
    this.nSV = nSV;
    this.svX = new Float64Array(B * dd);
    this.svX.set(r.vector('svX', { length: nSV * dd }));
    this.alpha = new Float64Array(B);
    this.alpha.set(r.vector('alpha', { length: nSV }));
    this.marginErrors = r.integer('marginErrors', { min: nSV });
    this.sketchUpdates = r.integer('sketchUpdates', { min: 0 });
    this.initialized = r.boolean('initialized');
    const log = r.at('sketchLog');
    const entries = log.asArrayValue();
    if (!o.recordSketchUpdates && entries.length > 0) throw log.shapeError('empty (recordSketchUpdates is false)', entries.length);
    this.sketchLog.length = 0;
    entries.forEach((_, i) => {
      const e = log.at(i);
      this.sketchLog.push({ x: e.numbers('x', { length: dd }), row: e.integer('row', { min: 0, max: sp - 1 }), sign: e.integer('sign', { min: -1, max: 1 }) });
    });
    const nulls = ['Sp', 'Sm', 'phiPm', 'phiPp', 'tisvd', 'symeig', 'basis', 'scales', 'pinv', 'Z', 'T', 'KmmPinv', 'H', 'Q', 'w'];
    if (!this.initialized) {
      for (const key of nulls) if (r.at(key).value !== null) throw r.at(key).valueError('null before the feature map is built');
      if (r.integer('k', { min: 0, max: 0 }) !== 0) throw r.at('k').valueError('0');
      if (this.sketchUpdates !== 0) throw r.at('sketchUpdates').valueError('0 before the feature map is built');
      return;
    }
    if (nSV !== B) throw r.at('nSV').valueError(`${B} (the budget) once the feature map is built`);
    if (this.width && !this.width.frozen) throw r.at('kernelWidth.frozen').valueError('true once the feature map is built');
    const Sp = r.object('Sp');
    const hash = Int32Array.from(Sp.integers('hash', { length: B, min: 0, max: sp - 1 }));
    const signs = Sp.at('sign');
    const sign = Float64Array.from(signs.asIntegers({ length: B, min: -1, max: 1 }), (v, i) => {
      if (v === 0) throw signs.at(i).valueError('-1 or +1');
      return v;
    });
    this.Sp = { n: B, s: sp, hash, sign };
    const SmR = r.at('Sm');
    this.Sm = Int32Array.from(SmR.asIntegers({ length: sm, min: 0, max: B - 1 }));
    const seen = new Set<number>();
    this.Sm.forEach((v, i) => {
      if (seen.has(v)) throw SmR.at(i).valueError('a support-vector index not sampled twice');
      seen.add(v);
    });
    this.sk = { phiPm: r.vector('phiPm', { length: sp * sm }), phiPp: r.vector('phiPp', { length: sp * sp }), sp, sm };
    const k = r.integer('k', { min: 1, max: o.rank });
    this.k = k;
    const maxRank = Math.min(o.rank, sp);
    if (o.decomposition === 'tisvd') this.tisvd = TruncatedIncrementalSvd.read(r.object('tisvd'), sp, sp, maxRank, k);
    else if (r.at('tisvd').value !== null) throw r.at('tisvd').valueError(`null (decomposition '${o.decomposition}')`);
    if (o.decomposition === 'symmetric') this.symeig = SymmetricIncrementalEig.read(r.object('symeig'), sp, maxRank, k);
    else if (r.at('symeig').value !== null) throw r.at('symeig').valueError(`null (decomposition '${o.decomposition}')`);
    this.basis = r.vector('basis', { length: sp * k });
    this.scales = r.vector('scales', { length: k });
    this.scales.forEach((v, i) => {
      if (v === 0) throw r.at('scales').at(i).valueError('a nonzero scale');
    });
    if (o.projectionSolver === 'incremental') {
      const pv = r.object('pinv');
      const data = pv.vector('data', { length: sm * sp });
      this.pinv = new IncrementalPseudoInverse(this.sk.phiPm, sp, sm, o.pinvTolerance, sm, data);
      this.pinv.sinceRefresh = pv.integer('sinceRefresh', { min: 0, max: sm - 1 });
      this.pinv.recomputations = pv.integer('recomputations', { min: 0 });
      this.Z = r.vector('Z', { length: sm * k });
      this.T = r.vector('T', { length: sp * k });
    } else {
      for (const key of ['pinv', 'Z', 'T']) if (r.at(key).value !== null) throw r.at(key).valueError(`null (projectionSolver '${o.projectionSolver}')`);
    }
    if (o.crossTerms === 'nystrom') {
      this.KmmPinv = r.vector('KmmPinv', { length: sm * sm });
      this.H = r.vector('H', { length: sp * sm });
    } else {
      for (const key of ['KmmPinv', 'H']) if (r.at(key).value !== null) throw r.at(key).valueError("null (crossTerms 'omit')");
    }
    this.Q = r.vector('Q', { length: sm * k });
    this.w = r.vector('w', { length: k });
    this.phi = new Float64Array(k);
    this.gatherSampled();
  }
}

/**
 * Z′ = Φ′⁺·basis′ and T′ = Φ′·Z′ from Z = Φ⁺·basis and T = Φ·Z, where Φ′ = Φ + e_j dᵀ
 * (d = ς κ_m(xₜ); `Phi` is Φ′, `Pnew` is Φ′⁺), Φ′⁺ = Φ⁺ + a₁b₁ᵀ + a₂b₂ᵀ and
 * basis′ = [basis, P]·M[:, :keep]: with Y = [Z + a₁(b₁ᵀbasis) + a₂(b₂ᵀbasis), Φ′⁺P], Z′ = Y·M and
 * Φ′Y = [T + e_j(dᵀZ) + (Φ′a₁)(b₁ᵀbasis) + (Φ′a₂)(b₂ᵀbasis), Φ′Φ′⁺P], T′ = (Φ′Y)·M.
 * O(s_p·s_m + (s_p + s_m)·k²) instead of O(s_p·s_m·k).
 */
function rotateZT(
  Z: Float64Array,
  T: Float64Array,
  oldBasis: Float64Array,
  k0: number,
  Pnew: Float64Array,
  Phi: Float64Array,
  delta: PinvDelta,
  rot: BasisRotation,
  sm: number,
  sp: number,
  j: number,
  sign: number,
  kmx: Float64Array,
): { Z: Float64Array; T: Float64Array } {
  const p = rot.p;
  const a = k0 + p;
  const bV1 = new Float64Array(k0);
  const bV2 = new Float64Array(k0);
  for (let i = 0; i < sp; i++) {
    const x1 = delta.b1[i];
    const x2 = delta.b2[i];
    const o = i * k0;
    for (let c = 0; c < k0; c++) {
      bV1[c] += x1 * oldBasis[o + c];
      bV2[c] += x2 * oldBasis[o + c];
    }
  }
  const Y = new Float64Array(sm * a);
  for (let i = 0; i < sm; i++) {
    for (let c = 0; c < k0; c++) Y[i * a + c] = Z[i * k0 + c] + delta.a1[i] * bV1[c] + delta.a2[i] * bV2[c];
  }
  const PY = new Float64Array(sp * a);
  const Pa1 = matVec(Phi, sp, sm, delta.a1);
  const Pa2 = matVec(Phi, sp, sm, delta.a2);
  for (let i = 0; i < sp; i++) {
    for (let c = 0; c < k0; c++) PY[i * a + c] = T[i * k0 + c] + Pa1[i] * bV1[c] + Pa2[i] * bV2[c];
  }
  for (let c = 0; c < k0; c++) {
    let t = 0;
    for (let i = 0; i < sm; i++) t += kmx[i] * Z[i * k0 + c];
    PY[j * a + c] += sign * t;
  }
  if (p > 0) {
    const PP = matMul(Pnew, rot.P, sm, sp, p); // Φ′⁺P
    const PPP = matMul(Phi, PP, sp, sm, p); // Φ′Φ′⁺P
    for (let i = 0; i < sm; i++) for (let c = 0; c < p; c++) Y[i * a + k0 + c] = PP[i * p + c];
    for (let i = 0; i < sp; i++) for (let c = 0; c < p; c++) PY[i * a + k0 + c] = PPP[i * p + c];
  }
  const keep = rot.keep;
  return { Z: mulCols(Y, sm, a, rot.M, rot.cols, keep), T: mulCols(PY, sp, a, rot.M, rot.cols, keep) };
}

/** A·M[:, :keep] for row-major A (n × a) and M (a × cols). */
function mulCols(A: Float64Array, n: number, a: number, M: Float64Array, cols: number, keep: number): Float64Array {
  const out = new Float64Array(n * keep);
  if (n > 0 && keep > 0 && a > 0) gemm(false, false, n, keep, a, 1, A, a, M, cols, 0, out, keep);
  return out;
}

/** X = N⁻¹·B for the symmetric positive semi-definite k × k `N` (Cholesky; pseudo-inverse if N is singular). */
function solveSpd(N: Float64Array, k: number, Bm: Float64Array, c: number): Float64Array {
  let ok = true;
  let L: Matrix | undefined;
  try {
    L = cholesky(new Matrix(k, k, N), { symmetryTol: Number.POSITIVE_INFINITY });
    let dmin = Number.POSITIVE_INFINITY;
    let dmax = 0;
    for (let i = 0; i < k; i++) {
      dmin = Math.min(dmin, L.data[i * k + i]);
      dmax = Math.max(dmax, L.data[i * k + i]);
    }
    ok = dmin > 1e-7 * dmax;
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    ok = false;
  }
  if (ok && L) return choleskySolve(L, new Matrix(k, c, Bm)).data;
  let nmax = 0;
  for (let i = 0; i < k; i++) nmax = Math.max(nmax, Math.abs(N[i * k + i]));
  return matMul(pinvFlat(N, k, k, 1e-12 * nmax), Bm, k, k, c);
}
