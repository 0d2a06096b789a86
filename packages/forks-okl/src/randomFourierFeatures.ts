/**
 * Random Fourier features (Rahimi & Recht 2007) for the Gaussian kernel exp(−‖x−y‖²/(2σ²)):
 * uᵢ ~ N(0, σ⁻²I), z(x) = [cos(uᵢᵀx); sin(uᵢᵀx)] ∈ ℝ^{2D}. FOGD's reference code (and LIBOKL)
 * uses no 1/√D scaling; with `scaled: true` z(x)ᵀz(y) → κ(x, y) as D → ∞.
 * @module
 */
import { Rng, ShapeError, ValueError, describe, readInteger, readNumber, readOptions, readVector } from '@descent/tensor';

/** A drawn random Fourier feature map. */
export interface RandomFourierFeatures {
  /** Input dimension d. */
  dim: number;
  /** Number of frequencies D (output has 2D features). */
  numFrequencies: number;
  /** Frequencies, row-major D × d. */
  u: Float64Array;
  /** Multiply the features by 1/√D. */
  scaled: boolean;
}

/** Draws D frequencies for the Gaussian kernel of width σ. */
export function randomFourierFeatures(dim: number, numFrequencies: number, bandwidth: number, rng: Rng, scaled = false): RandomFourierFeatures {
  readInteger(dim, 'dim', { min: 1, max: 1e7 });
  readInteger(numFrequencies, 'numFrequencies', { min: 1, max: 1e6 });
  readNumber(bandwidth, 'bandwidth', { gt: 0 });
  if (!(rng instanceof Rng)) throw new ValueError('rng must be an Rng', 'rng');
  const u = rng.normalArray(numFrequencies * dim, 0, 1 / bandwidth);
  return { dim, numFrequencies, u, scaled };
}

/** Checks a {@link RandomFourierFeatures} argument (sizes, a Float64Array `u` of length D·d, a boolean `scaled`). */
export function readRandomFourierFeatures(f: unknown, name = 'f'): RandomFourierFeatures {
  const o = readOptions<RandomFourierFeatures>(f, name);
  if (typeof f === 'function') throw new ValueError(`${name} must be a random Fourier feature map, got a function`, name);
  const dim = readInteger(o.dim, `${name}.dim`, { min: 1, max: 1e7 });
  const D = readInteger(o.numFrequencies, `${name}.numFrequencies`, { min: 1, max: 1e6 });
  if (!(o.u instanceof Float64Array) || o.u.length !== D * dim) throw new ShapeError(`${name}.u must be a Float64Array of length ${D * dim}, got ${describe(o.u)}`, `${name}.u`);
  if (typeof o.scaled !== 'boolean') throw new ValueError(`${name}.scaled must be true or false, got ${describe(o.scaled)}`, `${name}.scaled`);
  return o as RandomFourierFeatures;
}

/** z(x) ∈ ℝ^{2D} into `out`. */
export function rffTransform(f: RandomFourierFeatures, x: ArrayLike<number>, out?: Float64Array): Float64Array {
  const { dim, numFrequencies: D, u } = readRandomFourierFeatures(f, 'f');
  readVector(x, 'x', { length: dim });
  out ??= new Float64Array(2 * D);
  if (!(out instanceof Float64Array) || out.length < 2 * D) throw new ShapeError(`out must be a Float64Array of length >= ${2 * D}, got ${describe(out)}`, 'out');
  const c = f.scaled ? 1 / Math.sqrt(D) : 1;
  for (let i = 0; i < D; i++) {
    let s = 0;
    const o = i * dim;
    for (let j = 0; j < dim; j++) s += u[o + j] * x[j];
    out[i] = c * Math.cos(s);
    out[D + i] = c * Math.sin(s);
  }
  return out;
}
