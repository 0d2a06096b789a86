import { ValueError } from '@descent/tensor';
import { gaussHermiteRule, gaussianExpectation } from './gaussHermite';
import { hermite, hermiteAll, hermiteDeriv, hermiteHe } from './hermite';
import { HermiteSeries, hermiteCoefficients } from './hermiteSeries';

describe('Hermite polynomials', () => {
  it('He_k matches the explicit polynomials for k ≤ 6', () => {
    const explicit = [
      (_z: number) => 1,
      (z: number) => z,
      (z: number) => z ** 2 - 1,
      (z: number) => z ** 3 - 3 * z,
      (z: number) => z ** 4 - 6 * z ** 2 + 3,
      (z: number) => z ** 5 - 10 * z ** 3 + 15 * z,
      (z: number) => z ** 6 - 15 * z ** 4 + 45 * z ** 2 - 15,
    ];
    const fact = [1, 1, 2, 6, 24, 120, 720];
    for (const z of [-2.7, -0.4, 0, 0.9, 3.1]) {
      for (let k = 0; k <= 6; k++) {
        expect(hermiteHe(k, z)).toBeCloseTo(explicit[k](z), 10);
        expect(hermite(k, z)).toBeCloseTo(explicit[k](z) / Math.sqrt(fact[k]), 10);
      }
    }
  });

  it("h_k' = √k h_{k−1} agrees with central differences", () => {
    const eps = 1e-5;
    for (const z of [-1.9, -0.3, 0.55, 2.2]) {
      for (let k = 0; k <= 10; k++) {
        const fd = (hermite(k, z + eps) - hermite(k, z - eps)) / (2 * eps);
        expect(Math.abs(hermiteDeriv(k, z) - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('hermiteAll returns every degree of one recurrence pass', () => {
    const h = hermiteAll(9, 1.234);
    for (let k = 0; k <= 9; k++) expect(h[k]).toBeCloseTo(hermite(k, 1.234), 13);
  });
});

describe('Gauss–Hermite rule (probabilists)', () => {
  it('20 nodes: weights sum to 1, nodes symmetric roots of He_20, weights n!/(n² He_{n−1}²)', () => {
    const n = 20;
    const { nodes, weights } = gaussHermiteRule(n);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    let logFact = 0;
    for (let j = 2; j <= n; j++) logFact += Math.log(j);
    for (let i = 0; i < n; i++) {
      expect(nodes[i] + nodes[n - 1 - i]).toBeCloseTo(0, 12);
      if (i > 0) expect(nodes[i]).toBeGreaterThan(nodes[i - 1]);
      // |h_n(x_i)| tiny relative to the size of h_n's neighbours
      expect(Math.abs(hermite(n, nodes[i]))).toBeLessThan(
        1e-10 * Math.max(1, Math.abs(hermite(n - 1, nodes[i]))),
      );
      const expected = Math.exp(
        logFact - 2 * Math.log(n) - 2 * Math.log(Math.abs(hermiteHe(n - 1, nodes[i]))),
      );
      expect(Math.abs(weights[i] - expected)).toBeLessThan(1e-12 * Math.max(1, expected) + 1e-15);
    }
  });

  it('orthonormality E[h_j h_k] = δ_jk for j, k ≤ 12 to 1e-12', () => {
    const { nodes, weights } = gaussHermiteRule(20);
    let worst = 0;
    for (let j = 0; j <= 12; j++) {
      for (let k = 0; k <= 12; k++) {
        let s = 0;
        for (let i = 0; i < 20; i++) s += weights[i] * hermite(j, nodes[i]) * hermite(k, nodes[i]);
        worst = Math.max(worst, Math.abs(s - (j === k ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('correlated identity E[h_j(u·x) h_k(v·x)] = δ_jk ρ^k (2-D tensor quadrature) to 1e-12', () => {
    const { nodes, weights } = gaussHermiteRule(20);
    for (const rho of [0, 0.37, -0.8]) {
      // u = e1, v = ρ e1 + √(1−ρ²) e2; x = (x1, x2) ~ N(0, I₂)
      const s = Math.sqrt(1 - rho * rho);
      for (let j = 0; j <= 6; j++) {
        for (let k = 0; k <= 6; k++) {
          let e = 0;
          for (let a = 0; a < 20; a++) {
            for (let b = 0; b < 20; b++) {
              e += weights[a] * weights[b] * hermite(j, nodes[a]) * hermite(k, rho * nodes[a] + s * nodes[b]);
            }
          }
          expect(Math.abs(e - (j === k ? rho ** k : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('every rule up to the cap of 150 nodes integrates E[cos z] = e^{-1/2} to 1e-12', () => {
    for (const n of [30, 60, 100, 150])
      expect(gaussianExpectation(Math.cos, n)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(() => gaussHermiteRule(151)).toThrow(ValueError);
  });

  it('gaussianExpectation integrates known moments', () => {
    expect(gaussianExpectation((z) => z ** 4)).toBeCloseTo(3, 12);
    expect(gaussianExpectation((z) => Math.cos(z))).toBeCloseTo(Math.exp(-0.5), 12);
  });
});

describe('HermiteSeries', () => {
  it('h₂ + h₄ has value, derivative, norm and information exponent of its definition', () => {
    const phi = HermiteSeries.of({ 2: 1, 4: 1 });
    expect(phi.degree).toBe(4);
    expect(phi.informationExponent).toBe(2);
    expect(phi.squaredNorm()).toBe(2);
    for (const z of [-1.5, 0.2, 2.4]) {
      expect(phi.value(z)).toBeCloseTo(hermite(2, z) + hermite(4, z), 12);
      expect(phi.deriv(z)).toBeCloseTo(hermiteDeriv(2, z) + hermiteDeriv(4, z), 12);
    }
    expect(HermiteSeries.of([0, 0, 1, 0, 1]).toJSON()).toEqual({ 2: 1, 4: 1 });
    expect(phi.toString()).toBe('h2+h4');
  });

  it('coefficients by quadrature recover a polynomial and ReLU’s known coefficients', () => {
    const phi = HermiteSeries.of({ 1: 0.5, 3: -2, 6: 1.25 });
    const c = hermiteCoefficients((z) => phi.value(z), 8, 40);
    for (let k = 0; k <= 8; k++) expect(c[k]).toBeCloseTo(phi.coeff(k), 12);
    // ReLU: c0 = 1/√(2π), c1 = 1/2, c2 = 1/(2√π); the kink makes quadrature converge only as O(1/n)
    // (measured error 1.1e-3 at n = 150), hence the loose tolerance for this non-smooth case.
    const relu = HermiteSeries.fromFunction((z) => Math.max(z, 0), 4, 150);
    expect(relu.coeff(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 2);
    expect(relu.coeff(1)).toBeCloseTo(0.5, 2);
    expect(relu.coeff(2)).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 2);
  });

  it('rejects non-finite coefficients and bad degrees with a typed error naming the argument', () => {
    expect(() => HermiteSeries.of({ 2: Number.NaN })).toThrow(ValueError);
    expect(() => HermiteSeries.of({ 2: Number.NaN })).toThrow(/coeffs.*NaN.*degree 2/);
    expect(() => HermiteSeries.of({ [-1]: 1 })).toThrow(ValueError);
    expect(() => HermiteSeries.of([1, Number.POSITIVE_INFINITY])).toThrow(/coeffs/);
    expect(() => hermite(-1, 0)).toThrow(ValueError);
    expect(() => hermite(2, Number.NaN)).toThrow(/z must be a finite number/);
  });
});
