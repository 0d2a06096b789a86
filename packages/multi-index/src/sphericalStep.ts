/**
 * The spherical (projected) SGD step of Ren & Lee 2024 (arXiv 2410.09678, §2.3, as reconstructed
 * in the implementation notes): each neuron w_i lives on the unit sphere S^{d−1}; the ascent
 * direction g_i is projected on the tangent space, g_i ← g_i − (g_i·w_i) w_i, and the step is
 * retracted to the sphere, w_i ← (w_i + η g_i)/‖w_i + η g_i‖.
 * @module
 */

/**
 * One spherical step for every row of W (m×d, row-major, unit rows) along the rows of G
 * (the ascent directions, overwritten by their tangent projections when `tangent` is true).
 * Mutates W in place; rows stay unit vectors to rounding.
 */
export function sphericalStep(
  W: Float64Array,
  G: Float64Array,
  m: number,
  d: number,
  learningRate: number,
  tangent = true,
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

/** Normalises every row of W (m×d) to unit length in place (the retraction alone). */
export function normalizeRows(W: Float64Array, m: number, d: number): void {
  for (let i = 0; i < m; i++) {
    let nrm = 0;
    for (let j = 0; j < d; j++) nrm += W[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(nrm);
    for (let j = 0; j < d; j++) W[i * d + j] *= inv;
  }
}
