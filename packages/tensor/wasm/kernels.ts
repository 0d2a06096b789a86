// AssemblyScript source of @descent/tensor's wasm SIMD kernels (the BLAS kernel layer, src/blas/).
//
// Built by `node scripts/buildWasm.mjs` (the package's `generate` step) with the assemblyscript
// compiler from the npm registry, twice: `--enable simd` (plain SIMD) and `--enable simd
// --enable relaxed-simd` (FMA through f64x2/f32x4.relaxed_madd); the binaries are embedded in
// src/blas/generated/kernelsWasm.ts. Do not edit the generated file: edit this one and run
// `pnpm --filter @descent/tensor run generate`.
//
// Conventions: every matrix is row-major with a leading dimension (elements between rows);
// pointers are byte offsets into this module's memory; sizes are element counts. Nothing here
// allocates: the JavaScript side owns the memory layout (src/blas/arena.ts).

// ------------------------------------------------------------------ helpers

/** a·b + c on two f64 lanes: fused where relaxed SIMD is enabled (and the engine fuses). */
@inline function fma2(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** a·b + c on four f32 lanes. */
@inline function fma4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function hsum2(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

@inline function hsum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Is relaxed SIMD compiled in (1) or not (0). */
export function relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

// ------------------------------------------------------------------ float64 level 1/2

/** dot(x, y) over n contiguous doubles. */
export function ddot(n: i32, x: usize, y: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = (<usize>j) << 3;
    s0 = fma2(v128.load(x + o), v128.load(y + o), s0);
    s1 = fma2(v128.load(x + o, 16), v128.load(y + o, 16), s1);
  }
  let s = hsum2(f64x2.add(s0, s1));
  for (; j < n; j++) s += load<f64>(x + ((<usize>j) << 3)) * load<f64>(y + ((<usize>j) << 3));
  return s;
}

/** y ← y + α x over n contiguous doubles. */
export function daxpy(n: i32, alpha: f64, x: usize, y: usize): void {
  const va = f64x2.splat(alpha);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = (<usize>j) << 3;
    v128.store(y + o, fma2(va, v128.load(x + o), v128.load(y + o)));
    v128.store(y + o, fma2(va, v128.load(x + o, 16), v128.load(y + o, 16)), 16);
  }
  for (; j < n; j++) {
    const o = (<usize>j) << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** y[i] ← α Σ_j A[i, j] x[j] + β y[i], i < m (β = 0: y is not read). Four rows per pass share the loads of x. */
export function dgemv(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  const rs = (<usize>lda) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const xv = v128.load(x + o);
      s0 = fma2(v128.load(r0 + o), xv, s0);
      s1 = fma2(v128.load(r1 + o), xv, s1);
      s2 = fma2(v128.load(r2 + o), xv, s2);
      s3 = fma2(v128.load(r3 + o), xv, s3);
    }
    let t0 = hsum2(s0);
    let t1 = hsum2(s1);
    let t2 = hsum2(s2);
    let t3 = hsum2(s3);
    if (j < n) {
      const o = (<usize>j) << 3;
      const xj = load<f64>(x + o);
      t0 += load<f64>(r0 + o) * xj;
      t1 += load<f64>(r1 + o) * xj;
      t2 += load<f64>(r2 + o) * xj;
      t3 += load<f64>(r3 + o) * xj;
    }
    const yo = y + ((<usize>i) << 3);
    if (beta == 0) {
      store<f64>(yo, alpha * t0);
      store<f64>(yo, alpha * t1, 8);
      store<f64>(yo, alpha * t2, 16);
      store<f64>(yo, alpha * t3, 24);
    } else {
      store<f64>(yo, alpha * t0 + beta * load<f64>(yo));
      store<f64>(yo, alpha * t1 + beta * load<f64>(yo, 8), 8);
      store<f64>(yo, alpha * t2 + beta * load<f64>(yo, 16), 16);
      store<f64>(yo, alpha * t3 + beta * load<f64>(yo, 24), 24);
    }
  }
  for (; i < m; i++) {
    const t = ddot(n, a + (<usize>i) * rs, x);
    const yo = y + ((<usize>i) << 3);
    store<f64>(yo, beta == 0 ? alpha * t : alpha * t + beta * load<f64>(yo));
  }
}

/** y[j] ← α Σ_i A[i, j] x[i] + β y[j], j < n (β = 0: y is not read). Four rows per pass share the loads/stores of y. */
export function dgemvT(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  if (beta == 0) memory.fill(y, 0, (<usize>n) << 3);
  else if (beta != 1) dscal(n, beta, y);
  const rs = (<usize>lda) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xo = x + ((<usize>i) << 3);
    const c0 = alpha * load<f64>(xo);
    const c1 = alpha * load<f64>(xo, 8);
    const c2 = alpha * load<f64>(xo, 16);
    const c3 = alpha * load<f64>(xo, 24);
    const v0 = f64x2.splat(c0);
    const v1 = f64x2.splat(c1);
    const v2 = f64x2.splat(c2);
    const v3 = f64x2.splat(c3);
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      let acc = v128.load(y + o);
      acc = fma2(v0, v128.load(r0 + o), acc);
      acc = fma2(v1, v128.load(r1 + o), acc);
      acc = fma2(v2, v128.load(r2 + o), acc);
      acc = fma2(v3, v128.load(r3 + o), acc);
      v128.store(y + o, acc);
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(
        y + o,
        load<f64>(y + o) + c0 * load<f64>(r0 + o) + c1 * load<f64>(r1 + o) + c2 * load<f64>(r2 + o) + c3 * load<f64>(r3 + o),
      );
    }
  }
  for (; i < m; i++) daxpy(n, alpha * load<f64>(x + ((<usize>i) << 3)), a + (<usize>i) * rs, y);
}

/** x ← α x over n contiguous doubles. */
export function dscal(n: i32, alpha: f64, x: usize): void {
  const va = f64x2.splat(alpha);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(x + o, f64x2.mul(va, v128.load(x + o)));
  }
  if (j < n) store<f64>(x + ((<usize>j) << 3), alpha * load<f64>(x + ((<usize>j) << 3)));
}

/** A[i, j] ← A[i, j] + α x[i] y[j] (rank-1 update, m×n). */
export function dger(m: i32, n: i32, alpha: f64, x: usize, y: usize, a: usize, lda: i32): void {
  const rs = (<usize>lda) << 3;
  for (let i = 0; i < m; i++) {
    const c = alpha * load<f64>(x + ((<usize>i) << 3));
    if (c != 0) daxpy(n, c, y, a + (<usize>i) * rs);
  }
}

/**
 * The fused Wirtinger-flow gradient in one pass over A (m×n): Az[i] = a_iᵀz and
 * g ← scale · Σ_i ((a_iᵀz)² − y_i)(a_iᵀz) a_i. Rows are taken four at a time: their dot
 * products with z, then their contribution to g while they are still in L1.
 */
export function dwfgrad(m: i32, n: i32, a: usize, lda: i32, z: usize, yv: usize, scale: f64, az: usize, g: usize): void {
  memory.fill(g, 0, (<usize>n) << 3);
  const rs = (<usize>lda) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const zv = v128.load(z + o);
      s0 = fma2(v128.load(r0 + o), zv, s0);
      s1 = fma2(v128.load(r1 + o), zv, s1);
      s2 = fma2(v128.load(r2 + o), zv, s2);
      s3 = fma2(v128.load(r3 + o), zv, s3);
    }
    let t0 = hsum2(s0);
    let t1 = hsum2(s1);
    let t2 = hsum2(s2);
    let t3 = hsum2(s3);
    if (j < n) {
      const o = (<usize>j) << 3;
      const zj = load<f64>(z + o);
      t0 += load<f64>(r0 + o) * zj;
      t1 += load<f64>(r1 + o) * zj;
      t2 += load<f64>(r2 + o) * zj;
      t3 += load<f64>(r3 + o) * zj;
    }
    const ao = az + ((<usize>i) << 3);
    store<f64>(ao, t0);
    store<f64>(ao, t1, 8);
    store<f64>(ao, t2, 16);
    store<f64>(ao, t3, 24);
    const yo = yv + ((<usize>i) << 3);
    const c0 = scale * (t0 * t0 - load<f64>(yo)) * t0;
    const c1 = scale * (t1 * t1 - load<f64>(yo, 8)) * t1;
    const c2 = scale * (t2 * t2 - load<f64>(yo, 16)) * t2;
    const c3 = scale * (t3 * t3 - load<f64>(yo, 24)) * t3;
    const v0 = f64x2.splat(c0);
    const v1 = f64x2.splat(c1);
    const v2 = f64x2.splat(c2);
    const v3 = f64x2.splat(c3);
    j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      let acc = v128.load(g + o);
      acc = fma2(v0, v128.load(r0 + o), acc);
      acc = fma2(v1, v128.load(r1 + o), acc);
      acc = fma2(v2, v128.load(r2 + o), acc);
      acc = fma2(v3, v128.load(r3 + o), acc);
      v128.store(g + o, acc);
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(
        g + o,
        load<f64>(g + o) + c0 * load<f64>(r0 + o) + c1 * load<f64>(r1 + o) + c2 * load<f64>(r2 + o) + c3 * load<f64>(r3 + o),
      );
    }
  }
  for (; i < m; i++) {
    const r = a + (<usize>i) * rs;
    const t = ddot(n, r, z);
    store<f64>(az + ((<usize>i) << 3), t);
    const c = scale * (t * t - load<f64>(yv + ((<usize>i) << 3))) * t;
    daxpy(n, c, r, g);
  }
}

// ------------------------------------------------------------------ packed matrices (WF-type iterations)
// A matrix multiplied many times by vectors on both sides (the design of a WF iteration) is packed
// once: rows in blocks of 4 (m padded to m4 = 4⌈m/4⌉ with zero rows), columns padded with zeros to
// n4 = 4⌈n/4⌉, and inside a block the four rows' entries (j, j+1) adjacent (64 bytes per column
// pair; packed by src/blas/packedMatrix.ts). One pointer with constant offsets then walks a block (no per-row address arithmetic), and
// the padding removes every tail loop. Measured on the 2-core EPYC (V8's TurboFan, n = 256,
// m = 8n): A z 90 → 61 µs against the row-major dgemv; the WF gradient as two passes over the
// packed design 171 → 126 µs (relaxed SIMD 152 → 117), fused per block of 4 rows with the loops
// below 123 µs (relaxed 104); the one-pass row-major dwfgrad is slower because its dot-product
// chains (one add latency per column pair) and its axpys cannot overlap, and wider blocks spill
// V8's 15 usable v128 registers.

// dpgemv (A z), dpgemvT (Aᵀ r) and dpwfgrad (the WF gradient, both passes fused per 4-row block)
// are emitted by wasm/packedGemv.mjs (their steps written out eight per loop trip, each in its
// own basic block; see the notes there) into wasm/packedGemv.generated.ts, built with this file.
export { dpgemv, dpgemvT, dpwfgrad } from './packedGemv.generated';

/**
 * Householder tridiagonalisation of a small symmetric matrix (EISPACK tred2, as JAMA), scalar, on
 * `w` (= Vᵀ, n×n row-major, every inner loop on a contiguous row), transformations accumulated in
 * w when wantVectors; d, e (n doubles each) get the tridiagonal. The same operations in the same
 * order as the JavaScript tred2 of src/linalg/eigh.ts (same bits).
 */
export function dtred2(n: i32, w: usize, d: usize, e: usize, wantVectors: i32): void {
  const rs = (<usize>n) << 3;
  for (let j = 0; j < n; j++) store<f64>(d + ((<usize>j) << 3), load<f64>(w + (<usize>j) * rs + ((<usize>(n - 1)) << 3)));
  for (let i = n - 1; i > 0; i--) {
    const io = (<usize>i) << 3;
    const wi = w + (<usize>i) * rs;
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += abs<f64>(load<f64>(d + ((<usize>k) << 3)));
    if (scale == 0) {
      store<f64>(e + io, load<f64>(d + io - 8));
      for (let j = 0; j < i; j++) {
        const jo = (<usize>j) << 3;
        const wj = w + (<usize>j) * rs;
        store<f64>(d + jo, load<f64>(wj + io - 8));
        store<f64>(wj + io, 0);
        store<f64>(wi + jo, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const ko = (<usize>k) << 3;
        const v = load<f64>(d + ko) / scale;
        store<f64>(d + ko, v);
        h += v * v;
      }
      let f = load<f64>(d + io - 8);
      let g = sqrt<f64>(h);
      if (f > 0) g = -g;
      store<f64>(e + io, scale * g);
      h -= f * g;
      store<f64>(d + io - 8, f - g);
      for (let j = 0; j < i; j++) store<f64>(e + ((<usize>j) << 3), 0);
      for (let j = 0; j < i; j++) {
        const jo = (<usize>j) << 3;
        const wj = w + (<usize>j) * rs;
        f = load<f64>(d + jo);
        store<f64>(wi + jo, f);
        g = load<f64>(e + jo) + load<f64>(wj + jo) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const ko = (<usize>k) << 3;
          const vkj = load<f64>(wj + ko);
          g += vkj * load<f64>(d + ko);
          store<f64>(e + ko, load<f64>(e + ko) + vkj * f);
        }
        store<f64>(e + jo, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const jo = (<usize>j) << 3;
        const v = load<f64>(e + jo) / h;
        store<f64>(e + jo, v);
        f += v * load<f64>(d + jo);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) {
        const jo = (<usize>j) << 3;
        store<f64>(e + jo, load<f64>(e + jo) - hh * load<f64>(d + jo));
      }
      for (let j = 0; j < i; j++) {
        const jo = (<usize>j) << 3;
        const wj = w + (<usize>j) * rs;
        f = load<f64>(d + jo);
        g = load<f64>(e + jo);
        for (let k = j; k <= i - 1; k++) {
          const ko = (<usize>k) << 3;
          store<f64>(wj + ko, load<f64>(wj + ko) - (f * load<f64>(e + ko) + g * load<f64>(d + ko)));
        }
        store<f64>(d + jo, load<f64>(wj + io - 8));
        store<f64>(wj + io, 0);
      }
    }
    store<f64>(d + io, h);
  }
  if (!wantVectors) {
    for (let j = 0; j < n; j++) store<f64>(d + ((<usize>j) << 3), load<f64>(w + (<usize>j) * rs + ((<usize>j) << 3)));
    store<f64>(e, 0);
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    const io = (<usize>i) << 3;
    const wi = w + (<usize>i) * rs;
    store<f64>(wi + ((<usize>(n - 1)) << 3), load<f64>(wi + io));
    store<f64>(wi + io, 1);
    const h = load<f64>(d + io + 8);
    const wi1 = wi + rs;
    if (h != 0) {
      for (let k = 0; k <= i; k++) {
        const ko = (<usize>k) << 3;
        store<f64>(d + ko, load<f64>(wi1 + ko) / h);
      }
      for (let j = 0; j <= i; j++) {
        const wj = w + (<usize>j) * rs;
        let g: f64 = 0;
        for (let k = 0; k <= i; k++) {
          const ko = (<usize>k) << 3;
          g += load<f64>(wi1 + ko) * load<f64>(wj + ko);
        }
        if (g == 0) continue;
        for (let k = 0; k <= i; k++) {
          const ko = (<usize>k) << 3;
          store<f64>(wj + ko, load<f64>(wj + ko) - g * load<f64>(d + ko));
        }
      }
    }
    for (let k = 0; k <= i; k++) store<f64>(wi1 + ((<usize>k) << 3), 0);
  }
  for (let j = 0; j < n; j++) {
    const wj = w + (<usize>j) * rs;
    const o = (<usize>(n - 1)) << 3;
    store<f64>(d + ((<usize>j) << 3), load<f64>(wj + o));
    store<f64>(wj + o, 0);
  }
  store<f64>(w + (<usize>(n - 1)) * rs + ((<usize>(n - 1)) << 3), 1);
  store<f64>(e, 0);
}

/**
 * Applies a chain of plane rotations to consecutive rows of W (each row `width` doubles, stride
 * `ldw`): for i = hi − 1 down to lo, rows (i, i + 1) ← (c_i w_i − s_i w_{i+1}, s_i w_i + c_i w_{i+1}),
 * the rotations of one implicit QL sweep (EISPACK tql2 order). Four rotations share one pass over
 * five rows.
 */
export function drotchainql(w: usize, width: i32, ldw: i32, lo: i32, hi: i32, rc: usize, rs: usize): void {
  const st = (<usize>ldw) << 3;
  let i = hi - 1;
  for (; i - 3 >= lo; i -= 4) {
    const c3 = f64x2.splat(load<f64>(rc + ((<usize>i) << 3)));
    const s3 = f64x2.splat(load<f64>(rs + ((<usize>i) << 3)));
    const c2 = f64x2.splat(load<f64>(rc + ((<usize>(i - 1)) << 3)));
    const s2 = f64x2.splat(load<f64>(rs + ((<usize>(i - 1)) << 3)));
    const c1 = f64x2.splat(load<f64>(rc + ((<usize>(i - 2)) << 3)));
    const s1 = f64x2.splat(load<f64>(rs + ((<usize>(i - 2)) << 3)));
    const c0 = f64x2.splat(load<f64>(rc + ((<usize>(i - 3)) << 3)));
    const s0 = f64x2.splat(load<f64>(rs + ((<usize>(i - 3)) << 3)));
    const p0 = w + (<usize>(i - 3)) * st;
    const p1 = p0 + st;
    const p2 = p1 + st;
    const p3 = p2 + st;
    const p4 = p3 + st;
    let k = 0;
    for (; k + 2 <= width; k += 2) {
      const o = (<usize>k) << 3;
      let carry = v128.load(p4 + o);
      let x = v128.load(p3 + o);
      v128.store(p4 + o, fma2(s3, x, f64x2.mul(c3, carry)));
      carry = f64x2.sub(f64x2.mul(c3, x), f64x2.mul(s3, carry));
      x = v128.load(p2 + o);
      v128.store(p3 + o, fma2(s2, x, f64x2.mul(c2, carry)));
      carry = f64x2.sub(f64x2.mul(c2, x), f64x2.mul(s2, carry));
      x = v128.load(p1 + o);
      v128.store(p2 + o, fma2(s1, x, f64x2.mul(c1, carry)));
      carry = f64x2.sub(f64x2.mul(c1, x), f64x2.mul(s1, carry));
      x = v128.load(p0 + o);
      v128.store(p1 + o, fma2(s0, x, f64x2.mul(c0, carry)));
      v128.store(p0 + o, f64x2.sub(f64x2.mul(c0, x), f64x2.mul(s0, carry)));
    }
    if (k < width) {
      const o = (<usize>k) << 3;
      const cc3 = f64x2.extract_lane(c3, 0);
      const ss3 = f64x2.extract_lane(s3, 0);
      const cc2 = f64x2.extract_lane(c2, 0);
      const ss2 = f64x2.extract_lane(s2, 0);
      const cc1 = f64x2.extract_lane(c1, 0);
      const ss1 = f64x2.extract_lane(s1, 0);
      const cc0 = f64x2.extract_lane(c0, 0);
      const ss0 = f64x2.extract_lane(s0, 0);
      let carry = load<f64>(p4 + o);
      let x = load<f64>(p3 + o);
      store<f64>(p4 + o, ss3 * x + cc3 * carry);
      carry = cc3 * x - ss3 * carry;
      x = load<f64>(p2 + o);
      store<f64>(p3 + o, ss2 * x + cc2 * carry);
      carry = cc2 * x - ss2 * carry;
      x = load<f64>(p1 + o);
      store<f64>(p2 + o, ss1 * x + cc1 * carry);
      carry = cc1 * x - ss1 * carry;
      x = load<f64>(p0 + o);
      store<f64>(p1 + o, ss0 * x + cc0 * carry);
      store<f64>(p0 + o, cc0 * x - ss0 * carry);
    }
  }
  for (; i >= lo; i--) {
    const cs = load<f64>(rc + ((<usize>i) << 3));
    const sn = load<f64>(rs + ((<usize>i) << 3));
    const vc = f64x2.splat(cs);
    const vs = f64x2.splat(sn);
    const p0 = w + (<usize>i) * st;
    const p1 = p0 + st;
    let k = 0;
    for (; k + 2 <= width; k += 2) {
      const o = (<usize>k) << 3;
      const h = v128.load(p1 + o);
      const v = v128.load(p0 + o);
      v128.store(p1 + o, fma2(vs, v, f64x2.mul(vc, h)));
      v128.store(p0 + o, f64x2.sub(f64x2.mul(vc, v), f64x2.mul(vs, h)));
    }
    if (k < width) {
      const o = (<usize>k) << 3;
      const h = load<f64>(p1 + o);
      const v = load<f64>(p0 + o);
      store<f64>(p1 + o, sn * v + cs * h);
      store<f64>(p0 + o, cs * v - sn * h);
    }
  }
}

/** Overflow-safe √(a² + b²): the same operations as `hypot` in src/linalg/internal.ts. */
@inline function hypot1(a: f64, b: f64): f64 {
  const x = abs<f64>(a);
  const y = abs<f64>(b);
  if (x > y) {
    const r = y / x;
    return x * sqrt<f64>(1 + r * r);
  }
  if (y == 0) return 0;
  const r = x / y;
  return y * sqrt<f64>(1 + r * r);
}

/**
 * Implicit QL on the symmetric tridiagonal (d, e) (tql2, as `tql2` in src/linalg/eigh.ts: the same
 * operations in the same order), the rotations of each sweep applied to the rows of w (n rows of
 * `width` doubles, ld ldw) by `drotchainql` when w ≠ 0; rc, rs: n doubles of scratch. Leaves the
 * eigenvalues in d, unsorted. Returns −1, or the index l of an eigenvalue whose iteration did not
 * converge within maxIter sweeps.
 */
export function dtql2(n: i32, d: usize, e: usize, w: usize, width: i32, ldw: i32, maxIter: i32, rc: usize, rs: usize): i32 {
  const EPS: f64 = 2.220446049250313e-16;
  for (let i = 1; i < n; i++) store<f64>(e + ((<usize>(i - 1)) << 3), load<f64>(e + ((<usize>i) << 3)));
  if (n > 0) store<f64>(e + ((<usize>(n - 1)) << 3), 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  for (let l = 0; l < n; l++) {
    const lo = (<usize>l) << 3;
    tst1 = max<f64>(tst1, abs<f64>(load<f64>(d + lo)) + abs<f64>(load<f64>(e + lo)));
    let m = l;
    while (m < n - 1) {
      if (abs<f64>(load<f64>(e + ((<usize>m) << 3))) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) return l;
        let g = load<f64>(d + lo);
        let p = (load<f64>(d + lo + 8) - g) / (2 * load<f64>(e + lo));
        let r = hypot1(p, 1);
        if (p < 0) r = -r;
        const el = load<f64>(e + lo);
        store<f64>(d + lo, el / (p + r));
        store<f64>(d + lo + 8, el * (p + r));
        const dl1 = load<f64>(d + lo + 8);
        let h = g - load<f64>(d + lo);
        for (let i = l + 2; i < n; i++) {
          const io = (<usize>i) << 3;
          store<f64>(d + io, load<f64>(d + io) - h);
        }
        f += h;
        p = load<f64>(d + ((<usize>m) << 3));
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = load<f64>(e + lo + 8);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          const io = (<usize>i) << 3;
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(e + io);
          g = c * ei;
          h = c * p;
          r = hypot1(p, ei);
          store<f64>(e + io + 8, s * r);
          s = ei / r;
          c = p / r;
          const di = load<f64>(d + io);
          p = c * di - s * g;
          store<f64>(d + io + 8, h + s * (c * g + s * di));
          store<f64>(rc + io, c);
          store<f64>(rs + io, s);
        }
        if (w != 0) drotchainql(w, width, ldw, l, m, rc, rs);
        p = (-s * s2 * c3 * el1 * load<f64>(e + lo)) / dl1;
        store<f64>(e + lo, s * p);
        store<f64>(d + lo, c * p);
      } while (abs<f64>(load<f64>(e + lo)) > EPS * tst1);
    }
    store<f64>(d + lo, load<f64>(d + lo) + f);
    store<f64>(e + lo, 0);
  }
  return -1;
}

/**
 * Applies a chain of plane rotations to consecutive rows of W, in increasing order j = lo..hi:
 * rows (j, j + 1) ← (c_j w_j + s_j w_{j+1}, −s_j w_j + c_j w_{j+1}) (the bulge chase of the
 * bidiagonal SVD, LINPACK dsvdc order). Four rotations share one pass over five rows.
 */
export function drotchainsvd(w: usize, width: i32, ldw: i32, lo: i32, hi: i32, rc: usize, rs: usize): void {
  const st = (<usize>ldw) << 3;
  let j = lo;
  for (; j + 3 <= hi; j += 4) {
    const c0 = f64x2.splat(load<f64>(rc + ((<usize>j) << 3)));
    const s0 = f64x2.splat(load<f64>(rs + ((<usize>j) << 3)));
    const c1 = f64x2.splat(load<f64>(rc + ((<usize>(j + 1)) << 3)));
    const s1 = f64x2.splat(load<f64>(rs + ((<usize>(j + 1)) << 3)));
    const c2 = f64x2.splat(load<f64>(rc + ((<usize>(j + 2)) << 3)));
    const s2 = f64x2.splat(load<f64>(rs + ((<usize>(j + 2)) << 3)));
    const c3 = f64x2.splat(load<f64>(rc + ((<usize>(j + 3)) << 3)));
    const s3 = f64x2.splat(load<f64>(rs + ((<usize>(j + 3)) << 3)));
    const p0 = w + (<usize>j) * st;
    const p1 = p0 + st;
    const p2 = p1 + st;
    const p3 = p2 + st;
    const p4 = p3 + st;
    let k = 0;
    for (; k + 2 <= width; k += 2) {
      const o = (<usize>k) << 3;
      let x = v128.load(p0 + o);
      let y = v128.load(p1 + o);
      v128.store(p0 + o, fma2(c0, x, f64x2.mul(s0, y)));
      x = f64x2.sub(f64x2.mul(c0, y), f64x2.mul(s0, x));
      y = v128.load(p2 + o);
      v128.store(p1 + o, fma2(c1, x, f64x2.mul(s1, y)));
      x = f64x2.sub(f64x2.mul(c1, y), f64x2.mul(s1, x));
      y = v128.load(p3 + o);
      v128.store(p2 + o, fma2(c2, x, f64x2.mul(s2, y)));
      x = f64x2.sub(f64x2.mul(c2, y), f64x2.mul(s2, x));
      y = v128.load(p4 + o);
      v128.store(p3 + o, fma2(c3, x, f64x2.mul(s3, y)));
      v128.store(p4 + o, f64x2.sub(f64x2.mul(c3, y), f64x2.mul(s3, x)));
    }
    if (k < width) {
      const o = (<usize>k) << 3;
      let x = load<f64>(p0 + o);
      let y = load<f64>(p1 + o);
      let c = f64x2.extract_lane(c0, 0);
      let s = f64x2.extract_lane(s0, 0);
      store<f64>(p0 + o, c * x + s * y);
      x = c * y - s * x;
      y = load<f64>(p2 + o);
      c = f64x2.extract_lane(c1, 0);
      s = f64x2.extract_lane(s1, 0);
      store<f64>(p1 + o, c * x + s * y);
      x = c * y - s * x;
      y = load<f64>(p3 + o);
      c = f64x2.extract_lane(c2, 0);
      s = f64x2.extract_lane(s2, 0);
      store<f64>(p2 + o, c * x + s * y);
      x = c * y - s * x;
      y = load<f64>(p4 + o);
      c = f64x2.extract_lane(c3, 0);
      s = f64x2.extract_lane(s3, 0);
      store<f64>(p3 + o, c * x + s * y);
      store<f64>(p4 + o, c * y - s * x);
    }
  }
  for (; j <= hi; j++) {
    const cs = load<f64>(rc + ((<usize>j) << 3));
    const sn = load<f64>(rs + ((<usize>j) << 3));
    const vc = f64x2.splat(cs);
    const vs = f64x2.splat(sn);
    const p0 = w + (<usize>j) * st;
    const p1 = p0 + st;
    let k = 0;
    for (; k + 2 <= width; k += 2) {
      const o = (<usize>k) << 3;
      const x = v128.load(p0 + o);
      const y = v128.load(p1 + o);
      v128.store(p0 + o, fma2(vc, x, f64x2.mul(vs, y)));
      v128.store(p1 + o, f64x2.sub(f64x2.mul(vc, y), f64x2.mul(vs, x)));
    }
    if (k < width) {
      const o = (<usize>k) << 3;
      const x = load<f64>(p0 + o);
      const y = load<f64>(p1 + o);
      store<f64>(p0 + o, cs * x + sn * y);
      store<f64>(p1 + o, cs * y - sn * x);
    }
  }
}

/**
 * y ← A x for symmetric A (m×m) given by its lower triangle (row-major, ld lda; the strict upper
 * triangle is not read): one pass over the lower triangle, row i contributing its dot product
 * with x[0..i] to y_i and its axpy x_i·A[i, 0..i) to y[0..i).
 */
export function dsymvl(m: i32, a: usize, lda: i32, x: usize, y: usize): void {
  memory.fill(y, 0, (<usize>m) << 3);
  const rs = (<usize>lda) << 3;
  let i = 0;
  // two rows per pass (i, i+1): the loads of x and the loads/stores of y serve both
  for (; i + 2 <= m; i += 2) {
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const x0 = load<f64>(x + ((<usize>i) << 3));
    const x1 = load<f64>(x + ((<usize>(i + 1)) << 3));
    const vx0 = f64x2.splat(x0);
    const vx1 = f64x2.splat(x1);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= i; j += 2) {
      const o = (<usize>j) << 3;
      const a0 = v128.load(r0 + o);
      const a1 = v128.load(r1 + o);
      const xv = v128.load(x + o);
      s0 = fma2(a0, xv, s0);
      s1 = fma2(a1, xv, s1);
      v128.store(y + o, fma2(a1, vx1, fma2(a0, vx0, v128.load(y + o))));
    }
    let t0 = hsum2(s0);
    let t1 = hsum2(s1);
    if (j < i) {
      const o = (<usize>j) << 3;
      const a0 = load<f64>(r0 + o);
      const a1 = load<f64>(r1 + o);
      const xj = load<f64>(x + o);
      t0 += a0 * xj;
      t1 += a1 * xj;
      store<f64>(y + o, load<f64>(y + o) + a0 * x0 + a1 * x1);
    }
    // the 2×2 diagonal block [[a_ii, ·], [a_{i+1,i}, a_{i+1,i+1}]]
    const io = (<usize>i) << 3;
    const a10 = load<f64>(r1 + io);
    t0 += load<f64>(r0 + io) * x0 + a10 * x1;
    t1 += a10 * x0 + load<f64>(r1 + io, 8) * x1;
    store<f64>(y + io, load<f64>(y + io) + t0);
    store<f64>(y + io, load<f64>(y + io, 8) + t1, 8);
  }
  if (i < m) {
    const r = a + (<usize>i) * rs;
    const xi = load<f64>(x + ((<usize>i) << 3));
    const vx = f64x2.splat(xi);
    let s0 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= i; j += 2) {
      const o = (<usize>j) << 3;
      const av = v128.load(r + o);
      s0 = fma2(av, v128.load(x + o), s0);
      v128.store(y + o, fma2(av, vx, v128.load(y + o)));
    }
    let t = hsum2(s0);
    if (j < i) {
      const o = (<usize>j) << 3;
      const aij = load<f64>(r + o);
      t += aij * load<f64>(x + o);
      store<f64>(y + o, load<f64>(y + o) + aij * xi);
    }
    const io = (<usize>i) << 3;
    store<f64>(y + io, load<f64>(y + io) + t + load<f64>(r + io) * xi);
  }
}

/** A ← A + α (x yᵀ + y xᵀ) on the lower triangle of the m×m symmetric A (row-major, ld lda). */
export function dsyr2l(m: i32, alpha: f64, x: usize, y: usize, a: usize, lda: i32): void {
  const rs = (<usize>lda) << 3;
  let i = 0;
  // two rows per pass: the loads of x and y serve both
  for (; i + 2 <= m; i += 2) {
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const io = (<usize>i) << 3;
    const cx0 = alpha * load<f64>(x + io);
    const cy0 = alpha * load<f64>(y + io);
    const cx1 = alpha * load<f64>(x + io, 8);
    const cy1 = alpha * load<f64>(y + io, 8);
    const vx0 = f64x2.splat(cx0);
    const vy0 = f64x2.splat(cy0);
    const vx1 = f64x2.splat(cx1);
    const vy1 = f64x2.splat(cy1);
    let j = 0;
    for (; j + 2 <= i; j += 2) {
      const o = (<usize>j) << 3;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      v128.store(r0 + o, fma2(vy0, xv, fma2(vx0, yv, v128.load(r0 + o))));
      v128.store(r1 + o, fma2(vy1, xv, fma2(vx1, yv, v128.load(r1 + o))));
    }
    // columns j..i+1 that remain: row i up to i, row i+1 up to i+1
    for (; j <= i; j++) {
      const o = (<usize>j) << 3;
      const xj = load<f64>(x + o);
      const yj = load<f64>(y + o);
      store<f64>(r0 + o, load<f64>(r0 + o) + cx0 * yj + cy0 * xj);
      store<f64>(r1 + o, load<f64>(r1 + o) + cx1 * yj + cy1 * xj);
    }
    const o1 = (<usize>(i + 1)) << 3;
    store<f64>(r1 + o1, load<f64>(r1 + o1) + cx1 * load<f64>(y + o1) + cy1 * load<f64>(x + o1));
  }
  if (i < m) {
    const r = a + (<usize>i) * rs;
    const io = (<usize>i) << 3;
    const cx = alpha * load<f64>(x + io);
    const cy = alpha * load<f64>(y + io);
    for (let j = 0; j <= i; j++) {
      const o = (<usize>j) << 3;
      store<f64>(r + o, load<f64>(r + o) + cx * load<f64>(y + o) + cy * load<f64>(x + o));
    }
  }
}

/**
 * B ← B L⁻ᵀ for L lower triangular nb×nb (ld ldl) and B m×nb (ld ldb): each row b of B solves
 * x Lᵀ = b by forward substitution, x_j = (b_j − Σ_{p<j} x_p L[j, p]) / L[j, j] (the panel solve of
 * a blocked Cholesky, L21 = A21 L11⁻ᵀ). Four rows per pass share the loads of L's rows.
 */
export function dtrsmrlt(m: i32, nb: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  const ls = (<usize>ldl) << 3;
  const bs = (<usize>ldb) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const b0 = b + (<usize>i) * bs;
    const b1 = b0 + bs;
    const b2 = b1 + bs;
    const b3 = b2 + bs;
    for (let j = 0; j < nb; j++) {
      const lj = l + (<usize>j) * ls;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      let p = 0;
      for (; p + 2 <= j; p += 2) {
        const o = (<usize>p) << 3;
        const lv = v128.load(lj + o);
        s0 = fma2(v128.load(b0 + o), lv, s0);
        s1 = fma2(v128.load(b1 + o), lv, s1);
        s2 = fma2(v128.load(b2 + o), lv, s2);
        s3 = fma2(v128.load(b3 + o), lv, s3);
      }
      let t0 = hsum2(s0);
      let t1 = hsum2(s1);
      let t2 = hsum2(s2);
      let t3 = hsum2(s3);
      if (p < j) {
        const o = (<usize>p) << 3;
        const lp = load<f64>(lj + o);
        t0 += load<f64>(b0 + o) * lp;
        t1 += load<f64>(b1 + o) * lp;
        t2 += load<f64>(b2 + o) * lp;
        t3 += load<f64>(b3 + o) * lp;
      }
      const jo = (<usize>j) << 3;
      const inv = 1 / load<f64>(lj + jo);
      store<f64>(b0 + jo, (load<f64>(b0 + jo) - t0) * inv);
      store<f64>(b1 + jo, (load<f64>(b1 + jo) - t1) * inv);
      store<f64>(b2 + jo, (load<f64>(b2 + jo) - t2) * inv);
      store<f64>(b3 + jo, (load<f64>(b3 + jo) - t3) * inv);
    }
  }
  for (; i < m; i++) {
    const bi = b + (<usize>i) * bs;
    for (let j = 0; j < nb; j++) {
      const lj = l + (<usize>j) * ls;
      const jo = (<usize>j) << 3;
      store<f64>(bi + jo, (load<f64>(bi + jo) - ddot(j, bi, lj)) / load<f64>(lj + jo));
    }
  }
}

/**
 * out[t] ← ‖x_i − x_j‖² for i < j in row-major order of the strict upper triangle (t = 0, 1, …),
 * x n×d row-major (ld d): direct differences (no cancellation), two f64x2 partial sums per pair
 * (lanes k mod 4 ∈ {0, 1} and {2, 3}), then a pair of lanes, then a scalar. Two pairs (i, j),
 * (i, j + 1) per step share the loads of x_i; each pair's sum is formed in the same order as a
 * single pair's, so the values do not depend on the pairing.
 */
export function dpdistu(n: i32, d: i32, x: usize, out: usize): void {
  const rs = (<usize>d) << 3;
  const d4 = d & ~3;
  let t = out;
  for (let i = 0; i < n; i++) {
    const xi = x + (<usize>i) * rs;
    let j = i + 1;
    for (; j + 2 <= n; j += 2) {
      const xa = x + (<usize>j) * rs;
      const xb = xa + rs;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      for (let k = 0; k < d4; k += 4) {
        const o = (<usize>k) << 3;
        const p0 = v128.load(xi + o);
        const p1 = v128.load(xi + o, 16);
        const u0 = f64x2.sub(p0, v128.load(xa + o));
        const u1 = f64x2.sub(p1, v128.load(xa + o, 16));
        const w0 = f64x2.sub(p0, v128.load(xb + o));
        const w1 = f64x2.sub(p1, v128.load(xb + o, 16));
        a0 = fma2(u0, u0, a0);
        a1 = fma2(u1, u1, a1);
        b0 = fma2(w0, w0, b0);
        b1 = fma2(w1, w1, b1);
      }
      store<f64>(t, pairDistTail(xi, xa, d, d4, a0, a1));
      store<f64>(t, pairDistTail(xi, xb, d, d4, b0, b1), 8);
      t += 16;
    }
    if (j < n) {
      const xj = x + (<usize>j) * rs;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      for (let k = 0; k < d4; k += 4) {
        const o = (<usize>k) << 3;
        const v0 = f64x2.sub(v128.load(xi + o), v128.load(xj + o));
        const v1 = f64x2.sub(v128.load(xi + o, 16), v128.load(xj + o, 16));
        s0 = fma2(v0, v0, s0);
        s1 = fma2(v1, v1, s1);
      }
      store<f64>(t, pairDistTail(xi, xj, d, d4, s0, s1));
      t += 8;
    }
  }
}

/** The end of one pair's ‖x_i − x_j‖² in dpdistu: coordinates k0 = 4⌊d/4⌋.. on partial sums s0, s1. */
@inline function pairDistTail(xi: usize, xj: usize, d: i32, k0: i32, s0: v128, s1: v128): f64 {
  let k = k0;
  let a = s0;
  if (k + 2 <= d) {
    const o = (<usize>k) << 3;
    const v0 = f64x2.sub(v128.load(xi + o), v128.load(xj + o));
    a = fma2(v0, v0, a);
    k += 2;
  }
  let s = hsum2(f64x2.add(a, s1));
  if (k < d) {
    const o = (<usize>k) << 3;
    const v = load<f64>(xi + o) - load<f64>(xj + o);
    s += v * v;
  }
  return s;
}

/**
 * exp(x) on two lanes with x ≤ 0 (the Gaussian kernel's range): x = k ln2 + r, |r| ≤ ln2/2
 * (Cody–Waite split of ln2, k·ln2_hi exact), exp(r) by its degree-12 Taylor polynomial (truncation
 * < 2e-16 relative), times 2^k as two exact powers 2^⌊k/2⌋·2^(k−⌊k/2⌋) so subnormal results stay
 * right; 0 below −745.2. Within 2 ulp of a correctly rounded exp (tested against Math.exp).
 */
@inline function expneg2(x: v128): v128 {
  const xc = f64x2.pmax(x, f64x2.splat(-746.0));
  const kf = f64x2.nearest(f64x2.mul(xc, f64x2.splat(1.4426950408889634)));
  let r = f64x2.sub(xc, f64x2.mul(kf, f64x2.splat(6.93147180369123816490e-1)));
  r = f64x2.sub(r, f64x2.mul(kf, f64x2.splat(1.90821492927058770002e-10)));
  let p = f64x2.splat(2.08767569878680989792e-9); // 1/12!
  p = fma2(p, r, f64x2.splat(2.50521083854417187751e-8)); // 1/11!
  p = fma2(p, r, f64x2.splat(2.75573192239858906526e-7)); // 1/10!
  p = fma2(p, r, f64x2.splat(2.75573192239858906526e-6)); // 1/9!
  p = fma2(p, r, f64x2.splat(2.48015873015873015873e-5)); // 1/8!
  p = fma2(p, r, f64x2.splat(1.98412698412698412698e-4)); // 1/7!
  p = fma2(p, r, f64x2.splat(1.38888888888888888889e-3)); // 1/6!
  p = fma2(p, r, f64x2.splat(8.33333333333333333333e-3)); // 1/5!
  p = fma2(p, r, f64x2.splat(4.16666666666666666667e-2)); // 1/4!
  p = fma2(p, r, f64x2.splat(1.66666666666666666667e-1)); // 1/3!
  p = fma2(p, r, f64x2.splat(0.5));
  p = fma2(p, r, f64x2.splat(1.0));
  p = fma2(p, r, f64x2.splat(1.0));
  // 2^k1 · 2^k2, k1 = ⌊k/2⌋, k2 = k − k1: integer k in the low bits of k + 1.5·2^52, shifted
  // into the exponent field with the bias added
  const k1f = f64x2.floor(f64x2.mul(kf, f64x2.splat(0.5)));
  const k2f = f64x2.sub(kf, k1f);
  const magic = f64x2.splat(6755399441055744.0);
  const bias = i64x2.splat(1023);
  const s1 = i64x2.shl(i64x2.add(f64x2.add(k1f, magic), bias), 52);
  const s2 = i64x2.shl(i64x2.add(f64x2.add(k2f, magic), bias), 52);
  const y = f64x2.mul(f64x2.mul(p, s1), s2);
  return v128.bitselect(f64x2.splat(0), y, f64x2.lt(x, f64x2.splat(-745.2)));
}

/**
 * out[t] ← exp(−scale · u[t]) for t < len (u ≥ 0, scale > 0); see expneg2. Four independent
 * pairs of lanes per step (the polynomial is a chain of dependent operations: interleaving four
 * keeps the SIMD units busy); every lane's value is expneg2's.
 */
export function dexpneg(len: i32, u: usize, scale: f64, out: usize): void {
  const vs = f64x2.splat(-scale);
  let t = 0;
  for (; t + 8 <= len; t += 8) {
    const o = (<usize>t) << 3;
    const a = expneg2(f64x2.mul(v128.load(u + o), vs));
    const b = expneg2(f64x2.mul(v128.load(u + o, 16), vs));
    const c = expneg2(f64x2.mul(v128.load(u + o, 32), vs));
    const e = expneg2(f64x2.mul(v128.load(u + o, 48), vs));
    v128.store(out + o, a);
    v128.store(out + o, b, 16);
    v128.store(out + o, c, 32);
    v128.store(out + o, e, 48);
  }
  for (; t + 2 <= len; t += 2) {
    const o = (<usize>t) << 3;
    v128.store(out + o, expneg2(f64x2.mul(v128.load(u + o), vs)));
  }
  if (t < len) {
    const o = (<usize>t) << 3;
    store<f64>(out + o, f64x2.extract_lane(expneg2(f64x2.splat(-scale * load<f64>(u + o))), 0));
  }
}

/**
 * The RBF kernel matrix off the diagonal from the pair distances u (strict upper triangle in
 * row-major order, as `dpdistu` writes it): K[i, j] = K[j, i] = exp(−scale · u_ij) for i < j
 * (K n×n, ld n; the diagonal is not written) and rows[i] += Σ_{j ≠ i} K[i, j]. Two passes: the
 * exps of each row i's pairs into K[i, i+1..n) (dexpneg, contiguous), then the lower half and the
 * row sums from there (rows[j] += K[i, j] in order of i; row i's own sum on two lanes over
 * j = i+1, i+3, … and i+2, i+4, …, then the odd one) — the values and the summation order of a
 * single fused pass.
 */
export function drbfsym(n: i32, u: usize, scale: f64, k: usize, rows: usize): void {
  const rs = (<usize>n) << 3;
  let t = u;
  for (let i = 0; i < n; i++) {
    const len = n - i - 1;
    dexpneg(len, t, scale, k + (<usize>i) * rs + (((<usize>i) + 1) << 3));
    t += (<usize>len) << 3;
  }
  for (let i = 0; i < n; i++) {
    const ki = k + (<usize>i) * rs;
    const io = (<usize>i) << 3;
    let acc = f64x2.splat(0);
    let j = i + 1;
    for (; j + 2 <= n; j += 2) {
      const jo = (<usize>j) << 3;
      const v = v128.load(ki + jo);
      const kj = k + (<usize>j) * rs + io;
      store<f64>(kj, f64x2.extract_lane(v, 0));
      store<f64>(kj + rs, f64x2.extract_lane(v, 1));
      v128.store(rows + jo, f64x2.add(v128.load(rows + jo), v));
      acc = f64x2.add(acc, v);
    }
    let r = hsum2(acc);
    if (j < n) {
      const jo = (<usize>j) << 3;
      const e = load<f64>(ki + jo);
      store<f64>(k + (<usize>j) * rs + io, e);
      store<f64>(rows + jo, load<f64>(rows + jo) + e);
      r += e;
    }
    store<f64>(rows + io, load<f64>(rows + io) + r);
  }
}

/** row[0..w) ← row[0..w) − l · src[0..w) (unfused: the same bits as the JavaScript loop). */
@inline function dsubscaled(w: i32, l: f64, src: usize, row: usize): void {
  const vl = f64x2.splat(l);
  let j = 0;
  for (; j + 4 <= w; j += 4) {
    const o = (<usize>j) << 3;
    v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.mul(vl, v128.load(src + o))));
    v128.store(row + o, f64x2.sub(v128.load(row + o, 16), f64x2.mul(vl, v128.load(src + o, 16))), 16);
  }
  for (; j < w; j++) {
    const o = (<usize>j) << 3;
    store<f64>(row + o, load<f64>(row + o) - l * load<f64>(src + o));
  }
}

/**
 * One panel of a right-looking LU with partial pivoting (LAPACK's dgetf2) on the row-major n×n
 * matrix a (ld lda): columns k0..k0+nb−1, rows k0..n−1. For each column k: the first row of
 * largest |a[i, k]| (i ≥ k) is the pivot, swapped with row k across all n columns; the multipliers
 * l_i = a[i, k] / a[k, k] overwrite column k below the diagonal and a[i, j] −= l_i a[k, j] updates
 * the panel's columns j > k. ipiv[k − k0] ← the pivot row (i32). A zero pivot skips the
 * elimination of its column and makes the result 1 (singular), else 0.
 */
export function dlupanel(n: i32, a: usize, lda: i32, k0: i32, nb: i32, ipiv: usize): i32 {
  const rs = (<usize>lda) << 3;
  const k1 = k0 + nb;
  let singular = 0;
  for (let k = k0; k < k1; k++) {
    const ko = (<usize>k) << 3;
    const rk = a + (<usize>k) * rs;
    let p = k;
    let best = abs<f64>(load<f64>(rk + ko));
    let ri = rk + rs;
    for (let i = k + 1; i < n; i++) {
      const v = abs<f64>(load<f64>(ri + ko));
      if (v > best) {
        best = v;
        p = i;
      }
      ri += rs;
    }
    store<i32>(ipiv + ((<usize>(k - k0)) << 2), p);
    if (p != k) {
      const rp = a + (<usize>p) * rs;
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = (<usize>j) << 3;
        const t = v128.load(rk + o);
        v128.store(rk + o, v128.load(rp + o));
        v128.store(rp + o, t);
      }
      if (j < n) {
        const o = (<usize>j) << 3;
        const t = load<f64>(rk + o);
        store<f64>(rk + o, load<f64>(rp + o));
        store<f64>(rp + o, t);
      }
    }
    const pivot = load<f64>(rk + ko);
    if (pivot == 0) {
      singular = 1;
      continue;
    }
    const inv = 1 / pivot;
    const w = k1 - k - 1;
    ri = rk + rs;
    for (let i = k + 1; i < n; i++) {
      const l = load<f64>(ri + ko) * inv;
      store<f64>(ri + ko, l);
      if (l != 0) dsubscaled(w, l, rk + ko + 8, ri + ko + 8);
      ri += rs;
    }
  }
  return singular;
}

/**
 * B ← L⁻¹ B for L unit lower triangular nb×nb (ld ldl, diagonal not read) and B nb×w (ld ldb):
 * row r of B −= L[r, p] · row p of B for p < r, in order of p (the U₁₂ block row of a blocked LU).
 */
export function dtrsmllu(nb: i32, w: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  const ls = (<usize>ldl) << 3;
  const bs = (<usize>ldb) << 3;
  for (let r = 1; r < nb; r++) {
    const lr = l + (<usize>r) * ls;
    const br = b + (<usize>r) * bs;
    for (let p = 0; p < r; p++) {
      const v = load<f64>(lr + ((<usize>p) << 3));
      if (v != 0) dsubscaled(w, v, b + (<usize>p) * bs, br);
    }
  }
}

// ------------------------------------------------------------------ fused: two-layer Hermite network

/**
 * σ'(z) = Σ_k dc_k h_k(z) by the recurrence of dhermitegrad (the same operations in the same
 * order as its σ' half, so the same bits).
 */
@inline function hermiteDeriv(z: f64, K: i32, dc: usize, sq: usize, isq: usize): f64 {
  if (K == 0) return 0;
  let ds = load<f64>(dc);
  let prev: f64 = 1;
  let cur = z;
  if (K > 1) ds += load<f64>(dc, 8) * cur;
  for (let j = 1; j < K - 1; j++) {
    const next = (z * cur - load<f64>(sq + ((<usize>j) << 3)) * prev) * load<f64>(isq + ((<usize>(j + 1)) << 3));
    prev = cur;
    cur = next;
    ds += load<f64>(dc + ((<usize>(j + 1)) << 3)) * cur;
  }
  return ds;
}

/**
 * z (B×m, row b = the m dot products w_i·x_b) for the m rows of W (m×d) and the B rows of X,
 * in blocks of 4 neurons × 2 samples: 8 f64x2 accumulators over the column pairs, then the lane
 * sum and the odd column, the operations and order of the one-sample loop it replaces (the same
 * bits) with half the loads per product; the last m mod 4 neurons by ddot.
 */
function hermiteDots(B: i32, d: i32, m: i32, w: usize, x: usize, z: usize): void {
  const rs = (<usize>d) << 3;
  const zs = (<usize>m) << 3;
  const m4 = m & ~3;
  const d2 = d & ~1;
  let b = 0;
  for (; b + 2 <= B; b += 2) {
    const xa = x + (<usize>b) * rs;
    const xb = xa + rs;
    const za = z + (<usize>b) * zs;
    const zb = za + zs;
    for (let i = 0; i < m4; i += 4) {
      const r0 = w + (<usize>i) * rs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      for (let j = 0; j < d2; j += 2) {
        const o = (<usize>j) << 3;
        const u = v128.load(xa + o);
        const v = v128.load(xb + o);
        const w0 = v128.load(r0 + o);
        a0 = fma2(w0, u, a0);
        b0 = fma2(w0, v, b0);
        const w1 = v128.load(r1 + o);
        a1 = fma2(w1, u, a1);
        b1 = fma2(w1, v, b1);
        const w2 = v128.load(r2 + o);
        a2 = fma2(w2, u, a2);
        b2 = fma2(w2, v, b2);
        const w3 = v128.load(r3 + o);
        a3 = fma2(w3, u, a3);
        b3 = fma2(w3, v, b3);
      }
      let ta0 = hsum2(a0);
      let ta1 = hsum2(a1);
      let ta2 = hsum2(a2);
      let ta3 = hsum2(a3);
      let tb0 = hsum2(b0);
      let tb1 = hsum2(b1);
      let tb2 = hsum2(b2);
      let tb3 = hsum2(b3);
      if (d2 < d) {
        const o = (<usize>d2) << 3;
        const ua = load<f64>(xa + o);
        const ub = load<f64>(xb + o);
        const q0 = load<f64>(r0 + o);
        const q1 = load<f64>(r1 + o);
        const q2 = load<f64>(r2 + o);
        const q3 = load<f64>(r3 + o);
        ta0 += q0 * ua;
        ta1 += q1 * ua;
        ta2 += q2 * ua;
        ta3 += q3 * ua;
        tb0 += q0 * ub;
        tb1 += q1 * ub;
        tb2 += q2 * ub;
        tb3 += q3 * ub;
      }
      const ia = za + ((<usize>i) << 3);
      store<f64>(ia, ta0);
      store<f64>(ia, ta1, 8);
      store<f64>(ia, ta2, 16);
      store<f64>(ia, ta3, 24);
      const ib = zb + ((<usize>i) << 3);
      store<f64>(ib, tb0);
      store<f64>(ib, tb1, 8);
      store<f64>(ib, tb2, 16);
      store<f64>(ib, tb3, 24);
    }
    for (let i = m4; i < m; i++) {
      const ri = w + (<usize>i) * rs;
      store<f64>(za + ((<usize>i) << 3), ddot(d, ri, xa));
      store<f64>(zb + ((<usize>i) << 3), ddot(d, ri, xb));
    }
  }
  if (b < B) {
    const xa = x + (<usize>b) * rs;
    const za = z + (<usize>b) * zs;
    for (let i = 0; i < m4; i += 4) {
      const r0 = w + (<usize>i) * rs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      for (let j = 0; j < d2; j += 2) {
        const o = (<usize>j) << 3;
        const u = v128.load(xa + o);
        a0 = fma2(v128.load(r0 + o), u, a0);
        a1 = fma2(v128.load(r1 + o), u, a1);
        a2 = fma2(v128.load(r2 + o), u, a2);
        a3 = fma2(v128.load(r3 + o), u, a3);
      }
      let ta0 = hsum2(a0);
      let ta1 = hsum2(a1);
      let ta2 = hsum2(a2);
      let ta3 = hsum2(a3);
      if (d2 < d) {
        const o = (<usize>d2) << 3;
        const ua = load<f64>(xa + o);
        ta0 += load<f64>(r0 + o) * ua;
        ta1 += load<f64>(r1 + o) * ua;
        ta2 += load<f64>(r2 + o) * ua;
        ta3 += load<f64>(r3 + o) * ua;
      }
      const ia = za + ((<usize>i) << 3);
      store<f64>(ia, ta0);
      store<f64>(ia, ta1, 8);
      store<f64>(ia, ta2, 16);
      store<f64>(ia, ta3, 24);
    }
    for (let i = m4; i < m; i++) store<f64>(za + ((<usize>i) << 3), ddot(d, w + (<usize>i) * rs, xa));
  }
}

/**
 * G (m×d) ← invB · Σ_b C[b, i] x_b (C B×m row-major), summed over b in order from zero: the
 * per-entry operations of the one-sample axpy loop it replaces (the same bits), with each 4×4
 * block of G held in 8 f64x2 registers over the whole batch (no loads or stores of G per sample);
 * the last m mod 4 neurons by daxpy per sample, skipping zero coefficients, then scaled.
 */
function hermiteAccumulate(B: i32, d: i32, m: i32, x: usize, cm: usize, g: usize, invB: f64): void {
  const rs = (<usize>d) << 3;
  const zs = (<usize>m) << 3;
  const m4 = m & ~3;
  const vB = f64x2.splat(invB);
  for (let i = 0; i < m4; i += 4) {
    const g0 = g + (<usize>i) * rs;
    const g1 = g0 + rs;
    const g2 = g1 + rs;
    const g3 = g2 + rs;
    const ci = cm + ((<usize>i) << 3);
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      const o = (<usize>j) << 3;
      let p0 = f64x2.splat(0);
      let q0 = f64x2.splat(0);
      let p1 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      let p2 = f64x2.splat(0);
      let q2 = f64x2.splat(0);
      let p3 = f64x2.splat(0);
      let q3 = f64x2.splat(0);
      let xo = x + o;
      let co = ci;
      for (let b = 0; b < B; b++) {
        const u = v128.load(xo);
        const v = v128.load(xo, 16);
        const c0 = v128.load64_splat(co);
        p0 = fma2(c0, u, p0);
        q0 = fma2(c0, v, q0);
        const c1 = v128.load64_splat(co, 8);
        p1 = fma2(c1, u, p1);
        q1 = fma2(c1, v, q1);
        const c2 = v128.load64_splat(co, 16);
        p2 = fma2(c2, u, p2);
        q2 = fma2(c2, v, q2);
        const c3 = v128.load64_splat(co, 24);
        p3 = fma2(c3, u, p3);
        q3 = fma2(c3, v, q3);
        xo += rs;
        co += zs;
      }
      v128.store(g0 + o, f64x2.mul(vB, p0));
      v128.store(g0 + o, f64x2.mul(vB, q0), 16);
      v128.store(g1 + o, f64x2.mul(vB, p1));
      v128.store(g1 + o, f64x2.mul(vB, q1), 16);
      v128.store(g2 + o, f64x2.mul(vB, p2));
      v128.store(g2 + o, f64x2.mul(vB, q2), 16);
      v128.store(g3 + o, f64x2.mul(vB, p3));
      v128.store(g3 + o, f64x2.mul(vB, q3), 16);
    }
    if (j + 2 <= d) {
      const o = (<usize>j) << 3;
      let p0 = f64x2.splat(0);
      let p1 = f64x2.splat(0);
      let p2 = f64x2.splat(0);
      let p3 = f64x2.splat(0);
      let xo = x + o;
      let co = ci;
      for (let b = 0; b < B; b++) {
        const u = v128.load(xo);
        p0 = fma2(v128.load64_splat(co), u, p0);
        p1 = fma2(v128.load64_splat(co, 8), u, p1);
        p2 = fma2(v128.load64_splat(co, 16), u, p2);
        p3 = fma2(v128.load64_splat(co, 24), u, p3);
        xo += rs;
        co += zs;
      }
      v128.store(g0 + o, f64x2.mul(vB, p0));
      v128.store(g1 + o, f64x2.mul(vB, p1));
      v128.store(g2 + o, f64x2.mul(vB, p2));
      v128.store(g3 + o, f64x2.mul(vB, p3));
      j += 2;
    }
    if (j < d) {
      const o = (<usize>j) << 3;
      let s0: f64 = 0;
      let s1: f64 = 0;
      let s2: f64 = 0;
      let s3: f64 = 0;
      let xo = x + o;
      let co = ci;
      for (let b = 0; b < B; b++) {
        const xj = load<f64>(xo);
        s0 += load<f64>(co) * xj;
        s1 += load<f64>(co, 8) * xj;
        s2 += load<f64>(co, 16) * xj;
        s3 += load<f64>(co, 24) * xj;
        xo += rs;
        co += zs;
      }
      store<f64>(g0 + o, invB * s0);
      store<f64>(g1 + o, invB * s1);
      store<f64>(g2 + o, invB * s2);
      store<f64>(g3 + o, invB * s3);
    }
  }
  for (let i = m4; i < m; i++) {
    const gi = g + (<usize>i) * rs;
    memory.fill(gi, 0, rs);
    for (let b = 0; b < B; b++) {
      const c = load<f64>(cm + (<usize>b) * zs + ((<usize>i) << 3));
      if (c != 0) daxpy(d, c, x + (<usize>b) * rs, gi);
    }
    dscal(d, invB, gi);
  }
}

/**
 * Per-neuron ascent directions of the two-layer network f(x) = Σ_i a_i σ(w_i·x) with σ a Hermite
 * series Σ_k c_k h_k (normalised probabilists' Hermite polynomials), as the batch mean over the B
 * rows of X (B×d): G (m×d) ← (1/B) Σ_b r_b σ'(w_i·x_b) (a_i / a₀) x_b with r_b = y_b (loss 0,
 * correlation) or y_b − f(x_b) (loss 1, squared); with a = 0 every a_i = a₀ (and a_i/a₀ = 1).
 * With a ≠ 0, Ga (m) ← (1/B) Σ_b r_b σ(w_i·x_b). `sq[j]` = √j and `isq[j]` = 1/√j (j ≤ K, the
 * series degree), `dc` the derivative coefficients (length max(1, K)). `scratch` holds (B + 1)·m
 * doubles. Returns the batch mean of r². Three passes, each blocked for registers: the B×m dot
 * products (hermiteDots), the series and coefficients per sample, G = Cᵀ X (hermiteAccumulate);
 * X (B×d) stays in L1/L2 between them.
 */
export function dhermitegrad(
  B: i32,
  d: i32,
  m: i32,
  w: usize,
  x: usize,
  y: usize,
  K: i32,
  c: usize,
  dc: usize,
  sq: usize,
  isq: usize,
  loss: i32,
  a: usize,
  a0: f64,
  g: usize,
  ga: usize,
  scratch: usize,
): f64 {
  const zs = (<usize>m) << 3;
  if (a) memory.fill(ga, 0, zs);
  const zm = scratch; // B×m: the dot products, then the coefficients r σ'(z) (a_i/a₀)
  const sig = scratch + (<usize>B) * zs;
  hermiteDots(B, d, m, w, x, zm);
  let resid2: f64 = 0;
  for (let b = 0; b < B; b++) {
    const coef = zm + (<usize>b) * zs;
    const yb = load<f64>(y + ((<usize>b) << 3));
    // σ, σ' by the three-term recurrence h_{j+1} = (z h_j − √j h_{j−1}) / √(j+1); the
    // correlation loss with a fixed second layer needs σ' only
    if (loss == 0 && !a) {
      for (let i = 0; i < m; i++) {
        const io = (<usize>i) << 3;
        store<f64>(coef + io, yb * hermiteDeriv(load<f64>(coef + io), K, dc, sq, isq));
      }
      resid2 += yb * yb;
      continue;
    }
    let f: f64 = 0;
    for (let i = 0; i < m; i++) {
      const io = (<usize>i) << 3;
      const z = load<f64>(coef + io);
      let s = load<f64>(c);
      let ds = load<f64>(dc);
      if (K > 0) {
        let prev: f64 = 1;
        let cur = z;
        s += load<f64>(c, 8) * cur;
        if (K > 1) ds += load<f64>(dc, 8) * cur;
        for (let j = 1; j < K; j++) {
          const next = (z * cur - load<f64>(sq + ((<usize>j) << 3)) * prev) * load<f64>(isq + ((<usize>(j + 1)) << 3));
          prev = cur;
          cur = next;
          s += load<f64>(c + ((<usize>(j + 1)) << 3)) * cur;
          if (j + 1 < K) ds += load<f64>(dc + ((<usize>(j + 1)) << 3)) * cur;
        }
      } else {
        ds = 0;
      }
      store<f64>(sig + io, s);
      store<f64>(coef + io, ds);
      f += (a ? load<f64>(a + io) : a0) * s;
    }
    const r = loss == 1 ? yb - f : yb;
    resid2 += r * r;
    for (let i = 0; i < m; i++) {
      const io = (<usize>i) << 3;
      if (a) store<f64>(ga + io, load<f64>(ga + io) + r * load<f64>(sig + io));
      const ds = load<f64>(coef + io);
      store<f64>(coef + io, a ? (r * ds * load<f64>(a + io)) / a0 : r * ds);
    }
  }
  const invB = 1 / <f64>B;
  hermiteAccumulate(B, d, m, x, zm, g, invB);
  if (a) dscal(m, invB, ga);
  return resid2 * invB;
}

/**
 * Forward pass of the same network: out_b = Σ_i σ(w_i·x_b) over the B rows of X (B×d), σ the
 * Hermite series with coefficients c (degree K, `sq`/`isq` as in dhermitegrad). `scratch` holds
 * B·m doubles (the dot products, hermiteDots). (The multi-index target's labels: w_i the
 * directions, σ the link.)
 */
export function dhermiteforward(
  B: i32,
  d: i32,
  m: i32,
  w: usize,
  x: usize,
  K: i32,
  c: usize,
  sq: usize,
  isq: usize,
  out: usize,
  scratch: usize,
): void {
  const zs = (<usize>m) << 3;
  hermiteDots(B, d, m, w, x, scratch);
  for (let b = 0; b < B; b++) {
    const zb = scratch + (<usize>b) * zs;
    let f: f64 = 0;
    for (let i = 0; i < m; i++) {
      const z = load<f64>(zb + ((<usize>i) << 3));
      let s = load<f64>(c);
      if (K > 0) {
        let prev: f64 = 1;
        let cur = z;
        s += load<f64>(c, 8) * cur;
        for (let j = 1; j < K; j++) {
          const next = (z * cur - load<f64>(sq + ((<usize>j) << 3)) * prev) * load<f64>(isq + ((<usize>(j + 1)) << 3));
          prev = cur;
          cur = next;
          s += load<f64>(c + ((<usize>(j + 1)) << 3)) * cur;
        }
      }
      f += s;
    }
    store<f64>(out + ((<usize>b) << 3), f);
  }
}

/** w_i ← (w_i + η g_i)/‖w_i + η g_i‖ for one row, after g_i ← g_i − (g_i·w_i) w_i when `tangent` (scalar, in order of j). */
function sphericalRow(d: i32, wi: usize, gi: usize, lr: f64, tangent: i32): void {
  if (tangent) {
    let gw: f64 = 0;
    for (let j = 0; j < d; j++) gw += load<f64>(gi + ((<usize>j) << 3)) * load<f64>(wi + ((<usize>j) << 3));
    for (let j = 0; j < d; j++) {
      const o = (<usize>j) << 3;
      store<f64>(gi + o, load<f64>(gi + o) - gw * load<f64>(wi + o));
    }
  }
  let nrm: f64 = 0;
  for (let j = 0; j < d; j++) {
    const o = (<usize>j) << 3;
    const v = load<f64>(wi + o) + lr * load<f64>(gi + o);
    store<f64>(wi + o, v);
    nrm += v * v;
  }
  const inv = 1 / Math.sqrt(nrm);
  for (let j = 0; j < d; j++) {
    const o = (<usize>j) << 3;
    store<f64>(wi + o, load<f64>(wi + o) * inv);
  }
}

/**
 * The spherical SGD step on every row of W (m×d, unit rows) along the rows of G (multi-index's
 * sphericalStepInPlace: the same scalar operations in the same order per row, so the same bits):
 * with `tangent`, g_i ← g_i − (g_i·w_i) w_i; then w_i ← (w_i + η g_i) / ‖w_i + η g_i‖. Four rows
 * at a time, so that their sums (g_i·w_i, ‖·‖²: chains of dependent adds) run side by side.
 */
export function dsphericalstep(m: i32, d: i32, w: usize, g: usize, lr: f64, tangent: i32): void {
  const rs = (<usize>d) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const w0 = w + (<usize>i) * rs;
    const w1 = w0 + rs;
    const w2 = w1 + rs;
    const w3 = w2 + rs;
    const g0 = g + (<usize>i) * rs;
    const g1 = g0 + rs;
    const g2 = g1 + rs;
    const g3 = g2 + rs;
    if (tangent) {
      let p0: f64 = 0;
      let p1: f64 = 0;
      let p2: f64 = 0;
      let p3: f64 = 0;
      for (let j = 0; j < d; j++) {
        const o = (<usize>j) << 3;
        p0 += load<f64>(g0 + o) * load<f64>(w0 + o);
        p1 += load<f64>(g1 + o) * load<f64>(w1 + o);
        p2 += load<f64>(g2 + o) * load<f64>(w2 + o);
        p3 += load<f64>(g3 + o) * load<f64>(w3 + o);
      }
      for (let j = 0; j < d; j++) {
        const o = (<usize>j) << 3;
        store<f64>(g0 + o, load<f64>(g0 + o) - p0 * load<f64>(w0 + o));
        store<f64>(g1 + o, load<f64>(g1 + o) - p1 * load<f64>(w1 + o));
        store<f64>(g2 + o, load<f64>(g2 + o) - p2 * load<f64>(w2 + o));
        store<f64>(g3 + o, load<f64>(g3 + o) - p3 * load<f64>(w3 + o));
      }
    }
    let n0: f64 = 0;
    let n1: f64 = 0;
    let n2: f64 = 0;
    let n3: f64 = 0;
    for (let j = 0; j < d; j++) {
      const o = (<usize>j) << 3;
      const v0 = load<f64>(w0 + o) + lr * load<f64>(g0 + o);
      const v1 = load<f64>(w1 + o) + lr * load<f64>(g1 + o);
      const v2 = load<f64>(w2 + o) + lr * load<f64>(g2 + o);
      const v3 = load<f64>(w3 + o) + lr * load<f64>(g3 + o);
      store<f64>(w0 + o, v0);
      store<f64>(w1 + o, v1);
      store<f64>(w2 + o, v2);
      store<f64>(w3 + o, v3);
      n0 += v0 * v0;
      n1 += v1 * v1;
      n2 += v2 * v2;
      n3 += v3 * v3;
    }
    const i0 = 1 / Math.sqrt(n0);
    const i1 = 1 / Math.sqrt(n1);
    const i2 = 1 / Math.sqrt(n2);
    const i3 = 1 / Math.sqrt(n3);
    for (let j = 0; j < d; j++) {
      const o = (<usize>j) << 3;
      store<f64>(w0 + o, load<f64>(w0 + o) * i0);
      store<f64>(w1 + o, load<f64>(w1 + o) * i1);
      store<f64>(w2 + o, load<f64>(w2 + o) * i2);
      store<f64>(w3 + o, load<f64>(w3 + o) * i3);
    }
  }
  for (; i < m; i++) sphericalRow(d, w + (<usize>i) * rs, g + (<usize>i) * rs, lr, tangent);
}

/**
 * One teacher–student spherical SGD step (multi-index's learner): B·d standard normals into x
 * from the xoshiro128** state at `st` (zigfill), the teacher's labels y_b = Σ_k φ(v_k·x_b)
 * (dhermiteforward over the P rows of v), the student's direction G (dhermitegrad, second layer
 * fixed at a₀) and the step (dsphericalstep). `scratch` holds (B + 1)·max(m, P) doubles. Returns the
 * batch mean of r² (as dhermitegrad).
 */
export function dteacherstudent(
  B: i32,
  d: i32,
  st: usize,
  kn: usize,
  wn: usize,
  fn: usize,
  x: usize,
  y: usize,
  P: i32,
  v: usize,
  Kt: i32,
  ct: usize,
  m: i32,
  w: usize,
  K: i32,
  c: usize,
  dc: usize,
  sq: usize,
  isq: usize,
  loss: i32,
  a0: f64,
  g: usize,
  lr: f64,
  tangent: i32,
  scratch: usize,
): f64 {
  zigfill(x, B * d, st, kn, wn, fn);
  dhermiteforward(B, d, P, v, x, Kt, ct, sq, isq, y, scratch);
  const r = dhermitegrad(B, d, m, w, x, y, K, c, dc, sq, isq, loss, 0, a0, g, 0, scratch);
  dsphericalstep(m, d, w, g, lr, tangent);
  return r;
}

// ------------------------------------------------------------------ float64 gemm

// Goto-style blocking: a KC×NC panel of op(B) is packed into NR-wide column slivers, an MC×KC
// block of op(A) into MR-high row slivers, and a register-blocked MR×NR micro-kernel (4 rows ×
// 2 f64x2 = a 4×4 tile: 8 accumulators, the largest tile that fits V8's 15 usable v128
// registers without spilling) runs over them.
const MR: i32 = 4;
const NR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** Doubles of scratch `dgemm` needs at `work` (packed A block + packed B panel + one C tile). */
export function dgemmWorkSize(): i32 {
  return MC * KC + KC * NC + MR * NR;
}

/** Packs rows i0..i0+mc−1, columns p0..p0+kc−1 of op(A) into MR-high slivers (zero-padded). */
function packA(ta: i32, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ib = 0; ib < mc; ib += MR) {
    const rows = min(MR, mc - ib);
    const base = dst + (<usize>(ib * kc)) * 8;
    for (let p = 0; p < kc; p++) {
      const d = base + (<usize>(p * MR)) * 8;
      for (let r = 0; r < MR; r++) {
        let v: f64 = 0;
        if (r < rows) {
          const i = i0 + ib + r;
          const k = p0 + p;
          v = ta ? load<f64>(a + ((<usize>k * lda + i) << 3)) : load<f64>(a + ((<usize>i * lda + k) << 3));
        }
        store<f64>(d + ((<usize>r) << 3), v);
      }
    }
  }
}

/** Packs rows p0..p0+kc−1, columns j0..j0+nc−1 of op(B) into NR-wide slivers (zero-padded). */
function packB(tb: i32, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jb = 0; jb < nc; jb += NR) {
    const cols = min(NR, nc - jb);
    const base = dst + (<usize>(jb * kc)) * 8;
    if (!tb && cols == NR) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p0 + p) * ldb + j0 + jb) << 3);
        const d = base + (<usize>(p * NR)) * 8;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const d = base + (<usize>(p * NR)) * 8;
      for (let c = 0; c < NR; c++) {
        let v: f64 = 0;
        if (c < cols) {
          const k = p0 + p;
          const j = j0 + jb + c;
          v = tb ? load<f64>(b + ((<usize>j * ldb + k) << 3)) : load<f64>(b + ((<usize>k * ldb + j) << 3));
        }
        store<f64>(d + ((<usize>c) << 3), v);
      }
    }
  }
}

/** C[0..3][0..3] += α · Apack(4×kc) · Bpack(kc×4); rows/cols limit the store (edge tiles). */
function micro(kc: i32, ap: usize, bp: usize, alpha: f64, c: usize, ldc: i32, rows: i32, cols: i32, tile: usize): void {
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load64_splat(ap);
    c00 = fma2(av, b0, c00);
    c01 = fma2(av, b1, c01);
    av = v128.load64_splat(ap, 8);
    c10 = fma2(av, b0, c10);
    c11 = fma2(av, b1, c11);
    av = v128.load64_splat(ap, 16);
    c20 = fma2(av, b0, c20);
    c21 = fma2(av, b1, c21);
    av = v128.load64_splat(ap, 24);
    c30 = fma2(av, b0, c30);
    c31 = fma2(av, b1, c31);
    ap += 32;
    bp += 32;
  }
  const va = f64x2.splat(alpha);
  const rs = (<usize>ldc) << 3;
  if (rows == MR && cols == NR) {
    let r = c;
    v128.store(r, fma2(va, c00, v128.load(r)));
    v128.store(r, fma2(va, c01, v128.load(r, 16)), 16);
    r += rs;
    v128.store(r, fma2(va, c10, v128.load(r)));
    v128.store(r, fma2(va, c11, v128.load(r, 16)), 16);
    r += rs;
    v128.store(r, fma2(va, c20, v128.load(r)));
    v128.store(r, fma2(va, c21, v128.load(r, 16)), 16);
    r += rs;
    v128.store(r, fma2(va, c30, v128.load(r)));
    v128.store(r, fma2(va, c31, v128.load(r, 16)), 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const o = c + (<usize>i) * rs + ((<usize>j) << 3);
      store<f64>(o, load<f64>(o) + alpha * load<f64>(tile + ((<usize>(i * NR + j)) << 3)));
    }
  }
}

/**
 * C ← α op(A) op(B) + β C (C m×n, op(A) m×k, op(B) k×n; op = transpose when ta / tb ≠ 0).
 * `work` points at dgemmWorkSize() doubles of scratch. β = 0 does not read C.
 */
export function dgemm(
  ta: i32,
  tb: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  const rs = (<usize>ldc) << 3;
  if (beta == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>i) * rs, 0, (<usize>n) << 3);
  } else if (beta != 1) {
    for (let i = 0; i < m; i++) dscal(n, beta, c + (<usize>i) * rs);
  }
  if (alpha == 0 || k == 0) return;
  const apack = work;
  const bpack = work + (<usize>(MC * KC)) * 8;
  const tile = bpack + (<usize>(KC * NC)) * 8;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packB(tb, b, ldb, p0, j0, kc, nc, bpack);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        packA(ta, a, lda, i0, p0, mc, kc, apack);
        for (let jb = 0; jb < nc; jb += NR) {
          const cols = min(NR, nc - jb);
          const bp = bpack + (<usize>(jb * kc)) * 8;
          for (let ib = 0; ib < mc; ib += MR) {
            const rows = min(MR, mc - ib);
            micro(
              kc,
              apack + (<usize>(ib * kc)) * 8,
              bp,
              alpha,
              c + (<usize>(i0 + ib)) * rs + ((<usize>(j0 + jb)) << 3),
              ldc,
              rows,
              cols,
              tile,
            );
          }
        }
      }
    }
  }
}

// ------------------------------------------------------------------ float32

/** y[i] ← α Σ_j A[i, j] x[j] + β y[i] (float32; sums accumulate in f32x4 lanes). */
export function sgemv(m: i32, n: i32, alpha: f32, a: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  const rs = (<usize>lda) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      const xv = v128.load(x + o);
      s0 = fma4(v128.load(r0 + o), xv, s0);
      s1 = fma4(v128.load(r1 + o), xv, s1);
      s2 = fma4(v128.load(r2 + o), xv, s2);
      s3 = fma4(v128.load(r3 + o), xv, s3);
    }
    let t0 = hsum4(s0);
    let t1 = hsum4(s1);
    let t2 = hsum4(s2);
    let t3 = hsum4(s3);
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      const xj = load<f32>(x + o);
      t0 += load<f32>(r0 + o) * xj;
      t1 += load<f32>(r1 + o) * xj;
      t2 += load<f32>(r2 + o) * xj;
      t3 += load<f32>(r3 + o) * xj;
    }
    const yo = y + ((<usize>i) << 2);
    if (beta == 0) {
      store<f32>(yo, alpha * t0);
      store<f32>(yo, alpha * t1, 4);
      store<f32>(yo, alpha * t2, 8);
      store<f32>(yo, alpha * t3, 12);
    } else {
      store<f32>(yo, alpha * t0 + beta * load<f32>(yo));
      store<f32>(yo, alpha * t1 + beta * load<f32>(yo, 4), 4);
      store<f32>(yo, alpha * t2 + beta * load<f32>(yo, 8), 8);
      store<f32>(yo, alpha * t3 + beta * load<f32>(yo, 12), 12);
    }
  }
  for (; i < m; i++) {
    const r = a + (<usize>i) * rs;
    let s = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) s = fma4(v128.load(r + ((<usize>j) << 2)), v128.load(x + ((<usize>j) << 2)), s);
    let t = hsum4(s);
    for (; j < n; j++) t += load<f32>(r + ((<usize>j) << 2)) * load<f32>(x + ((<usize>j) << 2));
    const yo = y + ((<usize>i) << 2);
    store<f32>(yo, beta == 0 ? alpha * t : alpha * t + beta * load<f32>(yo));
  }
}

/** y[j] ← α Σ_i A[i, j] x[i] + β y[j] (float32). */
export function sgemvT(m: i32, n: i32, alpha: f32, a: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  if (beta == 0) memory.fill(y, 0, (<usize>n) << 2);
  else if (beta != 1) for (let j = 0; j < n; j++) store<f32>(y + ((<usize>j) << 2), beta * load<f32>(y + ((<usize>j) << 2)));
  const rs = (<usize>lda) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xo = x + ((<usize>i) << 2);
    const c0 = alpha * load<f32>(xo);
    const c1 = alpha * load<f32>(xo, 4);
    const c2 = alpha * load<f32>(xo, 8);
    const c3 = alpha * load<f32>(xo, 12);
    const v0 = f32x4.splat(c0);
    const v1 = f32x4.splat(c1);
    const v2 = f32x4.splat(c2);
    const v3 = f32x4.splat(c3);
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      let acc = v128.load(y + o);
      acc = fma4(v0, v128.load(r0 + o), acc);
      acc = fma4(v1, v128.load(r1 + o), acc);
      acc = fma4(v2, v128.load(r2 + o), acc);
      acc = fma4(v3, v128.load(r3 + o), acc);
      v128.store(y + o, acc);
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(
        y + o,
        load<f32>(y + o) + c0 * load<f32>(r0 + o) + c1 * load<f32>(r1 + o) + c2 * load<f32>(r2 + o) + c3 * load<f32>(r3 + o),
      );
    }
  }
  for (; i < m; i++) {
    const c = alpha * load<f32>(x + ((<usize>i) << 2));
    const vc = f32x4.splat(c);
    const r = a + (<usize>i) * rs;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(y + o, fma4(vc, v128.load(r + o), v128.load(y + o)));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(y + o, load<f32>(y + o) + c * load<f32>(r + o));
    }
  }
}

/** A[i, j] ← A[i, j] + α x[i] y[j] (float32). */
export function sger(m: i32, n: i32, alpha: f32, x: usize, y: usize, a: usize, lda: i32): void {
  const rs = (<usize>lda) << 2;
  for (let i = 0; i < m; i++) {
    const c = alpha * load<f32>(x + ((<usize>i) << 2));
    if (c == 0) continue;
    const vc = f32x4.splat(c);
    const r = a + (<usize>i) * rs;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(r + o, fma4(vc, v128.load(y + o), v128.load(r + o)));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(r + o, load<f32>(r + o) + c * load<f32>(y + o));
    }
  }
}

// sgemm: MR×NR = 4 rows × 8 columns (2 f32x4 per row, 8 accumulators). A is packed pre-splatted:
// each entry as an f32x4 of four copies (per 4-row tile and k, 64 bytes), so the micro-kernel
// loads its broadcasts with plain v128 loads at constant offsets from one pointer (V8 computes an
// extra address for every offset v128.load32_splat) and its loop runs on that pointer alone.
// Measured at n = 512 (CPU time, 2-core EPYC): plain SIMD 35 → 41 GFLOP/s (tfjs wasm matMul 29–31),
// relaxed SIMD 45 → 48; then the k loop unrolled by eight in separate basic blocks (see smicro):
// plain 39 → 44 (same process, under load), relaxed unchanged (FMA-pipe bound). Blocking: kc = 256
// (A micro-panel 16 KB + B micro-panel 8 KB in the 32 KB L1), mc = 64 (A block 256 KB) and nc = 512
// (B panel 512 KB) together in the 1 MB L2; kc, mc, nc from 128 to 512, 32 to 128, 128 to 512
// measured within 2–4% of each other.
//
// A packed B (packed once by src/blas/sgemmPacked.ts, then `sgemmpb` per product) is every kc×nc
// panel that sgemm's loops would pack, stored one after another (the panel of column block j0 and depth block p0 at
// float offset j0·k + p0·roundUp8(nc)): the products run the same loops and the same micro-kernel
// on it, so they give the same bits as sgemm.
const SMR: i32 = 4;
const SNR: i32 = 8;
const SKC: i32 = 256;
const SMC: i32 = 64;
const SNC: i32 = 512;

/** Floats of scratch `sgemm` needs at `work`. */
export function sgemmWorkSize(): i32 {
  return SMC * SKC * 4 + SKC * SNC + SMR * SNR;
}

/** Packs A's mc×kc block (rows i0.., columns p0..) as 4-row tiles of pre-splatted entries (16 bytes each). */
function spackA(ta: i32, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ib = 0; ib < mc; ib += SMR) {
    const rows = min(SMR, mc - ib);
    const base = dst + (<usize>(ib * kc)) * 16;
    if (!ta && rows == SMR) {
      const rs = (<usize>lda) << 2;
      const r0 = a + ((<usize>(i0 + ib) * lda + p0) << 2);
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      for (let p = 0; p < kc; p++) {
        const o = (<usize>p) << 2;
        const d = base + ((<usize>p) << 6);
        v128.store(d, v128.load32_splat(r0 + o));
        v128.store(d, v128.load32_splat(r1 + o), 16);
        v128.store(d, v128.load32_splat(r2 + o), 32);
        v128.store(d, v128.load32_splat(r3 + o), 48);
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const d = base + ((<usize>p) << 6);
      for (let r = 0; r < SMR; r++) {
        let v: f32 = 0;
        if (r < rows) {
          const i = i0 + ib + r;
          const k = p0 + p;
          v = ta ? load<f32>(a + ((<usize>k * lda + i) << 2)) : load<f32>(a + ((<usize>i * lda + k) << 2));
        }
        v128.store(d + ((<usize>r) << 4), f32x4.splat(v));
      }
    }
  }
}

function spackB(tb: i32, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jb = 0; jb < nc; jb += SNR) {
    const cols = min(SNR, nc - jb);
    const base = dst + (<usize>(jb * kc)) * 4;
    if (!tb && cols == SNR) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p0 + p) * ldb + j0 + jb) << 2);
        const d = base + (<usize>(p * SNR)) * 4;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const d = base + (<usize>(p * SNR)) * 4;
      for (let c = 0; c < SNR; c++) {
        let v: f32 = 0;
        if (c < cols) {
          const k = p0 + p;
          const j = j0 + jb + c;
          v = tb ? load<f32>(b + ((<usize>j * ldb + k) << 2)) : load<f32>(b + ((<usize>k * ldb + j) << 2));
        }
        store<f32>(d + ((<usize>c) << 2), v);
      }
    }
  }
}

function smicro(kc: i32, ap: usize, bp: usize, alpha: f32, c: usize, ldc: i32, rows: i32, cols: i32, tile: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  // The k loop: kc mod 8 single steps first, then eight steps per pass, each step in its own basic
  // block. TurboFan schedules all loads of a block at its top, so a plainly unrolled body keeps
  // every step's 6 loaded vectors live at once and spills (2× unrolled: 46 → 31 GFLOP/s; so do 5×8
  // and 6×8 tiles); one block per step keeps 6 loads + 8 accumulators + 1 product within the 15
  // usable xmm registers, while the pointer increments and V8's loop stack check are paid once per
  // eight steps. The blocks are split by `if (kc < −q) break` (never true, but V8 cannot know:
  // one fused compare-and-branch each). Same additions in the same order as a one-step loop, so
  // the same bits. Micro-kernel on L1-resident panels, plain SIMD: 46 → 52 GFLOP/s (relaxed SIMD
  // stays at 54: bound by the two FMA pipes, not by instruction dispatch).
  let b0: v128;
  let b1: v128;
  let av: v128;
  const head = ap + ((<usize>(kc & 7)) << 6);
  while (ap < head) {
    b0 = v128.load(bp, 0);
    b1 = v128.load(bp, 16);
    av = v128.load(ap, 0);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 16);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 32);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 48);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    ap += 64;
    bp += 32;
  }
  const end = ap + ((<usize>(kc & ~7)) << 6);
  while (ap < end) {
    b0 = v128.load(bp, 0);
    b1 = v128.load(bp, 16);
    av = v128.load(ap, 0);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 16);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 32);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 48);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -1) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    av = v128.load(ap, 64);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 80);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 96);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 112);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -2) break;
    b0 = v128.load(bp, 64);
    b1 = v128.load(bp, 80);
    av = v128.load(ap, 128);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 144);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 160);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 176);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -3) break;
    b0 = v128.load(bp, 96);
    b1 = v128.load(bp, 112);
    av = v128.load(ap, 192);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 208);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 224);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 240);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -4) break;
    b0 = v128.load(bp, 128);
    b1 = v128.load(bp, 144);
    av = v128.load(ap, 256);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 272);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 288);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 304);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -5) break;
    b0 = v128.load(bp, 160);
    b1 = v128.load(bp, 176);
    av = v128.load(ap, 320);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 336);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 352);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 368);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -6) break;
    b0 = v128.load(bp, 192);
    b1 = v128.load(bp, 208);
    av = v128.load(ap, 384);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 400);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 416);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 432);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    if (kc < -7) break;
    b0 = v128.load(bp, 224);
    b1 = v128.load(bp, 240);
    av = v128.load(ap, 448);
    c00 = fma4(av, b0, c00);
    c01 = fma4(av, b1, c01);
    av = v128.load(ap, 464);
    c10 = fma4(av, b0, c10);
    c11 = fma4(av, b1, c11);
    av = v128.load(ap, 480);
    c20 = fma4(av, b0, c20);
    c21 = fma4(av, b1, c21);
    av = v128.load(ap, 496);
    c30 = fma4(av, b0, c30);
    c31 = fma4(av, b1, c31);
    ap += 512;
    bp += 256;
  }
  const va = f32x4.splat(alpha);
  const rs = (<usize>ldc) << 2;
  if (rows == SMR && cols == SNR) {
    let r = c;
    v128.store(r, fma4(va, c00, v128.load(r)));
    v128.store(r, fma4(va, c01, v128.load(r, 16)), 16);
    r += rs;
    v128.store(r, fma4(va, c10, v128.load(r)));
    v128.store(r, fma4(va, c11, v128.load(r, 16)), 16);
    r += rs;
    v128.store(r, fma4(va, c20, v128.load(r)));
    v128.store(r, fma4(va, c21, v128.load(r, 16)), 16);
    r += rs;
    v128.store(r, fma4(va, c30, v128.load(r)));
    v128.store(r, fma4(va, c31, v128.load(r, 16)), 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const o = c + (<usize>i) * rs + ((<usize>j) << 2);
      store<f32>(o, load<f32>(o) + alpha * load<f32>(tile + ((<usize>(i * SNR + j)) << 2)));
    }
  }
}

/** C ← α op(A) op(B) + β C in float32 (see dgemm); `work` points at sgemmWorkSize() floats. */
export function sgemm(
  ta: i32,
  tb: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  sgemmRun(ta, tb, m, n, k, alpha, a, lda, b, ldb, 0, beta, c, ldc, work);
}

/** C ← α op(A) B + β C with op(B) packed at `bp` in the layout below (src/blas/sgemmPacked.ts packs it): same bits as sgemm. */
export function sgemmpb(
  ta: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  bp: usize,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  sgemmRun(ta, 0, m, n, k, alpha, a, lda, 0, 0, bp, beta, c, ldc, work);
}

/** sgemm's loops; B's panels packed per call from b (packed = 0) or read from the packed B at `packed`. */
function sgemmRun(
  ta: i32,
  tb: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  packed: usize,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  const rs = (<usize>ldc) << 2;
  if (beta == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>i) * rs, 0, (<usize>n) << 2);
  } else if (beta != 1) {
    for (let i = 0; i < m; i++) {
      const r = c + (<usize>i) * rs;
      for (let j = 0; j < n; j++) store<f32>(r + ((<usize>j) << 2), beta * load<f32>(r + ((<usize>j) << 2)));
    }
  }
  if (alpha == 0 || k == 0) return;
  const apack = work;
  const bwork = work + (<usize>(SMC * SKC)) * 16;
  const tile = bwork + (<usize>(SKC * SNC)) * 4;
  for (let j0 = 0; j0 < n; j0 += SNC) {
    const nc = min(SNC, n - j0);
    const ncp = (nc + SNR - 1) & ~(SNR - 1);
    for (let p0 = 0; p0 < k; p0 += SKC) {
      const kc = min(SKC, k - p0);
      let bpack = bwork;
      if (packed) bpack = packed + ((<usize>(j0 * k + p0 * ncp)) << 2);
      else spackB(tb, b, ldb, p0, j0, kc, nc, bpack);
      for (let i0 = 0; i0 < m; i0 += SMC) {
        const mc = min(SMC, m - i0);
        spackA(ta, a, lda, i0, p0, mc, kc, apack);
        for (let jb = 0; jb < nc; jb += SNR) {
          const cols = min(SNR, nc - jb);
          const bp = bpack + (<usize>(jb * kc)) * 4;
          for (let ib = 0; ib < mc; ib += SMR) {
            const rows = min(SMR, mc - ib);
            smicro(
              kc,
              apack + (<usize>(ib * kc)) * 16,
              bp,
              alpha,
              c + (<usize>(i0 + ib)) * rs + ((<usize>(j0 + jb)) << 2),
              ldc,
              rows,
              cols,
              tile,
            );
          }
        }
      }
    }
  }
}

// ------------------------------------------------------------------ normals: xoshiro128** + ziggurat
// ------------------------------------------------------------------ normals: xoshiro128** + ziggurat

// Math.exp / Math.log from the host, so that the ziggurat's wedge and tail tests take exactly the
// decisions of the JavaScript generator (src/rng.ts): the same bits, not merely the same law.
@external("env", "exp")
declare function hostExp(x: f64): f64;
@external("env", "log")
declare function hostLog(x: f64): f64;

let zs0: i32 = 0;
let zs1: i32 = 0;
let zs2: i32 = 0;
let zs3: i32 = 0;

@inline function nextWord(): i32 {
  const s0 = zs0;
  const s1 = zs1;
  const s2 = zs2;
  const s3 = zs3;
  const result = rotl<i32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  let n2 = s2 ^ s0;
  let n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  n2 ^= t;
  n3 = rotl<i32>(n3, 11);
  zs0 = n0;
  zs1 = n1;
  zs2 = n2;
  zs3 = n3;
  return result;
}

@inline function uniform53(): f64 {
  const a = <u32>nextWord() >>> 5;
  const b = <u32>nextWord() >>> 6;
  return (<f64>a * 67108864 + <f64>b) * 1.1102230246251565e-16;
}

const ZIG_R: f64 = 3.442619855899;

/**
 * The rare path of the ziggurat for a draw (hz, iz) that failed the fast test: the tail (iz = 0)
 * or the wedge test, then fresh draws until one is accepted (Rng.normal's loop). State in the
 * globals zs0..zs3.
 */
function zigslow(hz: i32, iz: i32, kn: usize, wn: usize, fn: usize): f64 {
  for (;;) {
    if (iz == 0) {
      let xt: f64 = 0;
      let yt: f64 = 0;
      do {
        xt = -hostLog(1 - uniform53()) / ZIG_R;
        yt = -hostLog(1 - uniform53());
      } while (yt + yt < xt * xt);
      return hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
    }
    const xw = <f64>hz * load<f64>(wn + ((<usize>iz) << 3));
    const f0 = load<f64>(fn + ((<usize>iz) << 3));
    const f1 = load<f64>(fn + ((<usize>(iz - 1)) << 3));
    if (f0 + uniform53() * (f1 - f0) < hostExp(-0.5 * xw * xw)) return xw;
    // rejected: a fresh draw (Rng.normal's loop)
    hz = nextWord();
    iz = nextWord() & 127;
    const ahz = <u32>(hz < 0 ? -hz : hz); // |−2³¹| = 2³¹ as u32, as in JavaScript's doubles
    if (ahz < load<u32>(kn + ((<usize>iz) << 2))) return <f64>hz * load<f64>(wn + ((<usize>iz) << 3));
  }
  return 0; // not reached (the loop returns)
}

/**
 * n standard normals into out (f64), the ziggurat of src/rng.ts step for step (xoshiro128**,
 * 128 layers, wedge and tail tests with the host's exp/log): bit-identical to the JavaScript
 * generator. `st` holds the four int32 state words (read, then written back); kn (u32), wn, fn
 * (f64) the 128-entry tables. The fast path (≈ 97% of draws) keeps the state in locals and
 * inlines xoshiro128** twice per draw (as Rng's JavaScript loop); the rare path goes through
 * the globals (zigslow).
 */
export function zigfill(out: usize, n: i32, st: usize, kn: usize, wn: usize, fn: usize): void {
  let s0 = load<i32>(st);
  let s1 = load<i32>(st, 4);
  let s2 = load<i32>(st, 8);
  let s3 = load<i32>(st, 12);
  for (let i = 0; i < n; i++) {
    // word 1 -> value
    let r = s1 * 5;
    const hz = rotl<i32>(r, 7) * 9;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<i32>(s3, 11);
    // word 2 -> layer
    r = s1 * 5;
    const iz = (rotl<i32>(r, 7) * 9) & 127;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<i32>(s3, 11);
    const ahz = <u32>(hz < 0 ? -hz : hz);
    const o = out + ((<usize>i) << 3);
    if (ahz < load<u32>(kn + ((<usize>iz) << 2))) {
      store<f64>(o, <f64>hz * load<f64>(wn + ((<usize>iz) << 3)));
      continue;
    }
    zs0 = s0;
    zs1 = s1;
    zs2 = s2;
    zs3 = s3;
    store<f64>(o, zigslow(hz, iz, kn, wn, fn));
    s0 = zs0;
    s1 = zs1;
    s2 = zs2;
    s3 = zs3;
  }
  store<i32>(st, s0);
  store<i32>(st, s1, 4);
  store<i32>(st, s2, 8);
  store<i32>(st, s3, 12);
}

// ================================================================== K2 (src/linalg owner): divide and conquer
// Kernels of the divide-and-conquer merge in src/linalg/tridiagonalDC.ts. Each is a scalar port
// of the JavaScript loop it replaces (the same operations in the same order: the same bits).

/**
 * Every root of the secular equation 1/ρ + Σ_j z_j²/(d_j − λ) = 0 of a merge (d ascending, k
 * poles; `secularRoot` in tridiagonalDC.ts): for root r, its origin pole o_r (i32 into `origin`)
 * and τ_r = λ_r − d_{o_r} (into `tau`), by Newton on h(τ) = τψ(τ) − z_o² safeguarded by bisection.
 * `delta`: k doubles of scratch. Returns −1, or the first r that did not converge in 200 steps.
 */
export function dsecular(k: i32, d: usize, z2: usize, rho: f64, zz: f64, origin: usize, tau: usize, delta: usize): i32 {
  const EPS: f64 = 2.220446049250313e-16;
  for (let r = 0; r < k; r++) {
    const last = r == k - 1;
    const dr = load<f64>(d + ((<usize>r) << 3));
    const gap = last ? rho * zz : load<f64>(d + ((<usize>(r + 1)) << 3)) - dr;
    const mid = gap / 2;
    let fmid = 1 / rho;
    for (let j = 0; j < k; j++) fmid += load<f64>(z2 + ((<usize>j) << 3)) / (load<f64>(d + ((<usize>j) << 3)) - dr - mid);
    const o = last || fmid > 0 ? r : r + 1;
    const base = load<f64>(d + ((<usize>o) << 3));
    let lo: f64;
    let hi: f64;
    if (o == r) {
      lo = 0;
      hi = last ? gap : fmid > 0 ? mid : gap;
    } else {
      lo = dr - base + mid;
      hi = 0;
    }
    let t = 0.5 * (lo + hi);
    for (let j = 0; j < k; j++) store<f64>(delta + ((<usize>j) << 3), load<f64>(d + ((<usize>j) << 3)) - base);
    const zo = load<f64>(z2 + ((<usize>o) << 3));
    let done = false;
    for (let iter = 0; iter < 200; iter++) {
      let psi = 1 / rho;
      let dpsi: f64 = 0;
      let sabs = 1 / rho;
      for (let j = 0; j < k; j++) {
        if (j == o) continue;
        const den = load<f64>(delta + ((<usize>j) << 3)) - t;
        const q = load<f64>(z2 + ((<usize>j) << 3)) / den;
        psi += q;
        dpsi += q / den;
        sabs += abs<f64>(q);
      }
      const h = t * psi - zo;
      const fPositive = t > 0 ? h > 0 : h < 0;
      if (fPositive) hi = t;
      else lo = t;
      if (abs<f64>(h) <= 8 * EPS * <f64>k * (abs<f64>(t) * sabs + zo) || hi - lo <= 2 * EPS * max<f64>(abs<f64>(lo), abs<f64>(hi))) {
        done = true;
        break;
      }
      let next = t - h / (psi + t * dpsi);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (next == t) {
        done = true;
        break;
      }
      t = next;
    }
    if (!done) return r;
    store<i32>(origin + ((<usize>r) << 2), o);
    store<f64>(tau + ((<usize>r) << 3), t);
  }
  return -1;
}

/**
 * The Gu–Eisenstat vector ẑ from the computed roots (ẑ_i² = Π_r (λ_r − d_i) / (ρ Π_{r≠i}
 * (d_r − d_i)), the sign of z_i) and the normalised eigenvectors of D + ρẑẑᵀ as the rows of `u`
 * (k×k: row r ∝ ẑ_i / (d_i − λ_r)), as the loops of `merge` in tridiagonalDC.ts. `zhat`: k doubles.
 */
export function dsecvec(k: i32, d: usize, z: usize, origin: usize, tau: usize, rho: f64, zhat: usize, u: usize): void {
  for (let i = 0; i < k; i++) {
    const di = load<f64>(d + ((<usize>i) << 3));
    let prod = (load<f64>(d + ((<usize>load<i32>(origin + ((<usize>i) << 2))) << 3)) - di + load<f64>(tau + ((<usize>i) << 3))) / rho;
    for (let r = 0; r < k; r++) {
      if (r == i) continue;
      const lr = load<f64>(d + ((<usize>load<i32>(origin + ((<usize>r) << 2))) << 3)) - di + load<f64>(tau + ((<usize>r) << 3));
      prod *= lr / (load<f64>(d + ((<usize>r) << 3)) - di);
    }
    const zi = load<f64>(z + ((<usize>i) << 3));
    const sg: f64 = zi > 0 ? 1 : zi < 0 ? -1 : zi;
    store<f64>(zhat + ((<usize>i) << 3), sg * sqrt<f64>(max<f64>(prod, 0)));
  }
  for (let r = 0; r < k; r++) {
    const row = u + (((<usize>r) * (<usize>k)) << 3);
    const lam = load<f64>(d + ((<usize>load<i32>(origin + ((<usize>r) << 2))) << 3));
    const tr = load<f64>(tau + ((<usize>r) << 3));
    let nrm: f64 = 0;
    for (let i = 0; i < k; i++) {
      const v = load<f64>(zhat + ((<usize>i) << 3)) / (load<f64>(d + ((<usize>i) << 3)) - lam - tr);
      store<f64>(row + ((<usize>i) << 3), v);
      nrm += v * v;
    }
    const inv = 1 / sqrt<f64>(nrm);
    for (let i = 0; i < k; i++) store<f64>(row + ((<usize>i) << 3), load<f64>(row + ((<usize>i) << 3)) * inv);
  }
}

// ================================================================== O (FORKS)
// The steady-state round of forks-okl's FORKS learner (φ = Qᵀκ, the projected online-Newton step
// with its Sherman–Morrison update of A⁻¹). Plain multiply-then-add in every build (no fma2), in
// the operation order of the JavaScript versions in src/blas/onsKernels.ts, so wasm and JavaScript
// give the same bits (and the learner the same bits as before these kernels existed).

/**
 * y[j] ← Σ_i x[i] A[i, j] (A m×n, ld n), accumulated over i in order from 0 for every j (each lane
 * of the f64x2 sums is one column: the scalar order). Four rows per pass share the loads/stores of y.
 */
export function dgemvtord(m: i32, n: i32, a: usize, x: usize, y: usize): void {
  memory.fill(y, 0, (<usize>n) << 3);
  const rs = (<usize>n) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xo = x + ((<usize>i) << 3);
    const c0 = load<f64>(xo);
    const c1 = load<f64>(xo, 8);
    const c2 = load<f64>(xo, 16);
    const c3 = load<f64>(xo, 24);
    const v0 = f64x2.splat(c0);
    const v1 = f64x2.splat(c1);
    const v2 = f64x2.splat(c2);
    const v3 = f64x2.splat(c3);
    const r0 = a + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      let acc = v128.load(y + o);
      acc = f64x2.add(acc, f64x2.mul(v128.load(r0 + o), v0));
      acc = f64x2.add(acc, f64x2.mul(v128.load(r1 + o), v1));
      acc = f64x2.add(acc, f64x2.mul(v128.load(r2 + o), v2));
      acc = f64x2.add(acc, f64x2.mul(v128.load(r3 + o), v3));
      v128.store(y + o, acc);
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      let t = load<f64>(y + o);
      t += load<f64>(r0 + o) * c0;
      t += load<f64>(r1 + o) * c1;
      t += load<f64>(r2 + o) * c2;
      t += load<f64>(r3 + o) * c3;
      store<f64>(y + o, t);
    }
  }
  for (; i < m; i++) {
    const c = load<f64>(x + ((<usize>i) << 3));
    const vc = f64x2.splat(c);
    const r = a + (<usize>i) * rs;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(v128.load(r + o), vc)));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(y + o, load<f64>(y + o) + load<f64>(r + o) * c);
    }
  }
}

/**
 * One projected online-Newton step with its Sherman–Morrison update, in place on w (k) and the
 * k×k A⁻¹ (ld k), for φ (k) and step scale γ; `av` is k of scratch, `out` two doubles:
 *   a = A⁻¹φ (per pair of rows: even and odd columns summed apart, the odd tail column added to
 *   the even sum, then even + odd; the last row of an odd k: one sum in column order), out[0] = φᵀa (in order), w += γa and z = φᵀw (in order),
 *   projection w −= (sign(z)(|z| − C)/(φᵀa + ε))·a when |z| > C,
 *   with s ≠ 0: a ← s·a, out[1] = q = s²·φᵀa and, when −1 < q < ∞, A⁻¹ −= (a_i/(1 + q))·a row by row
 *   (rows with a zero coefficient skipped). Returns z.
 */
export function dons(k: i32, w: usize, ai: usize, phi: usize, gamma: f64, bound: f64, guard: f64, s: f64, av: usize, out: usize): f64 {
  const rs = (<usize>k) << 3;
  // a = A⁻¹φ: four rows per pass (four independent add chains; each row's sums in its own order)
  const kEven = k & ~1;
  let i = 0;
  for (; i + 4 <= kEven; i += 4) {
    const r0 = ai + (<usize>i) * rs;
    const r1 = r0 + rs;
    const r2 = r1 + rs;
    const r3 = r2 + rs;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= k; j += 2) {
      const o = (<usize>j) << 3;
      const pv = v128.load(phi + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(r0 + o), pv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(r1 + o), pv));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(r2 + o), pv));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(r3 + o), pv));
    }
    let e0 = f64x2.extract_lane(s0, 0);
    let e1 = f64x2.extract_lane(s1, 0);
    let e2 = f64x2.extract_lane(s2, 0);
    let e3 = f64x2.extract_lane(s3, 0);
    if (j < k) {
      const o = (<usize>j) << 3;
      const pj = load<f64>(phi + o);
      e0 += load<f64>(r0 + o) * pj;
      e1 += load<f64>(r1 + o) * pj;
      e2 += load<f64>(r2 + o) * pj;
      e3 += load<f64>(r3 + o) * pj;
    }
    const ao = av + ((<usize>i) << 3);
    store<f64>(ao, e0 + f64x2.extract_lane(s0, 1));
    store<f64>(ao, e1 + f64x2.extract_lane(s1, 1), 8);
    store<f64>(ao, e2 + f64x2.extract_lane(s2, 1), 16);
    store<f64>(ao, e3 + f64x2.extract_lane(s3, 1), 24);
  }
  for (; i + 2 <= k; i += 2) {
    const r0 = ai + (<usize>i) * rs;
    const r1 = r0 + rs;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= k; j += 2) {
      const o = (<usize>j) << 3;
      const pv = v128.load(phi + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(r0 + o), pv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(r1 + o), pv));
    }
    let e0 = f64x2.extract_lane(s0, 0);
    let e1 = f64x2.extract_lane(s1, 0);
    if (j < k) {
      const o = (<usize>j) << 3;
      const pj = load<f64>(phi + o);
      e0 += load<f64>(r0 + o) * pj;
      e1 += load<f64>(r1 + o) * pj;
    }
    store<f64>(av + ((<usize>i) << 3), e0 + f64x2.extract_lane(s0, 1));
    store<f64>(av + ((<usize>i) << 3), e1 + f64x2.extract_lane(s1, 1), 8);
  }
  if (i < k) {
    // the last row of an odd k: one sum in column order
    const r0 = ai + (<usize>i) * rs;
    let e0: f64 = 0;
    for (let j = 0; j < k; j++) e0 += load<f64>(r0 + ((<usize>j) << 3)) * load<f64>(phi + ((<usize>j) << 3));
    store<f64>(av + ((<usize>i) << 3), e0);
  }
  // φᵀa; w += γa; z = φᵀw
  let phiA: f64 = 0;
  let z: f64 = 0;
  for (let t = 0; t < k; t++) {
    const o = (<usize>t) << 3;
    const p = load<f64>(phi + o);
    const at = load<f64>(av + o);
    phiA += p * at;
    const wt = load<f64>(w + o) + gamma * at;
    store<f64>(w + o, wt);
    z += p * wt;
  }
  store<f64>(out, phiA);
  const excess = Math.abs(z) - bound;
  if (excess > 0) {
    const c = (z > 0 ? excess : -excess) / (phiA + guard);
    for (let t = 0; t < k; t++) {
      const o = (<usize>t) << 3;
      store<f64>(w + o, load<f64>(w + o) - c * load<f64>(av + o));
    }
  }
  if (s == 0) return z;
  for (let t = 0; t < k; t++) {
    const o = (<usize>t) << 3;
    store<f64>(av + o, load<f64>(av + o) * s);
  }
  const q = s * s * phiA;
  store<f64>(out, q, 8);
  if (!(q > -1 && q < Infinity)) return z;
  const alpha = -1 / (1 + q);
  for (let r = 0; r < k; r++) {
    const c = alpha * load<f64>(av + ((<usize>r) << 3));
    if (c == 0) continue;
    const row = ai + (<usize>r) * rs;
    const vc = f64x2.splat(c);
    let j = 0;
    for (; j + 2 <= k; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(row + o, f64x2.add(v128.load(row + o), f64x2.mul(vc, v128.load(av + o))));
    }
    if (j < k) {
      const o = (<usize>j) << 3;
      store<f64>(row + o, load<f64>(row + o) + c * load<f64>(av + o));
    }
  }
  return z;
}
