/**
 * Least-squares fit of a power law y ≈ C·x^slope on log–log axes: the slope of a rate or scaling
 * table (excess risk against n, samples against d).
 * @module
 */
import { ShapeError, ValueError, describe } from './errors';

/** A fitted power law y ≈ exp(intercept)·x^slope. */
export interface PowerLawFit {
  /** The exponent (−1 for a 1/n rate, −2 for 1/n²). */
  slope: number;
  /** ln C. */
  intercept: number;
  /** Coefficient of determination of the log–log fit (1 = a perfect power law). */
  r2: number;
  /** Points used (finite, positive x and y). */
  points: number;
}

/**
 * Fits ln y = intercept + slope·ln x by least squares over the points with finite, positive
 * x and y. Points with x or y ≤ 0 or ±Infinity are skipped by contract (a zero excess risk, a
 * budget that was never reached); `points` counts the ones used. Fewer than two usable points
 * give NaN slope and intercept. Entries that are not numbers, and NaN, are a {@link ValueError}
 * naming `xs` or `ys`.
 *
 * ```ts
 * fitPowerLaw([100, 200, 400], [1e-2, 2.5e-3, 6.25e-4]).slope; // −2
 * ```
 */
export function fitPowerLaw(xs: ArrayLike<number>, ys: ArrayLike<number>): PowerLawFit {
  readNumbers(xs, 'xs');
  readNumbers(ys, 'ys');
  if (xs.length !== ys.length) {
    throw new ShapeError(`xs and ys must have the same length, got ${xs.length} and ${ys.length}`, 'ys');
  }
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] > 0 && ys[i] > 0 && Number.isFinite(xs[i]) && Number.isFinite(ys[i])) {
      lx.push(Math.log(xs[i]));
      ly.push(Math.log(ys[i]));
    }
  }
  const m = lx.length;
  if (m < 2) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN, points: m };
  const mx = lx.reduce((a, b) => a + b, 0) / m;
  const my = ly.reduce((a, b) => a + b, 0) / m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < m; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  if (sxx === 0) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN, points: m };
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2, points: m };
}

/** Checks an array-like of numbers (±Infinity allowed, NaN and non-numbers not). */
function readNumbers(a: unknown, name: 'xs' | 'ys'): asserts a is ArrayLike<number> {
  if (a === null || typeof a !== 'object' || typeof (a as ArrayLike<number>).length !== 'number') {
    throw new ValueError(`${name} must be an array of numbers, got ${describe(a)}`, name);
  }
  const v = a as ArrayLike<unknown>;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (typeof e !== 'number' || Number.isNaN(e)) {
      throw new ValueError(`${name} must contain numbers (±Infinity is skipped), got ${describe(e)} at index ${i}`, name);
    }
  }
}
