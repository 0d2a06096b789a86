/**
 * Linear ONS (Hazan, Agarwal, Kale 2007) with FORKS's projected step (onsStep.ts) on the raw
 * features plus a bias: the linear reference of the comparison.
 * @module
 */
import { type BlobReader, type ResolvedOptions, option, resolveOptions } from '@descent/tensor';
import { dimOption, lossOption, positiveOption } from '../learnerOptions';
import { marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import { onsProjectedStep } from '../onsStep';
import { ShermanMorrisonInverse } from '../shermanMorrison';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Ons}. */
export interface OnsOptions {
  /** Step scale η (default 0.2). */
  learningRate?: number;
  /** A₀ = αI (default 0.01). */
  regularizer?: number;
  /** Projection bound C (default 1). */
  projectionBound?: number;
  /** Append a constant 1 feature (bias; default true). */
  bias?: boolean;
  loss?: LossName;
  dim?: number;
}

const schema = {
  learningRate: positiveOption(0.2),
  regularizer: positiveOption(0.01),
  projectionBound: positiveOption(1),
  bias: option.boolean({ default: true }),
  loss: lossOption(),
  dim: dimOption(),
};

/** Linear online Newton step. */
export class Ons extends OnlineLearner {
  readonly learningRate: number;
  readonly regularizer: number;
  readonly projectionBound: number;
  readonly bias: boolean;
  readonly loss: LossName;
  private readonly opts: ResolvedOptions<typeof schema>;
  private w: Float64Array | undefined;
  private Ainv: ShermanMorrisonInverse | undefined;
  private phi = new Float64Array(0);
  private a = new Float64Array(0);

  constructor(o: OnsOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'Ons', renamed: { eta: 'learningRate' } });
    super(r.dim);
    this.opts = r;
    this.learningRate = r.learningRate;
    this.regularizer = r.regularizer;
    this.projectionBound = r.projectionBound;
    this.bias = r.bias;
    this.loss = r.loss;
  }

  private features(x: Float64Array): Float64Array {
    const k = x.length + (this.bias ? 1 : 0);
    if (this.phi.length !== k) {
      this.phi = new Float64Array(k);
      this.a = new Float64Array(k);
    }
    this.phi.set(x);
    if (this.bias) this.phi[k - 1] = 1;
    return this.phi;
  }

  protected score(x: Float64Array): number {
    if (!this.w) return 0;
    const p = this.features(x);
    let f = 0;
    for (let i = 0; i < p.length; i++) f += this.w[i] * p[i];
    return f;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const p = this.features(x);
    this.w ??= new Float64Array(p.length);
    this.Ainv ??= new ShermanMorrisonInverse(p.length, this.regularizer);
    const loss = marginLoss(this.loss, f, y);
    const g = negLossDerivative(this.loss, f, y);
    if (g === 0) return { loss, updated: false };
    onsProjectedStep(this.w, this.Ainv, p, this.learningRate * g, { bound: this.projectionBound, guard: 1e-4, sigma: 1 }, this.a);
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    return this.learnerBlob('Ons', this.opts, { w: this.w ? Array.from(this.w) : null, Ainv: this.Ainv ? Array.from(this.Ainv.data) : null });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): Ons {
    const r: BlobReader = openLearnerBlob(json, 'Ons');
    const l = new Ons(OnlineLearner.blobOptions(r) as OnsOptions);
    l.restoreBase(r);
    const k = l.dimValue === undefined ? 0 : l.dimValue + (l.bias ? 1 : 0);
    const w = r.nullable('w', (q) => q.asVector({ length: k }));
    if (w) {
      l.w = w;
      l.Ainv = ShermanMorrisonInverse.read(r.at('Ainv'), k, l.regularizer);
    } else if (r.at('Ainv').value !== null) throw r.at('Ainv').valueError('null (no update yet)');
    return l;
  }
}
