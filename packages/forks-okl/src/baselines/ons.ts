/**
 * Linear online Newton step (Hazan, Agarwal, Kale 2007) with FORKS's projected update
 * (notes §2.6) on the raw features: the second-order reference without a kernel, and the linear
 * learner FORKS must beat on nonlinear streams.
 * @module
 */
import { checkLoss, marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType, toArr, toF64 } from '../onlineLearner';
import { onsProjectedStep } from '../onsStep';
import { posOpt } from '../options';
import { ShermanMorrisonInverse } from '../shermanMorrison';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Ons}. */
export interface OnsOptions {
  /** Step scale η (default 0.2). */
  eta?: number;
  /** A₀ = αI (default 0.01). */
  regularizer?: number;
  /** Projection bound C (default 1). */
  projectionBound?: number;
  /** Append a constant 1 feature (bias; default true). */
  bias?: boolean;
  loss?: LossName;
  dim?: number;
}

/** Linear ONS with a generalized projection. */
export class Ons extends OnlineLearner {
  readonly eta: number;
  readonly regularizer: number;
  readonly projectionBound: number;
  readonly bias: boolean;
  readonly loss: LossName;
  private w: Float64Array | undefined;
  private Ainv: ShermanMorrisonInverse | undefined;
  private phi = new Float64Array(0);
  private a = new Float64Array(0);

  constructor(o: OnsOptions = {}) {
    super(o.dim);
    this.eta = posOpt('eta', o.eta, 0.2);
    this.regularizer = posOpt('regularizer', o.regularizer, 0.01);
    this.projectionBound = posOpt('projectionBound', o.projectionBound, 1);
    this.bias = o.bias ?? true;
    this.loss = checkLoss('loss', o.loss ?? 'hinge');
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
    onsProjectedStep(this.w, this.Ainv, p, this.eta * g, { bound: this.projectionBound, guard: 1e-4, sigma: 1 }, this.a);
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    const { eta, regularizer, projectionBound, bias, loss } = this;
    return {
      ...this.baseJSON('Ons'),
      options: { eta, regularizer, projectionBound, bias, loss },
      w: this.w ? toArr(this.w) : null,
      Ainv: this.Ainv ? toArr(this.Ainv.data) : null,
    };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): Ons {
    const j = checkJSONType(json, 'Ons');
    const l = new Ons(j.options as OnsOptions);
    l.restoreBase(j);
    if (j.w) {
      l.w = toF64(j.w);
      l.Ainv = new ShermanMorrisonInverse(l.w.length, l.regularizer, toF64(j.Ainv));
    }
    return l;
  }
}
