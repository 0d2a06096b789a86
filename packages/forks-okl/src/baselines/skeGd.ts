/**
 * SkeGD (Zhang & Liao, "Incremental Randomized Sketching for Online Kernel Learning", ICML
 * 2019), as run in the FORKS reference code: the same budget / S_p / S_m / Φ machinery and
 * feature map as FORKS, but a first-order update w ← w + η·(−∂ℓ/∂f)·φ on margin errors, no
 * projection and no A; each sketch update recomputes a full rank-k SVD of Φ_pp and keeps w
 * unchanged (the re-projection of w onto the new basis is commented out in the code, §2.12 #8).
 * @module
 */
import { resolveOptions } from '@descent/tensor';
import { negLossDerivative } from '../loss';
import { OnlineLearner, openLearnerBlob } from '../onlineLearner';
import { REFERENCE_SKETCH_DEFAULTS, type SketchedKernelOptions, SketchedKernelLearner, finishSketchedOptions, sketchedSchema } from '../sketchedKernelLearner';
import type { Label, LearnerJSON } from '../types';

/**
 * Options of {@link SkeGd}: the reference code's sizes and behaviours (s_m = ⌊0.2·s_p⌋,
 * k = ⌊0.1B⌋, ρ = 24, cross terms omitted, a fresh pseudo-inverse per sketch update) with a full
 * SVD per sketch update (`decomposition: 'full'`); the kernel defaults to `'auto'` like every
 * learner of the package.
 */
export type SkeGdOptions = SketchedKernelOptions;

const SKEGD_DEFAULTS = { ...REFERENCE_SKETCH_DEFAULTS, decomposition: 'full' as const };
const SKEGD_SCHEMA = sketchedSchema(SKEGD_DEFAULTS);

/** Sketched kernel OGD. */
export class SkeGd extends SketchedKernelLearner {
  constructor(o: SkeGdOptions = {}) {
    super(finishSketchedOptions(resolveOptions(o, SKEGD_SCHEMA, { name: 'SkeGd', renamed: { eta: 'learningRate' } }), SKEGD_DEFAULTS));
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
    const gamma = o.learningRate * negLossDerivative(o.loss, f, y);
    for (let i = 0; i < this.k; i++) this.w[i] += gamma * this.phi[i];
    return true;
  }

  toJSON(): LearnerJSON {
    return this.sketchedBlob('SkeGd', { ...this.options, kernel: this.kernelOption }, {});
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): SkeGd {
    const r = openLearnerBlob(json, 'SkeGd');
    const l = new SkeGd(OnlineLearner.blobOptions(r) as SkeGdOptions);
    l.restoreSketched(r);
    return l;
  }
}
