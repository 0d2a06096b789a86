/**
 * Hutchinson's trace estimator tr(H) ≈ (1/S) Σ_s v_sᵀ H v_s with Rademacher probes v_s
 * (Hutchinson 1989), with its standard error. For Rademacher probes the variance of one term is
 * 2(‖H‖_F² − Σ H_ii²) (Avron & Toledo 2011).
 * @module
 */
import { Rng, assertInteger } from '@descent/tensor';
import type { ParamTree } from '../tree';
import { flatHessian } from './flatHvp';
import type { HvpTreeOptions } from './hvp';
import type { CurvatureObjective } from './objective';

/** Options of {@link hutchinsonTrace}. */
export interface HutchinsonOptions extends HvpTreeOptions {
  /** Number of probes S (default 20, ≥ 2 for a standard error). */
  probes?: number;
  /** Seed of the probes (default 0). */
  seed?: number | string;
}

/** What {@link hutchinsonTrace} returns. */
export interface HutchinsonResult {
  /** The estimate (1/S) Σ v_sᵀHv_s. */
  trace: number;
  /** Its standard error sd(v_sᵀHv_s)/√S. */
  stdError: number;
  /** The S terms v_sᵀHv_s. */
  samples: Float64Array;
}

/**
 * Estimates tr(∇²f(params)) with Rademacher probes.
 *
 * ```ts
 * const { trace, stdError } = hutchinsonTrace(f, params, { probes: 20 });
 * ```
 */
export function hutchinsonTrace(
  f: CurvatureObjective,
  params: ParamTree,
  options: HutchinsonOptions = {},
): HutchinsonResult {
  const H = flatHessian(f, params, options);
  const S = options.probes ?? 20;
  assertInteger('probes', S, 2);
  const rng = new Rng(options.seed ?? 0).fold('hutchinson');
  const samples = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const r = rng.fold(s);
    const v = new Float64Array(H.size);
    for (let i = 0; i < v.length; i++) v[i] = r.nextUint32() & 1 ? 1 : -1;
    const hv = H.matvec(v);
    let q = 0;
    for (let i = 0; i < v.length; i++) q += v[i] * hv[i];
    samples[s] = q;
  }
  let mean = 0;
  for (const q of samples) mean += q;
  mean /= S;
  let ss = 0;
  for (const q of samples) ss += (q - mean) ** 2;
  return { trace: mean, stdError: Math.sqrt(ss / (S - 1) / S), samples };
}
