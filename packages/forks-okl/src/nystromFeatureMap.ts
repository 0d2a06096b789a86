/**
 * Nyström feature map (Williams & Seeger 2001; NOGD's embedding): with landmarks L (m × d) and
 * K_LL = V Λ Vᵀ, keep the top-k eigenpairs with λ > tol and set
 * φ(x) = Λ_k^{−1/2} V_kᵀ κ(L, x) ∈ ℝ^k, so that φ(x)ᵀφ(y) = κ(x, L) K_LL⁺ κ(L, y) for k = m.
 * @module
 */
import { Matrix, type ResolvedKernelSpec, ShapeError, describe, eigh, kernelGram, kernelRow, readInteger, readKernelSpec, readNumber, readOptions, readVector } from '@descent/tensor';

/** A fitted Nyström map. */
export interface NystromFeatureMap {
  kernel: ResolvedKernelSpec;
  /** Landmarks, row-major m × d. */
  landmarks: Float64Array;
  m: number;
  d: number;
  /** Output dimension k (≤ requested rank; eigenvalues ≤ tol are dropped). */
  k: number;
  /** M = Λ_k^{−1/2}V_kᵀ, row-major k × m. */
  M: Float64Array;
}

/** Fits the map on m landmarks, keeping at most `rank` components with eigenvalue > tol·λ_max. */
export function nystromFeatureMap(kernel: ResolvedKernelSpec, landmarks: Float64Array, m: number, d: number, rank = m, tol = 1e-10): NystromFeatureMap {
  readInteger(m, 'm', { min: 1 });
  readInteger(d, 'd', { min: 1 });
  readInteger(rank, 'rank', { min: 1 });
  readNumber(tol, 'tol', { min: 0 });
  const L = readVector(landmarks, 'landmarks');
  if (L.length < m * d) throw new ShapeError(`landmarks must hold m·d = ${m * d} numbers, got ${L.length}`, 'landmarks');
  const K = kernelGram(kernel, L, m, d);
  const e = eigh(new Matrix(m, m, K), { symmetryTol: Number.POSITIVE_INFINITY });
  const values = e.values;
  const vectors = e.vectors.data;
  const lmax = values[m - 1];
  const cols: number[] = [];
  for (let i = m - 1; i >= 0 && cols.length < rank; i--) if (values[i] > tol * Math.max(lmax, 1e-300)) cols.push(i);
  const k = cols.length;
  const M = new Float64Array(k * m);
  for (let a = 0; a < k; a++) {
    const c = cols[a];
    const s = 1 / Math.sqrt(values[c]);
    for (let j = 0; j < m; j++) M[a * m + j] = s * vectors[j * m + c];
  }
  return { kernel, landmarks: L.slice(0, m * d), m, d, k, M };
}

/** Checks a {@link NystromFeatureMap} argument (a kernel spec, sizes, Float64Arrays of the right lengths; O(1) beyond the spec). */
export function readNystromFeatureMap(f: unknown, name = 'f'): NystromFeatureMap {
  const o = readOptions<NystromFeatureMap>(f, name);
  readKernelSpec(o.kernel, `${name}.kernel`);
  const m = readInteger(o.m, `${name}.m`, { min: 1, max: 1e6 });
  const d = readInteger(o.d, `${name}.d`, { min: 1, max: 1e7 });
  const k = readInteger(o.k, `${name}.k`, { min: 0, max: m });
  if (!(o.landmarks instanceof Float64Array) || o.landmarks.length !== m * d) throw new ShapeError(`${name}.landmarks must be a Float64Array of length ${m * d}, got ${describe(o.landmarks)}`, `${name}.landmarks`);
  if (!(o.M instanceof Float64Array) || o.M.length !== k * m) throw new ShapeError(`${name}.M must be a Float64Array of length ${k * m}, got ${describe(o.M)}`, `${name}.M`);
  return o as NystromFeatureMap;
}

/** φ(x) = M κ(L, x); `row` is optional scratch of length m. */
export function nystromTransform(f: NystromFeatureMap, x: ArrayLike<number>, out?: Float64Array, row?: Float64Array): Float64Array {
  readNystromFeatureMap(f, 'f');
  out ??= new Float64Array(f.k);
  if (!(out instanceof Float64Array) || out.length < f.k) throw new ShapeError(`out must be a Float64Array of length >= ${f.k}, got ${describe(out)}`, 'out');
  if (row !== undefined && (!(row instanceof Float64Array) || row.length < f.m)) throw new ShapeError(`row must be a Float64Array of length >= ${f.m}, got ${describe(row)}`, 'row');
  const r = kernelRow(f.kernel, f.landmarks, f.m, f.d, x, row ?? new Float64Array(f.m));
  for (let a = 0; a < f.k; a++) {
    let s = 0;
    const o = a * f.m;
    for (let j = 0; j < f.m; j++) s += f.M[o + j] * r[j];
    out[a] = s;
  }
  return out;
}
