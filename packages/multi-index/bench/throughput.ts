/**
 * Samples per second of one spherical SGD step: plain Float64Array loops (what the package uses)
 * versus the same step as batched tfjs ops on the active backend (float32). The issue asks to
 * choose by this number; the implementation notes predict per-op overhead dominates at d ≤ 128.
 * @module
 */
import { type BenchContext, type BenchRecord, Rng, recordMedian } from '@descent/tensor';
import { backendInfo, ready, tf } from '@descent/tensor/tf';
import { HermiteSeries } from '../src/hermiteSeries';
import { MultiIndexTarget } from '../src/multiIndexTarget';
import { normalizeRows, sphericalStep } from '../src/sphericalStep';
import { studentGradient } from '../src/studentGradient';

/** One squared-loss spherical step with tfjs ops; returns the new W (m×d). */
function tfjsStep(
  W: Float32Array,
  X: Float32Array,
  y: Float32Array,
  B: number,
  m: number,
  d: number,
  s: HermiteSeries,
  a0: number,
  lr: number,
): Float32Array {
  return tf.tidy((): Float32Array => {
    const Xt = tf.tensor2d(X, [B, d]);
    const Wt = tf.tensor2d(W, [m, d]);
    const Z = tf.matMul(Xt, Wt, false, true); // B×m pre-activations
    // Hermite recurrence on tensors: h_{j+1} = (Z h_j − √j h_{j−1})/√(j+1)
    let prev: tf.Tensor = tf.onesLike(Z);
    let cur: tf.Tensor = Z;
    let val: tf.Tensor = tf.add(tf.mul(prev, s.coeff(0)), tf.mul(cur, s.coeff(1)));
    let der: tf.Tensor = tf.mul(prev, s.derivCoeffs[0] ?? 0);
    for (let j = 1; j < s.degree; j++) {
      if (j < s.derivCoeffs.length) der = tf.add(der, tf.mul(cur, s.derivCoeffs[j]));
      const next = tf.div(tf.sub(tf.mul(Z, cur), tf.mul(prev, Math.sqrt(j))), Math.sqrt(j + 1));
      prev = cur;
      cur = next;
      val = tf.add(val, tf.mul(cur, s.coeff(j + 1)));
    }
    const f = tf.mul(tf.sum(val, 1), a0);
    const r = tf.sub(tf.tensor1d(y), f);
    const C = tf.mul(der, tf.expandDims(r, 1)); // B×m
    let G = tf.div(tf.matMul(C as tf.Tensor2D, Xt, true, false), B); // m×d
    const gw = tf.sum(tf.mul(G, Wt), 1, true);
    G = tf.sub(G, tf.mul(gw, Wt));
    const Wn = tf.add(Wt, tf.mul(G, lr));
    const out = tf.div(Wn, tf.norm(Wn, 'euclidean', 1, true));
    return Float32Array.from(out.dataSync());
  });
}

/** Runs the throughput comparison for one seed. */
export async function runThroughput(ctx: BenchContext): Promise<BenchRecord[]> {
  await ready();
  const backend = backendInfo().backend;
  const P = 4;
  const m = 12;
  const configs =
    ctx.profile === 'quick'
      ? [
          { d: 32, B: 64 },
          { d: 128, B: 64 },
          { d: 128, B: 1024 },
        ]
      : [
          { d: 16, B: 64 },
          { d: 32, B: 64 },
          { d: 64, B: 64 },
          { d: 128, B: 64 },
          { d: 128, B: 1024 },
        ];
  const steps = ctx.profile === 'quick' ? 150 : 600;
  const warmup = 20;
  const out: BenchRecord[] = [];
  const s = HermiteSeries.of({ 2: 1, 4: 1 });
  for (const [ci, { d, B }] of configs.entries()) {
    const target = new MultiIndexTarget({ d, P, seed: ctx.seed });
    const batches = Array.from({ length: steps }, (_, t) =>
      target.sample(B, new Rng(ctx.seed).fold('tp', t)),
    );
    const W = new Rng(ctx.seed).fold('w').normalArray(m * d);
    normalizeRows(W, m, d);
    const G = new Float64Array(m * d);
    // warm-up (JIT) on the first batches, not timed
    for (const { X, y } of batches.slice(0, warmup)) {
      studentGradient({
        W: W.slice(),
        m,
        d,
        X: X.data,
        y,
        B,
        coeffs: s.coeffs,
        derivCoeffs: s.derivCoeffs,
        loss: 'squared',
        a0: 1 / 3,
        G,
      });
    }
    let t0 = performance.now();
    for (const { X, y } of batches) {
      studentGradient({
        W,
        m,
        d,
        X: X.data,
        y,
        B,
        coeffs: s.coeffs,
        derivCoeffs: s.derivCoeffs,
        loss: 'squared',
        a0: 1 / 3,
        G,
      });
      sphericalStep(W, G, m, d, 0.02 / d);
    }
    const typed = (steps * B) / ((performance.now() - t0) / 1000);
    let Wf: Float32Array = Float32Array.from(W);
    const b32 = batches.map(({ X, y }) => ({ X: Float32Array.from(X.data), y: Float32Array.from(y) }));
    for (const { X, y } of b32.slice(0, warmup)) tfjsStep(Wf, X, y, B, m, d, s, 1 / 3, 0.02 / d); // warm-up
    t0 = performance.now();
    for (const { X, y } of b32) Wf = tfjsStep(Wf, X, y, B, m, d, s, 1 / 3, 0.02 / d);
    const tfjs = (steps * B) / ((performance.now() - t0) / 1000);
    const params = { d, B };
    out.push(
      { method: 'typed arrays (float64)', metric: 'samples/s', value: typed, params },
      { method: `tfjs ${backend} (float32)`, metric: 'samples/s', value: tfjs, params },
    );
    ctx.progress((ci + 1) / configs.length, `d=${d} B=${B}`);
  }
  return out;
}

/** Ratio typed/tfjs per configuration. */
export function throughputVerdict(records: BenchRecord[]): string {
  const keys = [...new Set(records.map((r) => `${r.params?.d}/${r.params?.B}`))];
  const parts = keys.map((k) => {
    const [d, B] = k.split('/').map(Number);
    const typed = recordMedian(records, { method: /^typed/, params: { d, B } }) ?? Number.NaN;
    const tfjs = recordMedian(records, { method: /^tfjs/, params: { d, B } }) ?? Number.NaN;
    return `d/B=${k}: typed ${typed.toFixed(0)}/s vs tfjs ${tfjs.toFixed(0)}/s (×${(typed / tfjs).toFixed(1)})`;
  });
  return `INFO samples per second of one spherical step, typed arrays vs batched tfjs: ${parts.join('; ')}`;
}
