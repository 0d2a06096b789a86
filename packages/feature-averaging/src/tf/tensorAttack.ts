/**
 * PGD-ℓ₂ robust accuracy on tfjs tensors: the same attack as {@link pgdL2} (random start in
 * the ε-ball, `steps` normalised-gradient steps of `stepSize`, projection, a row counts as
 * broken once any iterate is misclassified), with the big products [n, d]·[d, M] and
 * [n, M]·[M, d] on the backend (wasm) and the small per-row bookkeeping in float64 on the host.
 * The input gradient is the analytic Σ_r ρ_r 1[pre_r > 0] w_r, so no autodiff is involved (and
 * none of the ops whose gradients fail on wasm).
 * @module
 */
import { Rng, ShapeError, option, resolveOptions } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import {
  type BinaryReadout,
  type TwoLayerParams,
  type TwoLayerReLU,
  checkParams,
  rowsOf,
} from '../twoLayerReLU';

/** Options of {@link robustAccuracyTensor}. */
export interface RobustAccuracyTensorOptions {
  /** Radii ε ≥ 0. */
  radii: ArrayLike<number>;
  /** Ascent steps (default 40). */
  steps?: number;
  /** Step length as a multiple of ε/steps (default 2.5, i.e. step 2.5·ε/steps). */
  stepFactor?: number;
  /** Random start in the ε-ball (default true). */
  randomStart?: boolean;
  /** Seed of the random starts; radius index i uses `Rng(seed).fold('pgd-start', i)` (default 0). */
  seed?: number | string;
}

/**
 * Robust accuracy of the binary decision under PGD-ℓ₂ at each radius, on tensors. Agrees with
 * the float64 `robustAccuracyCurve` up to float32 rounding (same random starts).
 */
export function robustAccuracyTensor(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
  y: ArrayLike<number>,
  options: RobustAccuracyTensorOptions,
): number[] {
  const o = resolveOptions(
    options,
    {
      radii: option.vector({ required: true }),
      steps: option.integer({ min: 0, default: 40 }),
      stepFactor: option.number({ min: 0, default: 2.5 }),
      randomStart: option.boolean({ default: true }),
      seed: option.seed(),
    },
    { name: 'robustAccuracyTensor options' },
  );
  checkParams(model, params);
  const { d, neurons: M, outputs: out, head } = model;
  const n = rowsOf(X, d);
  if (y == null || y.length !== n) throw new ShapeError(`y must have length n = ${n}, got ${y?.length}`, 'y');
  if (!(readout?.sign instanceof Float64Array) || readout.sign.length !== out) {
    throw new ShapeError(`readout must be a BinaryReadout with ${out} signs`, 'readout');
  }
  for (let i = 0; i < o.radii.length; i++) {
    if (!(o.radii[i] >= 0)) throw new ShapeError(`radii[${i}] must be >= 0, got ${o.radii[i]}`, 'radii');
  }
  const root = new Rng(o.seed);
  const Wt = new Float32Array(d * M);
  for (let r = 0; r < M; r++) for (let t = 0; t < d; t++) Wt[t * M + r] = params.W[r * d + t];
  const x = tf.tensor2d(Float32Array.from(X), [n, d]);
  const wt = tf.tensor2d(Wt, [d, M]);
  const w = tf.transpose(wt);
  const b = tf.tensor1d(Float32Array.from(params.b));
  try {
    return Array.from(o.radii, (eps, k) =>
      attackOne(
        readout,
        x,
        wt,
        w,
        b,
        y,
        n,
        d,
        M,
        out,
        head,
        eps,
        o.steps,
        (o.stepFactor * eps) / Math.max(1, o.steps),
        o.randomStart,
        root.fold('pgd-start', k),
      ),
    );
  } finally {
    tf.dispose([x, wt, w, b]);
  }
}

function attackOne(
  readout: BinaryReadout,
  x: tf.Tensor2D,
  wt: tf.Tensor2D,
  w: tf.Tensor,
  b: tf.Tensor1D,
  y: ArrayLike<number>,
  n: number,
  d: number,
  M: number,
  o: number,
  head: Float64Array,
  eps: number,
  steps: number,
  stepSize: number,
  randomStart: boolean,
  rng: Rng,
): number {
  let delta: tf.Tensor2D;
  if (randomStart && eps > 0) {
    // the same draws as the float64 pgdL2: per row a normal direction and radius ε·U^{1/d}
    const init = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const g = rng.normalArray(d);
      let s = 0;
      for (let t = 0; t < d; t++) s += g[t] * g[t];
      const r = (eps * rng.uniform() ** (1 / d)) / Math.sqrt(s);
      for (let t = 0; t < d; t++) init[i * d + t] = r * g[t];
    }
    delta = tf.tensor2d(init, [n, d]);
  } else delta = tf.zeros([n, d]);
  const broken = new Uint8Array(n);
  const coef = new Float32Array(n * M);
  const rowScale = new Float32Array(n);
  const outRow = new Float64Array(o);
  try {
    for (let it = 0; it <= steps; it++) {
      const pre = tf.tidy(() => tf.add(tf.matMul(tf.add(x, delta), wt), b).dataSync());
      // scores and per-row neuron coefficients ρ_i·1[pre > 0] (float64 on the host)
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < o; c++) {
          let v = 0;
          for (let r = 0; r < M; r++) {
            const a = pre[i * M + r];
            if (a > 0) v += head[c * M + r] * a;
          }
          outRow[c] = v;
        }
        let score = 0;
        let cp = -1;
        let cn = -1;
        if (readout.mode === 'sum') {
          for (let c = 0; c < o; c++) score += readout.sign[c] * outRow[c];
        } else {
          for (let c = 0; c < o; c++) {
            if (readout.sign[c] > 0) {
              if (cp < 0 || outRow[c] > outRow[cp]) cp = c;
            } else if (cn < 0 || outRow[c] > outRow[cn]) cn = c;
          }
          score = outRow[cp] - outRow[cn];
        }
        if (y[i] * score <= 0) broken[i] = 1;
        for (let r = 0; r < M; r++) {
          let rho = 0;
          if (readout.mode === 'sum') for (let c = 0; c < o; c++) rho += readout.sign[c] * head[c * M + r];
          else rho = head[cp * M + r] - head[cn * M + r];
          coef[i * M + r] = !broken[i] && pre[i * M + r] > 0 ? rho : 0;
        }
      }
      if (it === steps) break;
      // G = C·W (n×d); step −y·α·G/‖G‖ on the rows still standing, then project onto ‖δ‖ ≤ ε
      const next = tf.tidy(() => {
        const G = tf.matMul(tf.tensor2d(coef, [n, M]), w);
        const gn = tf.norm(G, 'euclidean', 1).dataSync();
        for (let i = 0; i < n; i++) rowScale[i] = gn[i] > 0 ? (-y[i] * stepSize) / gn[i] : 0;
        const moved = tf.add(delta, tf.mul(G, tf.tensor2d(rowScale, [n, 1])));
        const dn = tf.norm(moved, 'euclidean', 1).dataSync();
        for (let i = 0; i < n; i++) rowScale[i] = dn[i] > eps ? eps / dn[i] : 1;
        return tf.mul(moved, tf.tensor2d(rowScale, [n, 1])) as tf.Tensor2D;
      });
      delta.dispose();
      delta = next;
    }
  } finally {
    delta.dispose();
  }
  let standing = 0;
  for (let i = 0; i < n; i++) if (!broken[i]) standing++;
  return standing / n;
}
