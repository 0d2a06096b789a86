/**
 * Hermite polynomials on the standard Gaussian N(0, 1).
 *
 * Probabilists' polynomials He_k: He_0 = 1, He_1 = z, He_{k+1}(z) = z He_k(z) − k He_{k−1}(z).
 * Normalised polynomials h_k = He_k / √(k!) are orthonormal: E_{z~N(0,1)}[h_j(z) h_k(z)] = δ_jk,
 * with h_k' = √k h_{k−1} and, for unit vectors u, v and x ~ N(0, I), E[h_j(u·x) h_k(v·x)] = δ_jk (u·v)^k
 * (Ren & Lee 2024, arXiv 2410.09678, §2; O'Donnell, *Analysis of Boolean Functions*, §11.2).
 * @module
 */
import { assertFiniteNumber, assertInteger, readBuffer } from '@descent/tensor';

/** Probabilists' Hermite polynomial He_k(z) by the three-term recurrence. */
export function hermiteHe(k: number, z: number): number {
  assertInteger('k', k, 0);
  assertFiniteNumber('z', z);
  if (k === 0) return 1;
  let prev = 1;
  let cur = z;
  for (let j = 1; j < k; j++) {
    const next = z * cur - j * prev;
    prev = cur;
    cur = next;
  }
  return cur;
}

/**
 * Normalised Hermite polynomial h_k(z) = He_k(z)/√(k!), computed by the stable recurrence
 * h_{k+1} = (z h_k − √k h_{k−1}) / √(k+1) (no factorials, no overflow for large k).
 */
export function hermite(k: number, z: number): number {
  assertInteger('k', k, 0);
  assertFiniteNumber('z', z);
  return hermiteUnchecked(k, z);
}

/** {@link hermite} without argument checks, for inner loops. */
export function hermiteUnchecked(k: number, z: number): number {
  if (k === 0) return 1;
  let prev = 1;
  let cur = z;
  for (let j = 1; j < k; j++) {
    const next = (z * cur - Math.sqrt(j) * prev) / Math.sqrt(j + 1);
    prev = cur;
    cur = next;
  }
  return cur;
}

/** Derivative of the normalised polynomial: h_k'(z) = √k · h_{k−1}(z) (0 for k = 0). */
export function hermiteDeriv(k: number, z: number): number {
  assertInteger('k', k, 0);
  assertFiniteNumber('z', z);
  return k === 0 ? 0 : Math.sqrt(k) * hermiteUnchecked(k - 1, z);
}

/**
 * All normalised polynomials h_0(z) … h_kMax(z) at once, written into `out` (length ≥ kMax + 1,
 * allocated when omitted). One recurrence pass, O(kMax).
 */
export function hermiteAll(kMax: number, z: number, out?: Float64Array): Float64Array {
  assertInteger('kMax', kMax, 0, 1e6);
  assertFiniteNumber('z', z);
  const h =
    out === undefined ? new Float64Array(kMax + 1) : readBuffer(out, 'out', { minLength: kMax + 1, finite: false });
  h[0] = 1;
  if (kMax >= 1) h[1] = z;
  for (let j = 1; j < kMax; j++) h[j + 1] = (z * h[j] - Math.sqrt(j) * h[j - 1]) / Math.sqrt(j + 1);
  return h;
}
