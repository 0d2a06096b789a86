import { Matrix, Rng } from '@descent/tensor';
import { MultiIndexTarget } from './multiIndexTarget';
import { populationCorrelation } from './populationLoss';
import { SphericalOnlineSGD } from './sphericalOnlineSGD';
import { normalizeRows, sphericalStep } from './sphericalStep';
import { studentGradient } from './studentGradient';

describe('spherical step', () => {
  it('keeps ‖w‖ = 1 to 1e-12 after every step, for both losses and both initialisations', () => {
    const target = new MultiIndexTarget({ d: 12, P: 3, seed: 0 });
    for (const [loss, init] of [
      ['correlation', 'sphere'],
      ['squared', 'orthonormal'],
    ] as const) {
      const net = new SphericalOnlineSGD({
        target,
        m: 5,
        a0: 1 / 3,
        loss,
        init,
        seed: 1,
        schedule: [{ steps: 200, learningRate: 0.01, batch: 8 }],
      });
      const rng = new Rng(2);
      for (let t = 0; t < 200; t++) {
        const { X, y } = target.sample(8, rng);
        net.stepOn(X, y);
        for (let i = 0; i < 5; i++) {
          let s = 0;
          for (let j = 0; j < 12; j++) s += net.W.get(i, j) ** 2;
          expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('projects the ascent direction on the tangent space: (g − (g·w)w)·w = 0', () => {
    const rng = new Rng(4);
    const d = 9;
    const W = rng.normalArray(2 * d);
    normalizeRows(W, 2, d);
    const G = rng.normalArray(2 * d);
    const W0 = W.slice();
    sphericalStep(W, G, 2, d, 0.1, true);
    for (let i = 0; i < 2; i++) {
      let gw = 0;
      for (let j = 0; j < d; j++) gw += G[i * d + j] * W0[i * d + j];
      expect(Math.abs(gw)).toBeLessThan(1e-14);
    }
  });

  it('a small step along the population gradient increases ψ(w) by ≈ η‖∇_sph ψ‖²', () => {
    // Batch-mean gradient on a huge batch approximates the population ascent direction.
    const d = 6;
    const target = new MultiIndexTarget({ d, P: 2, seed: 3 });
    const w = new Rng(8).normalArray(d);
    for (let j = 0; j < d; j++) w[j] += target.directions.get(j, 0);
    normalizeRows(w, 1, d);
    // population gradient of ψ(w) = Σ_k (ρ_k² + ρ_k⁴): Σ_k (2ρ_k + 4ρ_k³) v_k, projected
    const g = new Float64Array(d);
    for (let k = 0; k < 2; k++) {
      let rho = 0;
      for (let j = 0; j < d; j++) rho += w[j] * target.directions.get(j, k);
      for (let j = 0; j < d; j++) g[j] += (2 * rho + 4 * rho ** 3) * target.directions.get(j, k);
    }
    let gw = 0;
    for (let j = 0; j < d; j++) gw += g[j] * w[j];
    for (let j = 0; j < d; j++) g[j] -= gw * w[j];
    let g2 = 0;
    for (let j = 0; j < d; j++) g2 += g[j] ** 2;
    // The sampled batch gradient is an unbiased estimate of the same vector: 10 independent
    // batches, each projected coordinate within 6 standard errors (t with 9 dof) of the population value.
    const R = 10;
    const B = 40000;
    const est: Float64Array[] = [];
    for (let r = 0; r < R; r++) {
      const { X, y } = target.sample(B, new Rng(9).fold(r));
      const G = new Float64Array(d);
      studentGradient({
        W: w,
        m: 1,
        d,
        X: X.data,
        y,
        B,
        coeffs: target.link.coeffs,
        derivCoeffs: target.link.derivCoeffs,
        loss: 'correlation',
        a0: 1,
        G,
      });
      let Gw = 0;
      for (let j = 0; j < d; j++) Gw += G[j] * w[j];
      for (let j = 0; j < d; j++) G[j] -= Gw * w[j];
      est.push(G);
    }
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (const G of est) mean += G[j] / R;
      let v = 0;
      for (const G of est) v += (G[j] - mean) ** 2 / (R - 1);
      expect(Math.abs(mean - g[j])).toBeLessThan(6 * Math.sqrt(v / R) + 1e-12);
    }
    const eta = 1e-4;
    const w1 = w.slice();
    sphericalStep(w1, g.slice(), 1, d, eta, true);
    const gain = populationCorrelation(w1, target) - populationCorrelation(w, target);
    expect(gain).toBeGreaterThan(0);
    expect(gain / (eta * g2)).toBeCloseTo(1, 2);
  });

  it('squared-loss direction equals the correlation direction minus the a₀-weighted self term', () => {
    const d = 4;
    const m = 2;
    const W = new Rng(1).normalArray(m * d);
    normalizeRows(W, m, d);
    const X = new Rng(2).normalArray(3 * d);
    const y = Float64Array.from([1.5, -0.3, 2]);
    const coeffs = Float64Array.from([0, 0, 1, 0, 1]);
    const derivCoeffs = Float64Array.from([0, Math.SQRT2, 0, 2]);
    const Gc = new Float64Array(m * d);
    const Gs = new Float64Array(m * d);
    studentGradient({ W, m, d, X, y, B: 3, coeffs, derivCoeffs, loss: 'correlation', a0: 0.1, G: Gc });
    studentGradient({
      W,
      m,
      d,
      X,
      y: new Float64Array(3),
      B: 3,
      coeffs,
      derivCoeffs,
      loss: 'squared',
      a0: 0.1,
      G: Gs,
    });
    const Gfull = new Float64Array(m * d);
    studentGradient({ W, m, d, X, y, B: 3, coeffs, derivCoeffs, loss: 'squared', a0: 0.1, G: Gfull });
    // (y − f)σ'x = yσ'x + (0 − f)σ'x: linear in the residual
    for (let q = 0; q < m * d; q++) expect(Gfull[q]).toBeCloseTo(Gc[q] + Gs[q], 12);
  });

  it('finite differences confirm the squared-loss direction is −∂ℓ/∂w_i / a₀', () => {
    const d = 3;
    const m = 2;
    const a0 = 0.3;
    const W = new Rng(5).normalArray(m * d);
    const X = new Rng(6).normalArray(d);
    const y = Float64Array.from([0.7]);
    const target = new MultiIndexTarget({ d, P: 1 });
    const phi = target.link;
    const loss = (w: Float64Array): number => {
      let f = 0;
      for (let i = 0; i < m; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += w[i * d + j] * X[j];
        f += a0 * phi.value(z);
      }
      return 0.5 * (f - y[0]) ** 2;
    };
    const G = new Float64Array(m * d);
    studentGradient({
      W,
      m,
      d,
      X,
      y,
      B: 1,
      coeffs: phi.coeffs,
      derivCoeffs: phi.derivCoeffs,
      loss: 'squared',
      a0,
      G,
    });
    const eps = 1e-6;
    for (let q = 0; q < m * d; q++) {
      const wp = W.slice();
      const wm = W.slice();
      wp[q] += eps;
      wm[q] -= eps;
      const fd = (loss(wp) - loss(wm)) / (2 * eps);
      expect(G[q]).toBeCloseTo(-fd / a0, 6);
    }
  });

  it('joint-training baseline: with a trainable second layer, directions are −∂ℓ/∂w_i / a₀ and −∂ℓ/∂a_i (finite differences)', () => {
    const d = 3;
    const m = 2;
    const a0 = 0.25;
    const a = Float64Array.from([0.7, -0.4]);
    const W = new Rng(15).normalArray(m * d);
    const X = new Rng(16).normalArray(d);
    const y = Float64Array.from([1.1]);
    const phi = new MultiIndexTarget({ d, P: 1 }).link;
    const loss = (w: Float64Array, aa: Float64Array): number => {
      let f = 0;
      for (let i = 0; i < m; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += w[i * d + j] * X[j];
        f += aa[i] * phi.value(z);
      }
      return 0.5 * (f - y[0]) ** 2;
    };
    const G = new Float64Array(m * d);
    const Ga = new Float64Array(m);
    studentGradient({
      W,
      m,
      d,
      X,
      y,
      B: 1,
      coeffs: phi.coeffs,
      derivCoeffs: phi.derivCoeffs,
      loss: 'squared',
      a0,
      G,
      a,
      Ga,
    });
    const eps = 1e-6;
    for (let q = 0; q < m * d; q++) {
      const wp = W.slice();
      const wm = W.slice();
      wp[q] += eps;
      wm[q] -= eps;
      expect(G[q]).toBeCloseTo(-(loss(wp, a) - loss(wm, a)) / (2 * eps) / a0, 6);
    }
    for (let i = 0; i < m; i++) {
      const ap = a.slice();
      const am = a.slice();
      ap[i] += eps;
      am[i] -= eps;
      expect(Ga[i]).toBeCloseTo(-(loss(W, ap) - loss(W, am)) / (2 * eps), 6);
    }
  });

  it('Matrix input of stepOn is checked', () => {
    const net = new SphericalOnlineSGD({ d: 3, m: 2, activation: { 2: 1, 4: 1 }, a0: 1 / 3 });
    expect(() => net.stepOn(new Matrix(2, 4), [1, 2])).toThrow(/X must have d = 3 columns, got 2×4/);
    expect(() => net.stepOn(new Matrix(2, 3), [1])).toThrow(/y must have length 2/);
    expect(() => net.stepOn(new Matrix(1, 3), [Number.NaN])).toThrow(/y must contain only finite/);
    expect(() => net.stepOn(new Matrix(1, 3, Float64Array.from([0, Number.NaN, 0])), [1])).toThrow(
      /X must contain only finite numbers, got NaN at index 1/,
    );
    expect(net.step).toBe(0); // nothing was applied
  });
});
