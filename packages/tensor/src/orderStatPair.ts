/**
 * Two adjacent order statistics of a float64 array by one Floyd–Rivest-style bracketing pass
 * and a selection on the few values inside the bracket (the median of SVGD's pair distances).
 * Internal: not exported from the package entry.
 * @module
 */
import { quickselect } from './robustStats';

/** Sample size of the bracketing step. */
const SAMPLE = 192;
/** Below this length, plain quickselect. */
const MIN_BRACKET = 1024;

/**
 * The order statistics of ranks k and k + 1 (0-based; k + 1 < u.length) of u, which is reordered
 * (scratch). From {@link MIN_BRACKET} values on, one bracketing step first: the order statistics
 * of a fixed, evenly spaced sample of u give values a ≤ b that bracket ranks k and k + 1 with high
 * probability; one pass counts the values below a and above b and copies those in [a, b] to
 * `scratch` (length ≥ u.length; allocated when not given), and the selection runs on those only.
 * When the bracket misses, or a value is NaN (the counts fall short), it falls back to quickselect
 * on all of u. Order statistics are values: the result is the same either way.
 */
export function orderStatPair(u: Float64Array, k: number, scratch?: Float64Array): [number, number] {
  const m = u.length;
  if (m >= MIN_BRACKET) {
    const s = SAMPLE;
    const w = scratch ?? new Float64Array(m);
    for (let i = 0; i < s; i++) w[i] = u[Math.floor(((i + 0.5) * m) / s)];
    const c = ((k + 0.5) / m) * s; // rank k's expected position in the sample
    const delta = 2.5 * Math.sqrt(Math.max((c * (s - c)) / s, 1)) + 1;
    const ia = Math.max(0, Math.floor(c - delta));
    const ib = Math.min(s - 1, Math.ceil(c + delta));
    const a = quickselect(w, ia, 0, s - 1);
    const b = quickselect(w, ib, ia, s - 1);
    let below = 0;
    let above = 0;
    let nc = 0;
    for (let t = 0; t < m; t++) {
      const v = u[t];
      if (v < a) below++;
      else if (v > b) above++;
      else if (v >= a) w[nc++] = v; // a ≤ v ≤ b (a NaN goes nowhere)
    }
    if (below + above + nc === m && below <= k && k + 1 < below + nc) {
      const r = k - below;
      const lo = quickselect(w, r, 0, nc - 1);
      let hi = w[r + 1]; // everything after r is ≥ w[r]: its minimum is rank r + 1
      for (let i = r + 2; i < nc; i++) if (w[i] < hi) hi = w[i];
      return [lo, hi];
    }
  }
  const lo = quickselect(u, k);
  let hi = u[k + 1];
  for (let i = k + 2; i < m; i++) if (u[i] < hi) hi = u[i];
  return [lo, hi];
}
