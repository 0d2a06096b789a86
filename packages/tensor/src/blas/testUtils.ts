/** Helpers shared by the kernel layer's tests (not part of the package's entry points). @internal */

/** max_i |a_i − b_i| / max_i |b_i| (absolute when b is all zeros). */
export function maxRel(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let e = 0;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return scale > 0 ? e / scale : e;
}
