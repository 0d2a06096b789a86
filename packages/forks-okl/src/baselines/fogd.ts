/**
 * FOGD, Fourier online gradient descent (Lu, Hoi, Wang, Zhao, Liu, JMLR 2016): random Fourier
 * features z(x) ∈ ℝ^{2D} of the Gaussian kernel, then linear OGD w ← w + η·(−∂ℓ/∂f)·z on margin
 * errors. Unscaled features by default, as in the reference implementations. O(dD) per round.
 * @module
 */
import { Rng, NotSupportedError } from '@descent/tensor';
import { type KernelSpec, checkKernel } from '../kernel';
import { checkLoss, marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType, toArr, toF64 } from '../onlineLearner';
import { boolOpt, intOpt, posOpt, seedOpt } from '../options';
import { type RandomFourierFeatures, randomFourierFeatures, rffTransform } from '../randomFourierFeatures';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Fogd}. */
export interface FogdOptions {
  /** Gaussian kernel (required; FOGD is defined for shift-invariant kernels). */
  kernel: KernelSpec;
  /** Number of frequencies D (2D features; default 100; KuaiRec code: ⌈B/4⌉). */
  numFrequencies?: number;
  /** Step size η (default 0.2). */
  eta?: number;
  /** Scale features by 1/√D (default false, as in the reference code). */
  scaled?: boolean;
  loss?: LossName;
  seed?: number | string;
  dim?: number;
}

/** Fourier OGD. */
export class Fogd extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly numFrequencies: number;
  readonly eta: number;
  readonly scaled: boolean;
  readonly loss: LossName;
  readonly seed: number | string;
  private rff: RandomFourierFeatures | undefined;
  private w: Float64Array;
  private z: Float64Array;

  constructor(o: FogdOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    if (this.kernel.type !== 'gaussian') throw new NotSupportedError(`kernel must be gaussian for FOGD, got '${this.kernel.type}'`, 'kernel');
    this.numFrequencies = intOpt('numFrequencies', o.numFrequencies, 100);
    this.eta = posOpt('eta', o.eta, 0.2);
    this.scaled = boolOpt('scaled', o.scaled, false);
    this.loss = checkLoss('loss', o.loss ?? 'hinge');
    this.seed = seedOpt(o.seed);
    this.w = new Float64Array(2 * this.numFrequencies);
    this.z = new Float64Array(2 * this.numFrequencies);
    if (o.dim !== undefined) this.draw(o.dim);
  }

  private draw(d: number): RandomFourierFeatures {
    const sigma = (this.kernel as { sigma: number }).sigma;
    this.rff = randomFourierFeatures(d, this.numFrequencies, sigma, new Rng(this.seed).fold('rff'), this.scaled);
    return this.rff;
  }

  protected score(x: Float64Array): number {
    const rff = this.rff ?? this.draw(x.length);
    const z = rffTransform(rff, x, this.z);
    let f = 0;
    for (let i = 0; i < z.length; i++) f += this.w[i] * z[i];
    return f;
  }

  protected update(_x: Float64Array, y: Label, f: number): UpdateOutcome {
    const loss = marginLoss(this.loss, f, y);
    const g = negLossDerivative(this.loss, f, y);
    if (g === 0) return { loss, updated: false };
    // this.z holds z(x) from the score call of this round
    const c = this.eta * g;
    for (let i = 0; i < this.w.length; i++) this.w[i] += c * this.z[i];
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    const { kernel, numFrequencies, eta, scaled, loss, seed } = this;
    return { ...this.baseJSON('Fogd'), options: { kernel, numFrequencies, eta, scaled, loss, seed }, w: toArr(this.w) };
  }

  /** Restores a learner saved with `toJSON` (the frequencies are redrawn from the seed). */
  static fromJSON(json: unknown): Fogd {
    const j = checkJSONType(json, 'Fogd');
    const l = new Fogd({ ...(j.options as FogdOptions), dim: (j.dim as number | null) ?? undefined });
    l.restoreBase(j);
    l.w = toF64(j.w);
    return l;
  }
}
