/**
 * FOGD, Fourier online gradient descent (Lu, Hoi, Wang, Zhao, Liu, JMLR 2016): D random Fourier
 * frequencies u ~ N(0, h⁻²I) of the Gaussian kernel, features z(x) = [cos(uᵢᵀx); sin(uᵢᵀx)]
 * (unscaled, as in the reference code), then linear OGD on margin errors. O(dD) per round.
 * @module
 */
import { type BlobReader, NotSupportedError, type ResolvedOptions, Rng, option, resolveOptions } from '@descent/tensor';
import type { KernelOption } from '../kernel';
import { KernelLearner } from '../kernelLearner';
import { dimOption, kernelOption, kernelWidthRowsOption, lossOption, positiveOption } from '../learnerOptions';
import { marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import { type RandomFourierFeatures, randomFourierFeatures, rffTransform } from '../randomFourierFeatures';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Fogd}. */
export interface FogdOptions {
  /** Gaussian kernel (`{ type: 'rbf', bandwidth }`) or `'auto'` (default; FOGD needs a shift-invariant kernel). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Number of frequencies D (2D features; default 100; KuaiRec code: ⌈B/4⌉). */
  numFrequencies?: number;
  /** Step size η (default 0.2). */
  learningRate?: number;
  /** Scale features by 1/√D (default false, as in the reference code). */
  scaled?: boolean;
  loss?: LossName;
  seed?: number | string;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  numFrequencies: option.integer({ min: 1, max: 1e5, default: 100 }),
  learningRate: positiveOption(0.2),
  scaled: option.boolean({ default: false }),
  loss: lossOption(),
  seed: option.seed(),
  dim: dimOption(),
};

/** Random-Fourier-feature OGD. */
export class Fogd extends KernelLearner {
  readonly numFrequencies: number;
  readonly learningRate: number;
  readonly scaled: boolean;
  readonly loss: LossName;
  readonly seed: number | string;
  private readonly opts: ResolvedOptions<typeof schema>;
  private rff: RandomFourierFeatures | undefined;
  private w: Float64Array;
  private z: Float64Array;

  constructor(o: FogdOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'Fogd', renamed: { eta: 'learningRate' } });
    if (r.kernel !== 'auto' && r.kernel.type !== 'rbf') {
      throw new NotSupportedError(`kernel must be the Gaussian { type: 'rbf', bandwidth } for FOGD (random Fourier features exist for shift-invariant kernels), got '${r.kernel.type}'`, 'kernel');
    }
    super(r.kernel, r.kernelWidthRows, r.dim);
    this.opts = r;
    this.numFrequencies = r.numFrequencies;
    this.learningRate = r.learningRate;
    this.scaled = r.scaled;
    this.loss = r.loss;
    this.seed = r.seed;
    this.w = new Float64Array(2 * this.numFrequencies);
    this.z = new Float64Array(2 * this.numFrequencies);
  }

  /** The frequencies for the current bandwidth (the same normal draws, rescaled, when it changes). */
  private draw(d: number): RandomFourierFeatures {
    const h = (this.kern as { bandwidth: number }).bandwidth;
    this.rff = randomFourierFeatures(d, this.numFrequencies, h, new Rng(this.seed).fold('rff'), this.scaled);
    return this.rff;
  }

  protected override onKernelChange(): void {
    if (this.rff) this.draw(this.rff.dim);
  }

  protected score(x: Float64Array): number {
    const rff = this.rff ?? this.draw(x.length);
    const z = rffTransform(rff, x, this.z);
    let f = 0;
    for (let i = 0; i < z.length; i++) f += this.w[i] * z[i];
    return f;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const loss = marginLoss(this.loss, f, y);
    const g = negLossDerivative(this.loss, f, y);
    if (g === 0) return { loss, updated: false };
    // this.z holds z(x) from the score call of this round
    const rff = this.rff ?? this.draw(x.length);
    const z = rffTransform(rff, x, this.z);
    const c = this.learningRate * g;
    for (let i = 0; i < this.w.length; i++) this.w[i] += c * z[i];
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    return this.learnerBlob('Fogd', { ...this.opts, kernel: this.kernelOption }, { ...this.kernelFields(), w: Array.from(this.w) });
  }

  /** Restores a learner saved with `toJSON` (every field validated; the frequencies are redrawn from the seed). */
  static fromJSON(json: unknown): Fogd {
    const r: BlobReader = openLearnerBlob(json, 'Fogd');
    const l = new Fogd(OnlineLearner.blobOptions(r) as FogdOptions);
    l.restoreBase(r);
    l.restoreKernel(r);
    l.w = r.vector('w', { length: 2 * l.numFrequencies });
    if (l.dimValue !== undefined) l.draw(l.dimValue);
    return l;
  }
}
