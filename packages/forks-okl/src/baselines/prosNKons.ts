/**
 * PROS-N-KONS (Calandriello, Lazaric, Valko, NeurIPS 2017), with the FORKS reference code's
 * dictionary cap. Every round, KORS (kernel online row sampling) estimates the ridge leverage
 * score τₜ = ((1 + ε)/γ)·(κₜₜ − k̃ᵀ(K_D + γI)⁻¹k̃) of xₜ against the dictionary D and adds xₜ
 * with probability min(β·τₜ, 1) while |D| < budget. Whenever D changes, a new Nyström embedding
 * of K_D is built and the learner restarts (w = 0, A = αI). Within an epoch it runs the projected
 * online-Newton step of FORKS (onsStep.ts) with u = g/4 (A += ggᵀ/16) as in the code.
 * Cost O(J²) per round (J = |D|): the "at least quadratic in the budget" second-order baseline.
 *
 * Choices: the embedding is φ(x) = L⁻¹κ(D, x) with K_D = LLᵀ (Cholesky, grown by one row per
 * new atom in O(J²)) instead of Λ^{−1/2}Vᵀκ(D, x); both give φ(x)ᵀφ(y) = κ(x, D)K_D⁻¹κ(D, y)
 * and differ by an orthogonal matrix, to which ONS with A₀ = αI and the projection are
 * invariant, so the predictions are the same in exact arithmetic. (K_D + γI) is kept as a
 * Cholesky factor too. K_D is unweighted (KORS's atom weights 1/p are not applied). An atom whose
 * Schur complement κₜₜ − ‖L⁻¹k‖² is ≤ 1e-10 (a near-duplicate) is not added.
 * @module
 */
import { type BlobReader, type ResolvedOptions, Rng, kernelValue, option, resolveOptions } from '@descent/tensor';
import type { KernelOption } from '../kernel';
import { KernelLearner } from '../kernelLearner';
import { dimOption, kernelOption, kernelWidthRowsOption, lossOption, nonNegativeOption, positiveOption } from '../learnerOptions';
import { marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import { onsProjectedStep } from '../onsStep';
import { ShermanMorrisonInverse } from '../shermanMorrison';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link ProsNKons} (defaults from the FORKS reference code). */
export interface ProsNKonsOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows; the dictionary is re-factorised when it changes). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Dictionary cap J_max (default 100). */
  budget?: number;
  /** A₀ = αI (default 1). */
  alpha?: number;
  /** KORS oversampling β (default 1). */
  beta?: number;
  /** KORS accuracy ε (default 0.5). */
  epsilon?: number;
  /** KORS ridge γ (default 1). */
  gamma?: number;
  /** Projection bound C (default 1). */
  projectionBound?: number;
  /** Step scale η (default 1). */
  learningRate?: number;
  loss?: LossName;
  seed?: number | string;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  budget: option.integer({ min: 1, max: 4096, default: 100 }),
  alpha: positiveOption(1),
  beta: positiveOption(1),
  epsilon: nonNegativeOption(0.5),
  gamma: positiveOption(1),
  projectionBound: positiveOption(1),
  learningRate: positiveOption(1),
  loss: lossOption(),
  seed: option.seed(),
  dim: dimOption(),
};

/** Forward substitution z = L⁻¹b for the leading J × J block of the row-major `L` (stride `cap`). */
function forwardSolve(L: Float64Array, cap: number, J: number, b: ArrayLike<number>, z: Float64Array): Float64Array {
  for (let i = 0; i < J; i++) {
    let s = b[i];
    const r = i * cap;
    for (let j = 0; j < i; j++) s -= L[r + j] * z[j];
    z[i] = s / L[r + i];
  }
  return z;
}

/** PROS-N-KONS with a capped dictionary. */
export class ProsNKons extends KernelLearner {
  readonly budget: number;
  readonly alpha: number;
  readonly beta: number;
  readonly epsilon: number;
  readonly gamma: number;
  readonly projectionBound: number;
  readonly learningRate: number;
  readonly loss: LossName;
  readonly seed: number | string;
  private readonly opts: ResolvedOptions<typeof schema>;
  private dict: SupportSet | undefined;
  /** Cholesky factor of K_D (stride budget). */
  private L: Float64Array;
  /** Cholesky factor of K_D + γI (stride budget). */
  private Lr: Float64Array;
  private w: Float64Array = new Float64Array(0);
  private Ainv = new ShermanMorrisonInverse(0, 1);
  private phi: Float64Array = new Float64Array(0);
  private row: Float64Array;
  private tmp: Float64Array;
  private scratch: Float64Array = new Float64Array(0);
  /** Dictionary changes so far (epochs). */
  epochs = 0;

  constructor(o: ProsNKonsOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'ProsNKons', renamed: { eta: 'learningRate' } });
    super(r.kernel, r.kernelWidthRows, r.dim);
    this.opts = r;
    this.budget = r.budget;
    this.alpha = r.alpha;
    this.beta = r.beta;
    this.epsilon = r.epsilon;
    this.gamma = r.gamma;
    this.projectionBound = r.projectionBound;
    this.learningRate = r.learningRate;
    this.loss = r.loss;
    this.seed = r.seed;
    this.L = new Float64Array(this.budget * this.budget);
    this.Lr = new Float64Array(this.budget * this.budget);
    this.row = new Float64Array(this.budget);
    this.tmp = new Float64Array(this.budget);
  }

  /** Dictionary size J. */
  get size(): number {
    return this.dict?.n ?? 0;
  }

  /** φ(x) = L⁻¹κ(D, x) into this.phi (kernel row left in this.row). */
  private embed(x: Float64Array): Float64Array {
    const D = this.dict as SupportSet;
    D.kernelRow(this.kern, x, this.row);
    return forwardSolve(this.L, this.budget, D.n, this.row, this.phi);
  }

  protected score(x: Float64Array): number {
    if (!this.dict || this.dict.n === 0) return 0;
    const phi = this.embed(x);
    let f = 0;
    for (let i = 0; i < phi.length; i++) f += this.w[i] * phi[i];
    return f;
  }

  /** Restarts the ONS learner in the (new) J-dimensional embedding. */
  private restart(): void {
    const J = (this.dict as SupportSet).n;
    this.w = new Float64Array(J);
    this.phi = new Float64Array(J);
    this.scratch = new Float64Array(J);
    this.Ainv = new ShermanMorrisonInverse(J, this.alpha);
  }

  /** Both Cholesky factors of the dictionary from scratch (after the `'auto'` bandwidth changed), then a restart. */
  protected override onKernelChange(): void {
    const D = this.dict;
    if (!D || D.n === 0) return;
    const old = D;
    this.dict = new SupportSet(old.d, this.budget);
    this.L.fill(0);
    this.Lr.fill(0);
    for (let i = 0; i < old.n; i++) {
      const x = old.x.subarray(i * old.d, (i + 1) * old.d);
      if (this.dict.n > 0) this.dict.kernelRow(this.kern, x, this.row);
      this.addAtom(Float64Array.from(x), old.alpha[i]);
    }
    this.restart();
  }

  /** KORS's leverage score of x, with the kernel row k = κ(D, x) already in this.row. */
  private leverage(x: Float64Array): number {
    const ktt = kernelValue(this.kern, x, x);
    const J = this.dict?.n ?? 0;
    if (J === 0) return ((1 + this.epsilon) / this.gamma) * ktt;
    const z = forwardSolve(this.Lr, this.budget, J, this.row, this.tmp);
    let q = 0;
    for (let i = 0; i < J; i++) q += z[i] * z[i];
    return ((1 + this.epsilon) / this.gamma) * Math.max(0, ktt - q);
  }

  /** Appends x to D, growing both Cholesky factors by one row (O(J²)). Returns false for a near-duplicate. */
  private addAtom(x: Float64Array, weight: number): boolean {
    const B = this.budget;
    this.dict ??= new SupportSet(x.length, B);
    const D = this.dict;
    const J = D.n;
    const ktt = kernelValue(this.kern, x, x);
    const l = forwardSolve(this.L, B, J, this.row, new Float64Array(J));
    let q = 0;
    for (let i = 0; i < J; i++) q += l[i] * l[i];
    const schur = ktt - q;
    if (!(schur > 1e-10 * Math.max(ktt, 1e-300))) return false;
    const lr = forwardSolve(this.Lr, B, J, this.row, new Float64Array(J));
    let qr = 0;
    for (let i = 0; i < J; i++) qr += lr[i] * lr[i];
    for (let i = 0; i < J; i++) {
      this.L[J * B + i] = l[i];
      this.Lr[J * B + i] = lr[i];
    }
    this.L[J * B + J] = Math.sqrt(schur);
    this.Lr[J * B + J] = Math.sqrt(ktt + this.gamma - qr);
    D.add(x, weight);
    return true;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const loss = marginLoss(this.loss, f, y);
    let changed = false;
    const J = this.dict?.n ?? 0;
    if (J < this.budget) {
      // this.row = κ(D, x) was filled by this round's score() (learnOne scores right before updating)
      const p = Math.min(this.beta * this.leverage(x), 1);
      if (p > 0 && new Rng(this.seed).fold('kors', this.stepCount).uniform() < p && this.addAtom(x, 1 / p)) {
        this.restart();
        this.epochs++;
        changed = true;
      }
    }
    const g = negLossDerivative(this.loss, f, y);
    if (g === 0 || !this.dict || this.dict.n === 0) return { loss, updated: changed, sketchUpdated: changed };
    // φ(x) in the current embedding (recomputed after a restart)
    if (changed) this.embed(x);
    onsProjectedStep(this.w, this.Ainv, this.phi, this.learningRate * g, { bound: this.projectionBound, guard: 1e-4, sigma: 4 }, this.scratch);
    return { loss, updated: true, sketchUpdated: changed };
  }

  toJSON(): LearnerJSON {
    const J = this.dict?.n ?? 0;
    const tri = (M: Float64Array) => {
      const out: number[] = [];
      for (let i = 0; i < J; i++) for (let j = 0; j <= i; j++) out.push(M[i * this.budget + j]);
      return out;
    };
    return this.learnerBlob('ProsNKons', { ...this.opts, kernel: this.kernelOption }, {
      ...this.kernelFields(),
      dict: this.dict?.toJSON() ?? null,
      L: tri(this.L),
      Lr: tri(this.Lr),
      w: Array.from(this.w),
      Ainv: Array.from(this.Ainv.data),
      epochs: this.epochs,
    });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): ProsNKons {
    const r: BlobReader = openLearnerBlob(json, 'ProsNKons');
    const l = new ProsNKons(OnlineLearner.blobOptions(r) as ProsNKonsOptions);
    l.restoreBase(r);
    l.restoreKernel(r);
    const dict = r.nullable('dict', (q) => {
      if (l.dimValue === undefined) throw q.valueError('null before the first row (dim is null)');
      return SupportSet.read(q, l.dimValue, l.budget, l.budget);
    });
    const J = dict?.n ?? 0;
    const readTri = (key: string, M: Float64Array) => {
      const at = r.at(key);
      const v = at.asVector({ length: (J * (J + 1)) / 2 });
      let t = 0;
      for (let i = 0; i < J; i++) {
        for (let j = 0; j <= i; j++) {
          if (j === i && !(v[t] > 0)) throw at.at(t).valueError('a positive diagonal entry of the Cholesky factor');
          M[i * l.budget + j] = v[t++];
        }
      }
    };
    readTri('L', l.L);
    readTri('Lr', l.Lr);
    if (dict) {
      l.dict = dict;
      l.restart();
    }
    l.w = r.vector('w', { length: J });
    l.Ainv = ShermanMorrisonInverse.read(r.at('Ainv'), J, l.alpha);
    l.epochs = r.integer('epochs', { min: 0 });
    return l;
  }
}
