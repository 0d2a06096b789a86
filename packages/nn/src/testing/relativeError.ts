/**
 * ‖a − b‖₂ / ‖b‖₂, the relative error of `a` against the reference `b` (float64 accumulation),
 * shared by the HVP tests and the curvature bench.
 * @internal
 * @module
 */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}
