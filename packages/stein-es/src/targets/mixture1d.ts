/**
 * M1: the 1-D toy of the SVGD paper, ⅓N(−2, 1) + ⅔N(2, 1) (particles start from N(−10, 1)).
 * @module
 */
import { type Target, checkedTarget } from './target';

/** The 1-D two-component mixture. */
export function mixture1dTarget(): Target {
  const lw = [Math.log(1 / 3), Math.log(2 / 3)];
  const mu = [-2, 2];
  const comps = (x: number) => lw.map((l, k) => l - 0.5 * (x - mu[k]) ** 2);
  return checkedTarget({
    name: 'mix1d-1d',
    dim: 1,
    negLogP(x) {
      const l = comps(x[0]);
      const m = Math.max(...l);
      return -(m + Math.log(Math.exp(l[0] - m) + Math.exp(l[1] - m)));
    },
    gradLogP(x) {
      const l = comps(x[0]);
      const m = Math.max(...l);
      const r0 = Math.exp(l[0] - m);
      const r1 = Math.exp(l[1] - m);
      return Float64Array.of((r0 * (mu[0] - x[0]) + r1 * (mu[1] - x[0])) / (r0 + r1));
    },
    sample(n, rng) {
      return Array.from({ length: n }, () =>
        Float64Array.of((rng.uniform() < 1 / 3 ? -2 : 2) + rng.normal()),
      );
    },
    initBox: { lower: [-11], upper: [-9] },
  });
}
