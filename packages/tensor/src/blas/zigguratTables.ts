/**
 * The 128-layer ziggurat tables of {@link Rng}'s normals (Marsaglia & Tsang 2000; values scaled by
 * 2^31), shared by src/rng.ts and the wasm kernels that draw normals (src/blas). Internal: not
 * exported from the package.
 * @internal
 * @module
 */
export const KN = new Uint32Array(128);
export const WN = new Float64Array(128);
export const FN = new Float64Array(128);
export const ZIG_R = 3.442619855899;
(() => {
  const m1 = 2147483648.0;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * m1);
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1.0;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2.0 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
})();
