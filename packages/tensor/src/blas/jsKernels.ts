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
