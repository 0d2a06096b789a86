/**
 * Test-only float64 re-implementations of the package's models on hyper-dual scalars, with the
 * parameters in `flattenTree` order: loss, gradient and exact H·v to compare the tfjs autodiff
 * against. Written independently of the tfjs code (plain loops), from the same definitions.
 * Not exported from the package.
 * @module
 */
import {
  type HD,
  HD as HDc,
  add,
  addc,
  constRows,
  denseRef,
  gelu,
  layerNormRef,
  mul,
  params,
  readout,
  relu,
  scale,
  softmax,
  softmaxCE,
  softplus,
  sub,
  sum,
  tanh,
} from './hyperDual';

export type Act = 'relu' | 'tanh';

function act(x: HD, a: Act): HD {
  return a === 'relu' ? relu(x) : tanh(x);
}

/** Mean softmax CE of an MLP with layer sizes `sizes` on rows X [n, sizes[0]], labels y. */
export function mlpRef(
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  sizes: number[],
  X: ArrayLike<number>,
  y: number[],
  a: Act,
) {
  const P = params(w, v);
  let h = constRows(X, y.length, sizes[0]);
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const r = denseRef(h, P, off, sizes[l], sizes[l + 1]);
    off = r.next;
    h = l + 2 === sizes.length ? r.y : r.y.map((row) => row.map((u) => act(u, a)));
  }
  return readout(softmaxCE(h, y), w.length);
}

/** Mean logistic loss softplus(z) − y z of a linear model z = x·W + b (W [d, 1]). */
export function logisticRef(
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  d: number,
  X: ArrayLike<number>,
  y: number[],
) {
  const P = params(w, v);
  const { y: z } = denseRef(constRows(X, y.length, d), P, 0, d, 1);
  const per = z.map((row, i) => sub(softplus(row[0]), scale(row[0], y[i])));
  return readout(scale(sum(per), 1 / y.length), w.length);
}

/** Mean squared error of a tanh MLP against targets Y [n, out]. */
export function mseRef(
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  sizes: number[],
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  n: number,
) {
  const P = params(w, v);
  let h = constRows(X, n, sizes[0]);
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const r = denseRef(h, P, off, sizes[l], sizes[l + 1]);
    off = r.next;
    h = l + 2 === sizes.length ? r.y : r.y.map((row) => row.map((u) => tanh(u)));
  }
  const out = sizes[sizes.length - 1];
  const terms: HD[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < out; j++) {
      const e = addc(h[i][j], -Y[i * out + j]);
      terms.push(mul(e, e));
    }
  return readout(scale(sum(terms), 1 / (n * out)), w.length);
}

type Img = HD[][][]; // [H][W][C]

function convRef(x: Img, P: HD[], off: number, k: number, C: number, O: number): { y: Img; next: number } {
  const H = x.length;
  const W = x[0].length;
  const p = (k - 1) / 2;
  const y: Img = [];
  for (let i = 0; i < H; i++) {
    const rowOut: HD[][] = [];
    for (let j = 0; j < W; j++) {
      const px: HD[] = [];
      for (let o = 0; o < O; o++) {
        let s = P[off + k * k * C * O + o];
        for (let a = 0; a < k; a++)
          for (let b = 0; b < k; b++) {
            const ii = i + a - p;
            const jj = j + b - p;
            if (ii < 0 || jj < 0 || ii >= H || jj >= W) continue;
            for (let c = 0; c < C; c++) s = add(s, mul(x[ii][jj][c], P[off + ((a * k + b) * C + c) * O + o]));
          }
        px.push(s);
      }
      rowOut.push(px);
    }
    y.push(rowOut);
  }
  return { y, next: off + k * k * C * O + O };
}

function maxPoolRef(x: Img): Img {
  const H = Math.floor(x.length / 2);
  const W = Math.floor(x[0].length / 2);
  const C = x[0][0].length;
  const y: Img = [];
  for (let i = 0; i < H; i++) {
    const row: HD[][] = [];
    for (let j = 0; j < W; j++) {
      const px: HD[] = [];
      for (let c = 0; c < C; c++) {
        let best = x[2 * i][2 * j][c];
        for (const [di, dj] of [
          [0, 1],
          [1, 0],
          [1, 1],
        ]) {
          const cand = x[2 * i + di][2 * j + dj][c];
          if (cand.v > best.v) best = cand;
        }
        px.push(best);
      }
      row.push(px);
    }
    y.push(row);
  }
  return y;
}

/** Mean softmax CE of `cnn({ inputShape: [H, W, C], channels, classes, kernelSize: k })` (relu). */
export function cnnRef(
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  shape: [number, number, number],
  channels: number[],
  classes: number,
  k: number,
  X: ArrayLike<number>,
  y: number[],
) {
  const P = params(w, v);
  const [H, W, C] = shape;
  let off = 0;
  const logits: HD[][] = [];
  const offsets: number[] = [];
  for (let n = 0; n < y.length; n++) {
    let img: Img = [];
    for (let i = 0; i < H; i++) {
      const row: HD[][] = [];
      for (let j = 0; j < W; j++) {
        const px: HD[] = [];
        for (let c = 0; c < C; c++) px.push(HDc.c(X[((n * H + i) * W + j) * C + c]));
        row.push(px);
      }
      img.push(row);
    }
    off = 0;
    let c = C;
    for (const out of channels) {
      const r = convRef(img, P, off, k, c, out);
      off = r.next;
      img = maxPoolRef(r.y.map((row) => row.map((px) => px.map(relu))));
      c = out;
    }
    const flat: HD[] = [];
    for (const row of img) for (const px of row) for (const u of px) flat.push(u);
    const r = denseRef([flat], P, off, flat.length, classes);
    offsets.push(r.next);
    logits.push(r.y[0]);
  }
  return readout(softmaxCE(logits, y), w.length);
}

export interface TransformerRefConfig {
  vocab: number;
  maxLength: number;
  dim: number;
  heads: number;
  layers: number;
  mlpRatio: number;
  task: 'classify' | 'nextToken';
  classes: number;
}

/**
 * Mean softmax CE of the package's transformer: classification with mean pooling (no padding)
 * against labels [B], or next-token prediction against targets [B·T].
 */
export function transformerRef(
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  cfg: TransformerRefConfig,
  tokens: number[][],
  labels: number[],
) {
  const P = params(w, v);
  const { vocab, maxLength, dim: d, heads, layers, mlpRatio, task } = cfg;
  const out = task === 'classify' ? cfg.classes : vocab;
  const hid = mlpRatio * d;
  const dh = d / heads;
  const posOff = vocab * d;
  let off = posOff + maxLength * d;
  const blockOffs: number[] = [];
  const blockSize = 2 * d + d * 3 * d + 3 * d + d * d + d + 2 * d + d * hid + hid + hid * d + d;
  for (let l = 0; l < layers; l++) {
    blockOffs.push(off);
    off += blockSize;
  }
  const normOff = off;
  const headOff = normOff + 2 * d;
  const allLogits: HD[][] = [];
  const pooled: HD[][] = [];
  for (const seq of tokens) {
    const T = seq.length;
    let h: HD[][] = seq.map((tok, t) =>
      Array.from({ length: d }, (_, j) => add(P[tok * d + j], P[posOff + t * d + j])),
    );
    for (const b0 of blockOffs) {
      let o = b0;
      const ln1 = o;
      o += 2 * d;
      const wqkv = o;
      o += d * 3 * d;
      const bqkv = o;
      o += 3 * d;
      const wo = o;
      o += d * d;
      const bo = o;
      o += d;
      const ln2 = o;
      o += 2 * d;
      const w1 = o;
      o += d * hid;
      const b1 = o;
      o += hid;
      const w2 = o;
      o += hid * d;
      const b2 = o;
      const z = h.map((row) => layerNormRef(row, P, ln1));
      const qkv = denseRef(z, P, wqkv, d, 3 * d, false).y.map((row) =>
        row.map((u, j) => add(u, P[bqkv + j])),
      );
      const merged: HD[][] = Array.from({ length: T }, () => new Array<HD>(d));
      for (let hh = 0; hh < heads; hh++) {
        for (let t = 0; t < T; t++) {
          const scores: HD[] = [];
          for (let s = 0; s <= t; s++) {
            const dots: HD[] = [];
            for (let j = 0; j < dh; j++) dots.push(mul(qkv[t][hh * dh + j], qkv[s][d + hh * dh + j]));
            scores.push(scale(sum(dots), 1 / Math.sqrt(dh)));
          }
          const p = softmax(scores);
          for (let j = 0; j < dh; j++) {
            merged[t][hh * dh + j] = sum(p.map((ps, s) => mul(ps, qkv[s][2 * d + hh * dh + j])));
          }
        }
      }
      const attn = denseRef(merged, P, wo, d, d, false).y.map((row) => row.map((u, j) => add(u, P[bo + j])));
      const h1 = h.map((row, t) => row.map((u, j) => add(u, attn[t][j])));
      const z2 = h1.map((row) => layerNormRef(row, P, ln2));
      const m1 = denseRef(z2, P, w1, d, hid, false).y.map((row) =>
        row.map((u, j) => gelu(add(u, P[b1 + j]))),
      );
      const m2 = denseRef(m1, P, w2, hid, d, false).y.map((row) => row.map((u, j) => add(u, P[b2 + j])));
      h = h1.map((row, t) => row.map((u, j) => add(u, m2[t][j])));
    }
    const zf = h.map((row) => layerNormRef(row, P, normOff));
    if (task === 'nextToken') {
      for (const row of denseRef(zf, P, headOff, d, out).y) allLogits.push(row);
    } else {
      pooled.push(Array.from({ length: d }, (_, j) => scale(sum(zf.map((row) => row[j])), 1 / T)));
    }
  }
  const logits = task === 'nextToken' ? allLogits : denseRef(pooled, P, headOff, d, out).y;
  return readout(softmaxCE(logits, labels), w.length);
}
