/**
 * SkeGD (Zhang & Liao, "Incremental Randomized Sketching for Online Kernel Learning", ICML
 * 2019), as run in the FORKS reference code: the same budget / S_p / S_m / Φ machinery and
 * feature map as FORKS, but a first-order update w ← w + η·(−∂ℓ/∂f)·φ on margin errors, no
 * projection and no A; each sketch update recomputes a full rank-k SVD of Φ_pp and keeps w
 * unchanged (the re-projection of w onto the new basis is commented out in the code, §2.12 #8).
 * @module
 */
import { checkJSONType } from '../onlineLearner';
import { type SketchedKernelOptions, SketchedKernelLearner } from '../sketchedKernelLearner';
import type { LearnerJSON } from '../types';

/** Options of {@link SkeGd} (decomposition defaults to `'full'`). */
export type SkeGdOptions = SketchedKernelOptions;

/** Sketched kernel OGD. */
export class SkeGd extends SketchedKernelLearner {
  constructor(o: SkeGdOptions = {}) {
    super(o, 'full');
  }

  protected initLinear(): void {}

  protected afterSketchUpdate(): void {}

  protected linearStep(gamma: number): void {
    for (let i = 0; i < this.k; i++) this.w[i] += gamma * this.phi[i];
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
