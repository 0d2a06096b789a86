/**
 * JavaScript versions of every BLAS kernel (same semantics as the wasm ones in wasm/kernels.ts):
 * used below the measured crossover sizes, where wasm SIMD is missing, and as the reference the
 * wasm kernels are tested against. Row-major with leading dimensions; arrays start at index 0
 * (pass subarray views for offsets). Float32 variants accumulate in float64.
 * @internal
 * @module
 */

type F = Float64Array | Float32Array;

/** y ← α A x + β y (A m×n). */
export function gemvJs(
  m: number,
  n: number,
  alpha: number,
  a: F,
  lda: number,
  x: F,
  beta: number,
  y: F,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const r0 = i * lda;
    const r1 = r0 + lda;
    let s0 = 0;
    let s1 = 0;
    let t0 = 0;
    let t1 = 0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const x0 = x[j];
      const x1 = x[j + 1];
      s0 += a[r0 + j] * x0;
      t0 += a[r0 + j + 1] * x1;
      s1 += a[r1 + j] * x0;
      t1 += a[r1 + j + 1] * x1;
    }
    if (j < n) {
      s0 += a[r0 + j] * x[j];
      s1 += a[r1 + j] * x[j];
    }
    y[i] = beta === 0 ? alpha * (s0 + t0) : alpha * (s0 + t0) + beta * y[i];
    y[i + 1] = beta === 0 ? alpha * (s1 + t1) : alpha * (s1 + t1) + beta * y[i + 1];
  }
  if (i < m) {
    const r = i * lda;
    let s = 0;
    for (let j = 0; j < n; j++) s += a[r + j] * x[j];
    y[i] = beta === 0 ? alpha * s : alpha * s + beta * y[i];
  }
}

/** y ← α Aᵀ x + β y (A m×n, y of length n). */
export function gemvTJs(
  m: number,
  n: number,
  alpha: number,
  a: F,
  lda: number,
  x: F,
  beta: number,
  y: F,
): void {
  if (beta === 0) y.fill(0, 0, n);
  else if (beta !== 1) for (let j = 0; j < n; j++) y[j] *= beta;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const c0 = alpha * x[i];
    const c1 = alpha * x[i + 1];
    const r0 = i * lda;
    const r1 = r0 + lda;
    for (let j = 0; j < n; j++) y[j] += c0 * a[r0 + j] + c1 * a[r1 + j];
  }
  if (i < m) {
    const c = alpha * x[i];
    const r = i * lda;
    for (let j = 0; j < n; j++) y[j] += c * a[r + j];
  }
}

/** A ← A + α x yᵀ (A m×n). */
export function gerJs(m: number, n: number, alpha: number, x: F, y: F, a: F, lda: number): void {
  for (let i = 0; i < m; i++) {
    const c = alpha * x[i];
    if (c === 0) continue;
    const r = i * lda;
    for (let j = 0; j < n; j++) a[r + j] += c * y[j];
  }
}

/** C ← α op(A) op(B) + β C; i-k-j order with a 2×2 register block. */
export function gemmJs(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: F,
  lda: number,
  b: F,
  ldb: number,
  beta: number,
  c: F,
  ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
  if (alpha === 0 || k === 0) return;
  const A = (i: number, p: number) => (ta ? a[p * lda + i] : a[i * lda + p]);
  if (tb) {
    // C[i, j] += α Σ_p A[i, p] B[j, p]: dot products of contiguous rows of B
    const arow = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) arow[p] = A(i, p);
      const ci = i * ldc;
      for (let j = 0; j < n; j++) {
        const bj = j * ldb;
        let s = 0;
        for (let p = 0; p < k; p++) s += arow[p] * b[bj + p];
        c[ci + j] += alpha * s;
      }
    }
    return;
  }
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const c0 = i * ldc;
    const c1 = c0 + ldc;
    let p = 0;
    for (; p + 1 < k; p += 2) {
      const a00 = alpha * A(i, p);
      const a01 = alpha * A(i, p + 1);
      const a10 = alpha * A(i + 1, p);
      const a11 = alpha * A(i + 1, p + 1);
      const b0 = p * ldb;
      const b1 = b0 + ldb;
      for (let j = 0; j < n; j++) {
        const x = b[b0 + j];
        const y = b[b1 + j];
        c[c0 + j] += a00 * x + a01 * y;
        c[c1 + j] += a10 * x + a11 * y;
      }
    }
    if (p < k) {
      const a0 = alpha * A(i, p);
      const a1 = alpha * A(i + 1, p);
      const b0 = p * ldb;
      for (let j = 0; j < n; j++) {
        const x = b[b0 + j];
        c[c0 + j] += a0 * x;
        c[c1 + j] += a1 * x;
      }
    }
  }
  if (i < m) {
    const ci = i * ldc;
    for (let p = 0; p < k; p++) {
      const av = alpha * A(i, p);
      if (av === 0) continue;
      const bp = p * ldb;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
}

/** Az ← A z and g ← scale · Σ_i ((a_iᵀz)² − y_i)(a_iᵀz) a_i in one pass over A (m×n). */
export function wfGradientJs(
  m: number,
  n: number,
  a: Float64Array,
  lda: number,
  z: Float64Array,
  y: Float64Array,
  scale: number,
  az: Float64Array,
  g: Float64Array,
): void {
  g.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const r = i * lda;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      s0 += a[r + j] * z[j];
      s1 += a[r + j + 1] * z[j + 1];
    }
    if (j < n) s0 += a[r + j] * z[j];
    const t = s0 + s1;
    az[i] = t;
    const c = scale * (t * t - y[i]) * t;
    for (let jj = 0; jj < n; jj++) g[jj] += c * a[r + jj];
  }
}

/**
 * Rotations of one implicit QL sweep on rows of w (stride ldw, `width` entries), i = hi−1 down
 * to lo: rows (i, i+1) ← (c w_i − s w_{i+1}, s w_i + c w_{i+1}).
 */
export function rotChainQlJs(
  w: Float64Array,
  width: number,
  ldw: number,
  lo: number,
  hi: number,
  rc: Float64Array,
  rs: Float64Array,
): void {
  for (let i = hi - 1; i >= lo; i--) {
    const c = rc[i];
    const s = rs[i];
    const p0 = i * ldw;
    const p1 = p0 + ldw;
    for (let k = 0; k < width; k++) {
      const h = w[p1 + k];
      const v = w[p0 + k];
      w[p1 + k] = s * v + c * h;
      w[p0 + k] = c * v - s * h;
    }
  }
}

/** Rotations of one bidiagonal QR sweep, j = lo..hi: rows (j, j+1) ← (c w_j + s w_{j+1}, −s w_j + c w_{j+1}). */
export function rotChainSvdJs(
  w: Float64Array,
  width: number,
  ldw: number,
  lo: number,
  hi: number,
  rc: Float64Array,
  rs: Float64Array,
): void {
  for (let j = lo; j <= hi; j++) {
    const c = rc[j];
    const s = rs[j];
    const p0 = j * ldw;
    const p1 = p0 + ldw;
    for (let k = 0; k < width; k++) {
      const x = w[p0 + k];
      const y = w[p1 + k];
      w[p0 + k] = c * x + s * y;
      w[p1 + k] = c * y - s * x;
    }
  }
}

/** √j and 1/√j for j ≤ 64 (the Hermite recurrence's constants). */
export const SQRT_TABLE = Float64Array.from({ length: 65 }, (_, j) => Math.sqrt(j));
export const INV_SQRT_TABLE = Float64Array.from({ length: 65 }, (_, j) => (j === 0 ? 0 : 1 / Math.sqrt(j)));

/**
 * σ(z) and σ'(z) of a normalised Hermite series (coefficients c, derivative coefficients dc) by
 * the recurrence h_{j+1} = (z h_j − √j h_{j−1}) / √(j+1), into out[0], out[1].
 */
export function hermiteSeriesAndDerivJs(
  c: Float64Array,
  dc: Float64Array,
  z: number,
  out: Float64Array,
): void {
  const K = c.length - 1;
  let s = c[0];
  let ds = dc[0];
  if (K === 0) {
    out[0] = s;
    out[1] = 0;
    return;
  }
  let prev = 1;
  let cur = z;
  s += c[1] * cur;
  if (K > 1) ds += dc[1] * cur;
  for (let j = 1; j < K; j++) {
    const next = (z * cur - SQRT_TABLE[j] * prev) * INV_SQRT_TABLE[j + 1];
    prev = cur;
    cur = next;
    s += c[j + 1] * cur;
    if (j + 1 < K) ds += dc[j + 1] * cur;
  }
  out[0] = s;
  out[1] = ds;
}

/** JavaScript version of the fused two-layer Hermite-network gradient (see kernels.hermiteNetworkGradient). */
export function hermiteNetworkGradientJs(
  W: Float64Array,
  m: number,
  d: number,
  X: Float64Array,
  y: Float64Array,
  B: number,
  coeffs: Float64Array,
  derivCoeffs: Float64Array,
  squared: boolean,
  a0: number,
  a: Float64Array | undefined,
  Ga: Float64Array | undefined,
  G: Float64Array,
): number {
  const buf = new Float64Array(2 * m);
  const vd = new Float64Array(2);
  G.fill(0, 0, m * d);
  Ga?.fill(0, 0, m);
  let resid2 = 0;
  for (let b = 0; b < B; b++) {
    const xo = b * d;
    let f = 0;
    for (let i = 0; i < m; i++) {
      const wo = i * d;
      let z = 0;
      for (let j = 0; j < d; j++) z += W[wo + j] * X[xo + j];
      hermiteSeriesAndDerivJs(coeffs, derivCoeffs, z, vd);
      buf[i] = vd[0];
      buf[m + i] = vd[1];
      f += a ? a[i] * vd[0] : a0 * vd[0];
    }
    const r = squared ? y[b] - f : y[b];
    resid2 += r * r;
    for (let i = 0; i < m; i++) {
      if (a && Ga) Ga[i] += r * buf[i];
      const c = a ? (r * buf[m + i] * a[i]) / a0 : r * buf[m + i];
      if (c === 0) continue;
      const wo = i * d;
      for (let j = 0; j < d; j++) G[wo + j] += c * X[xo + j];
    }
  }
  const invB = 1 / B;
  for (let q = 0; q < m * d; q++) G[q] *= invB;
  if (Ga) for (let i = 0; i < m; i++) Ga[i] *= invB;
  return resid2 * invB;
}

/** y ← A x for symmetric A given by its lower triangle (m×m, ld lda). */
export function symvLowerJs(m: number, a: Float64Array, lda: number, x: Float64Array, y: Float64Array): void {
  y.fill(0, 0, m);
  for (let i = 0; i < m; i++) {
    const r = i * lda;
    const xi = x[i];
    let t = 0;
    for (let j = 0; j < i; j++) {
      const aij = a[r + j];
      t += aij * x[j];
      y[j] += aij * xi;
    }
    y[i] += t + a[r + i] * xi;
  }
}

/** A ← A + α (x yᵀ + y xᵀ) on the lower triangle of A (m×m, ld lda). */
export function syr2LowerJs(
  m: number,
  alpha: number,
  x: Float64Array,
  y: Float64Array,
  a: Float64Array,
  lda: number,
): void {
  for (let i = 0; i < m; i++) {
    const r = i * lda;
    const cx = alpha * x[i];
    const cy = alpha * y[i];
    for (let j = 0; j <= i; j++) a[r + j] += cx * y[j] + cy * x[j];
  }
}
