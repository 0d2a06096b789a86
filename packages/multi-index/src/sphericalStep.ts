/**
 * The spherical (projected) SGD step of Ren & Lee 2024 (arXiv 2410.09678, §2.3, as reconstructed
 * in the implementation notes): each neuron w_i lives on the unit sphere S^{d−1}; the ascent
 * direction g_i is projected on the tangent space, g_i ← g_i − (g_i·w_i) w_i, and the step is
 * retracted to the sphere, w_i ← (w_i + η g_i)/‖w_i + η g_i‖.
 * @module
 */
import { ValueError, readBoolean, readBuffer, readInteger, readNumber } from '@descent/tensor';

/** Checks an in-place m×d row-major buffer argument: a finite Float64Array of length m·d. */
function checkRows(name: string, A: unknown, m: number, d: number): Float64Array {
  return readBuffer(A, name, { length: m * d, lengthName: 'm·d' });
}

/** Reads m and d (integers ≥ 1 whose product is at most the buffer's length, so no loop runs away). */
function readSizes(m: unknown, d: unknown, W: unknown): [number, number] {
  const cap = W instanceof Float64Array ? Math.max(1, W.length) : 1;
  return [readInteger(m, 'm', { min: 1, max: cap }), readInteger(d, 'd', { min: 1, max: cap })];
}

/**
 * One spherical step for every row of W (m×d, row-major, unit rows) along the rows of G
 * (the ascent directions, overwritten by their tangent projections when `tangent` is true).
 * Mutates W in place; rows stay unit vectors to rounding. Arguments are checked (typed errors
 * naming them); the learner's inner loop uses the unchecked {@link sphericalStepInPlace}.
 */
export function sphericalStep(
  W: Float64Array,
  G: Float64Array,
  m: number,
  d: number,
  learningRate: number,
  tangent = true,
): void {
  const [mm, dd] = readSizes(m, d, W);
  checkRows('W', W, mm, dd);
  checkRows('G', G, mm, dd);
  readNumber(learningRate, 'learningRate', { min: 0 });
  readBoolean(tangent, 'tangent');
  sphericalStepInPlace(W, G, mm, dd, learningRate, tangent);
}

/** {@link sphericalStep} without argument checks (internal hot path). */
export function sphericalStepInPlace(
  W: Float64Array,
  G: Float64Array,
  m: number,
  d: number,
  learningRate: number,
  tangent: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const o = i * d;
    if (tangent) {
      let gw = 0;
      for (let j = 0; j < d; j++) gw += G[o + j] * W[o + j];
      for (let j = 0; j < d; j++) G[o + j] -= gw * W[o + j];
    }
    let nrm = 0;
    for (let j = 0; j < d; j++) {
      const v = W[o + j] + learningRate * G[o + j];
      W[o + j] = v;
      nrm += v * v;
    }
    const inv = 1 / Math.sqrt(nrm);
    for (let j = 0; j < d; j++) W[o + j] *= inv;
  }
}

/**
 * Normalises every row of W (m×d) to unit length in place (the retraction alone). A zero row is a
 * ValueError naming W (it has no direction).
 */
export function normalizeRows(W: Float64Array, m: number, d: number): void {
  const [mm, dd] = readSizes(m, d, W);
  checkRows('W', W, mm, dd);
  for (let i = 0; i < mm; i++) {
    let nrm = 0;
    for (let j = 0; j < dd; j++) nrm += W[i * dd + j] ** 2;
    if (nrm === 0) throw new ValueError(`W must have non-zero rows, got a zero row ${i}`, 'W');
  }
  normalizeRowsInPlace(W, mm, dd);
}

/** {@link normalizeRows} without argument checks (internal). */
export function normalizeRowsInPlace(W: Float64Array, m: number, d: number): void {
  for (let i = 0; i < m; i++) {
    let nrm = 0;
    for (let j = 0; j < d; j++) nrm += W[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(nrm);
    for (let j = 0; j < d; j++) W[i * d + j] *= inv;
  }
}
