/**
 * SkeGD (Zhang & Liao, "Incremental Randomized Sketching for Online Kernel Learning", ICML
 * 2019), as run in the FORKS reference code: the same budget / S_p / S_m / Φ machinery and
 * feature map as FORKS, but a first-order update w ← w + η·(−∂ℓ/∂f)·φ on margin errors, no
 * projection and no A; each sketch update recomputes a full rank-k SVD of Φ_pp and keeps w
 * unchanged (the re-projection of w onto the new basis is commented out in the code, §2.12 #8).
 * @module
 */
import { negLossDerivative } from '../loss';
import { checkJSONType } from '../onlineLearner';
import { REFERENCE_SKETCH_DEFAULTS, type SketchedKernelOptions, SketchedKernelLearner } from '../sketchedKernelLearner';
import type { Label, LearnerJSON } from '../types';

/**
 * Options of {@link SkeGd}: the reference code's sizes and behaviours (s_m = ⌊0.2·s_p⌋,
 * k = ⌊0.1B⌋, ρ = 24, cross terms omitted, a fresh pseudo-inverse per sketch update) with a full
 * SVD per sketch update (`decomposition: 'full'`); the kernel defaults to `'auto'` like every
 * learner of the package.
 */
export type SkeGdOptions = SketchedKernelOptions;

/** Sketched kernel OGD. */
export class SkeGd extends SketchedKernelLearner {
  constructor(o: SkeGdOptions = {}) {
    super(o, { ...REFERENCE_SKETCH_DEFAULTS, decomposition: 'full' });
  }

  protected initLinear(): void {}

  protected afterSketchUpdate(_R: Float64Array, k0: number): void {
    // w is kept as it is (the code's behaviour); a change of rank pads or truncates it
    if (this.k !== k0) {
      const w = new Float64Array(this.k);
      w.set(this.w.subarray(0, Math.min(this.k, k0)));
      this.w = w;
    }
  }

  protected linearStep(y: Label, f: number, marginError: boolean): boolean {
    if (!marginError) return false;
    const o = this.options;
    const gamma = o.eta * negLossDerivative(o.loss, f, y);
    for (let i = 0; i < this.k; i++) this.w[i] += gamma * this.phi[i];
    return true;
  }

  toJSON(): LearnerJSON {
    return this.sketchedJSON('SkeGd', {});
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): SkeGd {
    const j = checkJSONType(json, 'SkeGd');
    const l = new SkeGd(j.options as SkeGdOptions);
    l.restoreSketched(j);
    return l;
  }
}
