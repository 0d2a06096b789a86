/**
 * FORKS: Fast second-Order online Kernel learning using incremental Sketching (Wen, Zhang, Wei,
 * Hou, Li, Zhang; arXiv 2410.11188, IJCAI 2025), as the authors' code runs it (notes §2):
 *
 * - rounds with y·f < 1 (margin errors) drive every update;
 * - Phase A: the first B margin-error examples are stored with α = η·(−∂ℓ/∂f) (kernel OGD);
 * - Phase B: at the next margin error build S_p, S_m, Φ_pm, Φ_pp, the rank-k decomposition of
 *   Φ_pp and Q = Φ_pm⁺V_kΣ_k^{1/2}; warm start w₀ = f·φ/‖φ‖²; A⁻¹ = I/α_reg;
 * - every ρ-th margin error: incremental sketch update + TISVD + new Q, then restart w = 0,
 *   A⁻¹ = I/α_reg (PROS-N-KONS's restart-on-embedding-change);
 * - on every margin error after initialisation: the projected online-Newton step (onsStep.ts).
 *
 * Per-round cost O(s_m·d + s_m·k + k²); a sketch-update round adds O(B·d) for ψ, O(s_p(k+3)²)
 * for TISVD and the Φ_pm⁺ recomputation of the reference code.
 * @module
 */
import { checkJSONType } from './onlineLearner';
import { onsProjectedStep } from './onsStep';
import { boolOpt, posOpt } from './options';
import { ShermanMorrisonInverse } from './shermanMorrison';
import { type SketchedKernelOptions, SketchedKernelLearner } from './sketchedKernelLearner';
import { toF64 } from './onlineLearner';
import type { LearnerJSON } from './types';

/** Options of {@link Forks} (defaults from the reference code's experiments, notes §2.10). */
export interface ForksOptions extends SketchedKernelOptions {
  /** α_reg: A₀ = α_reg·I (default 0.01). */
  regularizer?: number;
  /** C: the projection keeps |wᵀφₜ| ≤ C (default 1). */
  projectionBound?: number;
  /** ε added to φᵀA⁻¹φ in the projection (default 1e-4 as in the code; 0 = exact projection). */
  projectionGuard?: number;
  /** σ_t in A ← A + (g/σ_t)(g/σ_t)ᵀ (default 1). */
  curvatureScale?: number;
  /** Restart w = 0, A⁻¹ = I/α after each sketch update (default true, the reference code). */
  restartOnSketchUpdate?: boolean;
}

/** The FORKS streaming kernel classifier. */
export class Forks extends SketchedKernelLearner {
  readonly regularizer: number;
  readonly projectionBound: number;
  readonly projectionGuard: number;
  readonly curvatureScale: number;
  readonly restartOnSketchUpdate: boolean;
  private Ainv: ShermanMorrisonInverse = new ShermanMorrisonInverse(0, 1);
  private scratch = new Float64Array(0);

  constructor(o: ForksOptions = {}) {
    super(o, 'tisvd');
    this.regularizer = posOpt('regularizer', o.regularizer, 0.01);
    this.projectionBound = posOpt('projectionBound', o.projectionBound, 1);
    this.projectionGuard = posOpt('projectionGuard', o.projectionGuard, 1e-4, true);
    this.curvatureScale = posOpt('curvatureScale', o.curvatureScale, 1);
    this.restartOnSketchUpdate = boolOpt('restartOnSketchUpdate', o.restartOnSketchUpdate, true);
  }

  /** A⁻¹ (copy, k × k). */
  get inverseCurvature(): Float64Array {
    return this.Ainv.data.slice();
  }

  protected initLinear(): void {
    this.Ainv = new ShermanMorrisonInverse(this.k, this.regularizer);
    this.scratch = new Float64Array(this.k);
  }

  protected afterSketchUpdate(): void {
    if (!this.restartOnSketchUpdate) return;
    this.w.fill(0);
    this.Ainv.reset(this.regularizer);
  }

  protected linearStep(gamma: number): void {
    onsProjectedStep(this.w, this.Ainv, this.phi, gamma, { bound: this.projectionBound, guard: this.projectionGuard, sigma: this.curvatureScale }, this.scratch);
  }

  toJSON(): LearnerJSON {
    const { regularizer, projectionBound, projectionGuard, curvatureScale, restartOnSketchUpdate } = this;
    return this.sketchedJSON('Forks', { forks: { regularizer, projectionBound, projectionGuard, curvatureScale, restartOnSketchUpdate }, Ainv: Array.from(this.Ainv.data) });
  }

  /** Restores a learner saved with `toJSON`; it continues bit-identically. */
  static fromJSON(json: unknown): Forks {
    const j = checkJSONType(json, 'Forks');
    const l = new Forks({ ...(j.options as ForksOptions), ...(j.forks as ForksOptions) });
    l.restoreSketched(j);
    l.Ainv = new ShermanMorrisonInverse(l.k, l.regularizer, toF64(j.Ainv));
    l.scratch = new Float64Array(l.k);
    return l;
  }
}
