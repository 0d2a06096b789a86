/**
 * Bench experiment `autodiff` (issue 2, item 4): Hessian-vector products of a softmax
 * cross-entropy tanh MLP on the wasm and cpu backends.
 * - accuracy: max relative error of the double-backprop HVP against the central difference of
 *   first-order autodiff gradients (‖εv‖ = 1e-2), with the second-order-safe ops
 *   (`safeTanh` + `softmaxCrossEntropy`) and with the stock tfjs ops (tfjs#3252);
 * - cost: best-of wall time of one gradient, one autodiff HVP and one finite-difference HVP.
 * @module
 */
import { type BackendName, hvp, ready, safeTanh, softmaxCrossEntropy, tf, valueAndGrad } from '../src/tf';
import type { BenchContext, BenchRecord, Experiment } from '../src/experiment';
import { recordValues } from '../src/benchRecords';
import { maxRelativeError } from '../src/finiteDiff';
import { bestOf } from './timing';

interface Sizes {
  inputs: number;
  hidden: number;
  classes: number;
  batch: number;
}

/** The MLP loss on flat parameters (W1, b1, W2, b2), with safe or stock ops. */
function mlp(s: Sizes, X: tf.Tensor2D, Y: tf.Tensor2D, safe: boolean) {
  const { inputs: p, hidden: h, classes: c } = s;
  return (w: tf.Tensor1D) => {
    const W1 = tf.reshape(tf.slice(w, [0], [p * h]), [p, h]);
    const b1 = tf.slice(w, [p * h], [h]);
    const W2 = tf.reshape(tf.slice(w, [p * h + h], [h * c]), [h, c]);
    const b2 = tf.slice(w, [p * h + h + h * c], [c]);
    const pre = tf.add(tf.matMul(X, W1), b1);
    const logits = tf.add(tf.matMul(safe ? safeTanh(pre) : tf.tanh(pre), W2), b2);
    return (safe ? softmaxCrossEntropy(Y, logits) : tf.losses.softmaxCrossEntropy(Y, logits)) as tf.Scalar;
  };
}

async function runBackend(
  backend: BackendName,
  s: Sizes,
  ctx: BenchContext,
  reps: number,
): Promise<BenchRecord[]> {
  await ready({ backend, fallback: false });
  const rng = ctx.rng.fold('mlp');
  const d = s.inputs * s.hidden + s.hidden + s.hidden * s.classes + s.classes;
  const X = tf.tensor2d(Float32Array.from(rng.fold('X').normalArray(s.batch * s.inputs)), [
    s.batch,
    s.inputs,
  ]);
  const labels = Int32Array.from({ length: s.batch }, () => rng.int(s.classes));
  const Y = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), s.classes), 'float32'),
  ) as tf.Tensor2D;
  const w = rng.fold('w').normalArray(d, 0, 1 / Math.sqrt(s.inputs));
  const v = rng.fold('v').normalArray(d);
  const params = { backend, d };
  const out: BenchRecord[] = [];
  try {
    for (const safe of [true, false]) {
      const f = mlp(s, X, Y, safe);
      const method = safe ? 'safe ops' : 'stock tfjs ops';
      const fd = hvp(f, w, v, { mode: 'fd', fdStep: 1e-2 });
      let err: number;
      try {
        err = maxRelativeError(hvp(f, w, v, { allowNonFinite: true }), fd);
      } catch {
        err = Number.NaN; // tfjs threw: no HVP at all
      }
      out.push({ method, metric: 'HVP rel. error vs FD', value: Number.isFinite(err) ? err : 1, params });
      if (safe) {
        const vg = valueAndGrad(f);
        out.push({ method, metric: 'gradient', value: bestOf(reps, () => vg(w)), unit: 'ms', params });
        out.push({
          method,
          metric: 'HVP autodiff',
          value: bestOf(reps, () => hvp(f, w, v)),
          unit: 'ms',
          params,
        });
        out.push({
          method,
          metric: 'HVP finite diff.',
          value: bestOf(reps, () => hvp(f, w, v, { mode: 'fd' })),
          unit: 'ms',
          params,
        });
      }
    }
  } finally {
    tf.dispose([X, Y]);
  }
  return out;
}

/** HVP accuracy (safe vs stock ops) and cost on wasm and cpu. */
export const autodiffExperiment: Experiment = {
  name: 'autodiff',
  paper: 'tensorflow/tfjs#3252 (second derivatives through exp/tanh/softmax); issue 2 item 4',
  claim:
    'With the safe ops the double-backprop HVP of a softmax cross-entropy tanh MLP matches finite differences to 1e-3 relative on wasm and cpu, while the stock ops are off by more than 10%.',
  seeds: { quick: 2, full: 5 },
  async run(ctx) {
    const full = ctx.profile === 'full';
    const sizes: Sizes = full
      ? { inputs: 784, hidden: 64, classes: 10, batch: 256 }
      : { inputs: 64, hidden: 32, classes: 10, batch: 128 };
    const reps = full ? 10 : 3;
    const records: BenchRecord[] = [];
    const backends: BackendName[] = ['wasm', 'cpu'];
    for (const [i, b] of backends.entries()) {
      ctx.progress(
        i / backends.length,
        `${b}: MLP ${sizes.inputs}-${sizes.hidden}-${sizes.classes}, batch ${sizes.batch}`,
      );
      records.push(...(await runBackend(b, sizes, ctx, reps)));
    }
    await ready();
    ctx.progress(1);
    return records;
  },
  verdict(records) {
    const err = (method: string) => recordValues(records, { method, metric: 'HVP rel. error vs FD' });
    const safe = Math.max(...err('safe ops'));
    const stock = Math.min(...err('stock tfjs ops'));
    const ok = safe < 1e-3 && stock > 0.1;
    return `${ok ? 'PASS' : 'FAIL'} max HVP rel. error with safe ops ${safe.toExponential(2)} (< 1e-3), min with stock ops ${stock.toFixed(3)} (> 0.1)`;
  },
};
