/**
 * F: Neal's funnel, v ~ N(0, 3²), x_i | v ~ N(0, e^v) for i = 2..d (Neal 2003).
 * U(v, x) = v²/18 + (d−1) v/2 + Σ x_i² e^{−v}/2.
 * @module
 */
import { assertInteger } from '@descent/tensor';
import { MAX_TARGET_DIM, type Target, checkedTarget } from './target';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { exp } = Math;

/** Neal's funnel in dimension d ≥ 2 (coordinate 0 is v). */
export function funnelTarget(dim = 2): Target {
  assertInteger('dim', dim, 2, MAX_TARGET_DIM);
  return checkedTarget({
    name: `funnel-${dim}d`,
    dim,
    negLogP(x) {
      const v = x[0];
      let s = 0;
      for (let i = 1; i < dim; i++) s += x[i] * x[i];
      return (v * v) / 18 + ((dim - 1) * v) / 2 + 0.5 * s * exp(-v);
    },
    gradLogP(x) {
      const v = x[0];
      const ev = exp(-v);
      const g = new Float64Array(dim);
      let s = 0;
      for (let i = 1; i < dim; i++) {
        s += x[i] * x[i];
        g[i] = -x[i] * ev;
      }
      g[0] = -(v / 9 + (dim - 1) / 2 - 0.5 * s * ev);
      return g;
    },
    sample(n, rng) {
      return Array.from({ length: n }, () => {
        const x = new Float64Array(dim);
        x[0] = 3 * rng.normal();
        const sd = exp(x[0] / 2);
        for (let i = 1; i < dim; i++) x[i] = sd * rng.normal();
        return x;
      });
    },
    initBox: { lower: new Array(dim).fill(-3), upper: new Array(dim).fill(3) },
  });
}
