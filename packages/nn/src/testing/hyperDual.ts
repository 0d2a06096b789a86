/**
 * Test-only float64 reference for values, gradients and Hessian-vector products: a forward-mode
 * "hyper-dual" scalar that carries, for a fixed direction v over d parameters w,
 *
 *   v  = q,   g = ∂q/∂w (d-vector),   t = ∂q/∂w · v,   gt = ∂²q/∂w∂w · v (d-vector),
 *
 * so evaluating a network on such scalars gives the loss L, ∇L (= L.g) and H·v (= L.gt) exactly
 * (up to float64 round-off) in one pass, with no finite differences (which are wrong on ReLU
 * networks at any float32 step). Kinks use the same one-sided choices as tfjs (relu'(0) = 0).
 * Not exported from the package.
 * @module
 */

/** A hyper-dual scalar (see the module notes); `g`/`gt` null means identically zero. */
export class HD {
  constructor(
    readonly v: number,
    readonly g: Float64Array | null,
    readonly t: number,
    readonly gt: Float64Array | null,
  ) {}

  static c(x: number): HD {
    return new HD(x, null, 0, null);
  }
}

/** Parameter i of d with value w and direction component vi. */
export function param(i: number, d: number, w: number, vi: number): HD {
  const g = new Float64Array(d);
  g[i] = 1;
  return new HD(w, g, vi, null);
}

function lin(a: Float64Array | null, sa: number, b: Float64Array | null, sb: number): Float64Array | null {
  if (a === null && b === null) return null;
  const n = (a ?? b)!.length;
  const out = new Float64Array(n);
  if (a !== null && sa !== 0) for (let i = 0; i < n; i++) out[i] += sa * a[i];
  if (b !== null && sb !== 0) for (let i = 0; i < n; i++) out[i] += sb * b[i];
  return out;
}

export function add(a: HD, b: HD): HD {
  return new HD(a.v + b.v, lin(a.g, 1, b.g, 1), a.t + b.t, lin(a.gt, 1, b.gt, 1));
}

export function sub(a: HD, b: HD): HD {
  return new HD(a.v - b.v, lin(a.g, 1, b.g, -1), a.t - b.t, lin(a.gt, 1, b.gt, -1));
}

export function scale(a: HD, s: number): HD {
  return new HD(a.v * s, lin(a.g, s, null, 0), a.t * s, lin(a.gt, s, null, 0));
}

export function addc(a: HD, c: number): HD {
  return new HD(a.v + c, a.g, a.t, a.gt);
}

export function mul(a: HD, b: HD): HD {
  const g = lin(a.g, b.v, b.g, a.v);
  let gt = lin(a.gt, b.v, b.gt, a.v);
  const cross = lin(a.g, b.t, b.g, a.t);
  if (cross !== null) gt = gt === null ? cross : lin(gt, 1, cross, 1);
  return new HD(a.v * b.v, g, a.t * b.v + a.v * b.t, gt);
}

/** f(a) for a scalar function with derivatives f1 = f'(a.v), f2 = f''(a.v). */
export function unary(a: HD, f0: number, f1: number, f2: number): HD {
  const g = lin(a.g, f1, null, 0);
  let gt = lin(a.gt, f1, null, 0);
  const cross = lin(a.g, f2 * a.t, null, 0);
  if (cross !== null) gt = gt === null ? cross : lin(gt, 1, cross, 1);
  return new HD(f0, g, f1 * a.t, gt);
}

export function div(a: HD, b: HD): HD {
  const inv = unary(b, 1 / b.v, -1 / (b.v * b.v), 2 / (b.v * b.v * b.v));
  return mul(a, inv);
}

export function exp(a: HD): HD {
  const e = Math.exp(a.v);
  return unary(a, e, e, e);
}

export function log(a: HD): HD {
  return unary(a, Math.log(a.v), 1 / a.v, -1 / (a.v * a.v));
}

export function tanh(a: HD): HD {
  const t = Math.tanh(a.v);
  return unary(a, t, 1 - t * t, -2 * t * (1 - t * t));
}

export function relu(a: HD): HD {
  return a.v > 0 ? a : HD.c(0);
}

export function sqrt(a: HD): HD {
  const s = Math.sqrt(a.v);
  return unary(a, s, 0.5 / s, -0.25 / (s * a.v));
}

export function rsqrt(a: HD): HD {
  const r = 1 / Math.sqrt(a.v);
  return unary(a, r, (-0.5 * r) / a.v, (0.75 * r) / (a.v * a.v));
}

export function softplus(a: HD): HD {
  const s = 1 / (1 + Math.exp(-a.v));
  const sp = Math.max(a.v, 0) + Math.log1p(Math.exp(-Math.abs(a.v)));
  return unary(a, sp, s, s * (1 - s));
}

export function sigmoid(a: HD): HD {
  const s = 1 / (1 + Math.exp(-a.v));
  return unary(a, s, s * (1 - s), s * (1 - s) * (1 - 2 * s));
}

export function gelu(a: HD): HD {
  const c = Math.sqrt(2 / Math.PI);
  const inner = scale(add(a, scale(mul(a, mul(a, a)), 0.044715)), c);
  return mul(scale(a, 0.5), addc(tanh(inner), 1));
}

export function sum(xs: HD[]): HD {
  let s = HD.c(0);
  for (const x of xs) s = add(s, x);
  return s;
}

/** log Σ exp(x) with a constant max shift. */
export function logSumExp(xs: HD[]): HD {
  let m = -Infinity;
  for (const x of xs) m = Math.max(m, x.v);
  return addc(log(sum(xs.map((x) => exp(addc(x, -m))))), m);
}

export function softmax(xs: HD[]): HD[] {
  const l = logSumExp(xs);
  return xs.map((x) => exp(sub(x, l)));
}

/** Mean softmax cross-entropy of rows of logits against class ids. */
export function softmaxCE(logits: HD[][], labels: number[]): HD {
  const per = logits.map((row, i) => sub(logSumExp(row), row[labels[i]]));
  return scale(sum(per), 1 / logits.length);
}

/** The parameters w (tree order) as hyper-dual scalars along direction v. */
export function params(w: ArrayLike<number>, v: ArrayLike<number>): HD[] {
  const d = w.length;
  return Array.from({ length: d }, (_, i) => param(i, d, w[i], v[i]));
}

/** Value, gradient and H·v of a scalar loss. */
export function readout(L: HD, d: number): { value: number; grad: Float64Array; hv: Float64Array } {
  return { value: L.v, grad: L.g ?? new Float64Array(d), hv: L.gt ?? new Float64Array(d) };
}

/** y[b][j] = Σ_i x[b][i] W[i][j] + b[j] with W, b sliced from the flat parameter list. */
export function denseRef(
  x: HD[][],
  P: HD[],
  offset: number,
  inputs: number,
  units: number,
  bias = true,
): { y: HD[][]; next: number } {
  const y = x.map((row) => {
    const out: HD[] = [];
    for (let j = 0; j < units; j++) {
      let s = bias ? P[offset + inputs * units + j] : HD.c(0);
      for (let i = 0; i < inputs; i++) s = add(s, mul(row[i], P[offset + i * units + j]));
      out.push(s);
    }
    return out;
  });
  return { y, next: offset + inputs * units + (bias ? units : 0) };
}

/** Layer norm of a row with γ, β at P[offset..] (ε = 1e-5). */
export function layerNormRef(row: HD[], P: HD[], offset: number, eps = 1e-5): HD[] {
  const n = row.length;
  const mu = scale(sum(row), 1 / n);
  const xc = row.map((x) => sub(x, mu));
  const variance = scale(sum(xc.map((x) => mul(x, x))), 1 / n);
  const r = rsqrt(addc(variance, eps));
  return xc.map((x, i) => add(mul(mul(x, r), P[offset + i]), P[offset + n + i]));
}

/** Constant input rows as hyper-dual constants. */
export function constRows(data: ArrayLike<number>, rows: number, cols: number): HD[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => HD.c(data[r * cols + c])),
  );
}
