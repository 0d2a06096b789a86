/**
 * Curvature tools in numbers: the cost of an exact HVP relative to a gradient on training-sized
 * networks (goal ≤ 3×; the default forward-mode HVP and double backprop side by side, each timed
 * like the gradient: same batch and parameters, after warm-up, interleaved repetitions, median
 * CPU time, results disposed), its accuracy against a float64 reference (forward-mode hyper-dual
 * re-implementation of the same network), finite differences for contrast (wrong on ReLU nets),
 * and Lanczos' top eigenvalues against the eigenvalues of an explicit float64 Hessian.
 * @module
 */
import { type BenchContext, type BenchRecord, Matrix, eigh, median } from '@descent/tensor';
import { tf, uniformTensor } from '@descent/tensor/tf';
import { hessianEigs } from '../src/curvature/hessianEigs';
import { hvpTree } from '../src/curvature/hvp';
import { objective, valueAndGradTree } from '../src/grad';
import { softmaxCrossEntropyLoss } from '../src/losses';
import { cnn } from '../src/models/cnn';
import { mlp } from '../src/models/mlp';
import { transformer } from '../src/models/transformer';
import { cnnRef, mlpRef } from '../src/testing/referenceModels';
import { disposeTree, flattenTree, unflattenTree } from '../src/tree';
import { relErr } from '../src/testing/relativeError';

/**
 * Median CPU milliseconds of each function over `reps` interleaved repetitions (each function run
 * twice first as warm-up), so that load changes hit all of them alike.
 */
function cpuMedians(fs: Array<() => void>, reps: number): number[] {
  for (const f of fs) {
    f();
    f();
  }
  const times = fs.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    fs.forEach((f, i) => {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      times[i].push((c.user + c.system) / 1000);
    });
  }
  return times.map((t) => median(t));
}

export async function runCurvature(ctx: BenchContext): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  const rng = ctx.rng.fold('curvature');
  const reps = ctx.profile === 'quick' ? 7 : 21;
  // 1. cost of an HVP relative to a gradient
  const cases = [
    {
      name: 'MLP 784-128-10, batch 256',
      model: mlp({ sizes: [784, 128, 10] }),
      x: () => uniformTensor(rng.fold('x1'), [256, 784]),
      n: 256,
    },
    {
      name: 'CNN 8-16, batch 64',
      model: cnn({ inputShape: [28, 28, 1], channels: [8, 16], classes: 10 }),
      x: () => uniformTensor(rng.fold('x2'), [64, 28, 28, 1]),
      n: 64,
    },
    {
      name: 'transformer d64 h4 L2 T32, batch 32',
      model: transformer({ vocab: 1000, maxLength: 32, dim: 64, heads: 4, layers: 2, classes: 10 }),
      x: () => {
        const r = rng.fold('x3');
        return tf.tensor2d(
          Int32Array.from({ length: 32 * 32 }, () => r.int(1000)),
          [32, 32],
          'int32',
        );
      },
      n: 32,
    },
  ];
  for (const c of cases) {
    const x = c.x();
    const y = tf.tensor1d(
      Int32Array.from({ length: c.n }, (_, i) => i % 10),
      'int32',
    );
    const params = c.model.init(ctx.seed);
    const v = unflattenTree(rng.fold(c.name, 'v').normalArray(flattenTree(params).length), params);
    const f = objective(c.model, softmaxCrossEntropyLoss, x, y);
    const before = tf.memory().numTensors;
    const isTransformer = c.name.startsWith('transformer');
    const [g, h, hd] = cpuMedians(
      [
        () => disposeTree(valueAndGradTree(f)(params).grads),
        () => disposeTree(hvpTree(f, params, v)), // default 'auto' = forward mode ('rop') here
        () => disposeTree(hvpTree(f, params, v, { mode: 'autodiff' })),
      ],
      isTransformer ? Math.ceil(reps / 3) : reps,
    );
    out.push({ method: c.name, metric: 'tensors leaked', value: tf.memory().numTensors - before });
    out.push({ method: c.name, metric: 'gradient ms (CPU)', value: g, unit: 'ms' });
    out.push({ method: c.name, metric: 'HVP ms (CPU)', value: h, unit: 'ms' });
    out.push({ method: c.name, metric: 'HVP / gradient cost', value: h / g });
    out.push({ method: c.name, metric: 'HVP autodiff ms (CPU)', value: hd, unit: 'ms' });
    out.push({ method: c.name, metric: 'HVP autodiff / gradient cost', value: hd / g });
    // finite differences against the exact HVP at training scale (kink crossings on ReLU)
    const ha = hvpTree(f, params, v, { mode: 'autodiff' });
    const hr = hvpTree(f, params, v, { mode: 'rop' });
    const hf = hvpTree(f, params, v, { mode: 'fd' });
    if (!isTransformer) {
      out.push({
        method: c.name,
        metric: 'FD HVP rel. difference from exact',
        value: relErr(flattenTree(hf), flattenTree(ha)),
      });
    }
    out.push({
      method: c.name,
      metric: 'forward-mode HVP rel. difference from autodiff',
      value: relErr(flattenTree(hr), flattenTree(ha)),
    });
    disposeTree(ha);
    disposeTree(hr);
    disposeTree(hf);
    disposeTree(params);
    disposeTree(v);
    tf.dispose([x, y]);
  }
  ctx.progress(0.4, 'accuracy');
  // 2. accuracy against the float64 reference on a small ReLU MLP and CNN
  const sizes = [20, 16, 10];
  const n = 32;
  const X = rng.fold('small-x').normalArray32(n * sizes[0]);
  const labels = Array.from({ length: n }, (_, i) => i % 10);
  const x = tf.tensor2d(X, [n, sizes[0]]);
  const y = tf.tensor1d(labels, 'int32');
  const model = mlp({ sizes });
  const params = model.init(ctx.seed);
  const w = flattenTree(params);
  const d = w.length;
  const f = objective(model, softmaxCrossEntropyLoss, x, y);
  const vArr = rng.fold('small-v').normalArray(d);
  const v = unflattenTree(vArr, params);
  const ref = mlpRef(w, vArr, sizes, X, labels, 'relu').hv;
  for (const mode of ['rop', 'autodiff', 'fd'] as const) {
    const hv = hvpTree(f, params, v, { mode });
    out.push({
      method: `HVP ${mode}`,
      metric: 'rel. error vs float64 (ReLU MLP 20-16-10)',
      value: relErr(flattenTree(hv), ref),
    });
    disposeTree(hv);
  }
  disposeTree(params);
  disposeTree(v);
  tf.dispose([x, y]);
  {
    const shape: [number, number, number] = [8, 8, 2];
    const nc = 6;
    const Xc = rng.fold('small-cnn-x').normalArray32(nc * 8 * 8 * 2);
    const lc = Array.from({ length: nc }, (_, i) => i % 4);
    const xc = tf.tensor4d(Xc, [nc, 8, 8, 2]);
    const yc = tf.tensor1d(lc, 'int32');
    const mc = cnn({ inputShape: shape, channels: [3, 4], classes: 4 });
    const pc = mc.init(ctx.seed);
    const wc = flattenTree(pc);
    const vcArr = rng.fold('small-cnn-v').normalArray(wc.length);
    const vc = unflattenTree(vcArr, pc);
    const refc = cnnRef(wc, vcArr, shape, [3, 4], 4, 3, Xc, lc).hv;
    const fc = objective(mc, softmaxCrossEntropyLoss, xc, yc);
    for (const mode of ['rop', 'autodiff'] as const) {
      const hv = hvpTree(fc, pc, vc, { mode });
      out.push({
        method: `HVP ${mode}`,
        metric: 'rel. error vs float64 (ReLU CNN 8×8×2, conv 3-4)',
        value: relErr(flattenTree(hv), refc),
      });
      disposeTree(hv);
    }
    disposeTree(pc);
    disposeTree(vc);
    tf.dispose([xc, yc]);
  }
  ctx.progress(0.6, 'Lanczos');
  // 3. Lanczos vs the explicit float64 Hessian (d columns of the reference) of a smaller ReLU MLP
  const s2 = [8, 6, 4];
  const n2 = 16;
  const X2 = rng.fold('lanczos-x').normalArray32(n2 * s2[0]);
  const l2 = Array.from({ length: n2 }, (_, i) => i % 4);
  const x2 = tf.tensor2d(X2, [n2, s2[0]]);
  const y2 = tf.tensor1d(l2, 'int32');
  const m2 = mlp({ sizes: s2 });
  const p2 = m2.init(ctx.seed);
  const w2 = flattenTree(p2);
  const d2 = w2.length;
  const H = new Matrix(d2, d2);
  for (let j = 0; j < d2; j++) {
    const e = new Float64Array(d2);
    e[j] = 1;
    const col = mlpRef(w2, e, s2, X2, l2, 'relu').hv;
    for (let i = 0; i < d2; i++) H.data[i * d2 + j] = col[i];
  }
  const exact = Array.from(eigh(H, { vectors: false }).values).reverse();
  const lz = hessianEigs(objective(m2, softmaxCrossEntropyLoss, x2, y2), p2, 2, { seed: ctx.seed });
  for (let i = 0; i < 2; i++) {
    out.push({
      method: `Lanczos λ${i + 1}`,
      metric: 'rel. error vs explicit Hessian',
      value: Math.abs(lz.values[i] - exact[i]) / Math.abs(exact[0]),
    });
  }
  out.push({ method: 'Lanczos top-2', metric: 'HVPs used', value: lz.hvps, params: { d: d2 } });
  disposeTree(p2);
  tf.dispose([x2, y2]);
  return out;
}

export function curvatureVerdict(records: BenchRecord[]): string {
  const max = (method: string, metric: string) =>
    Math.max(...records.filter((r) => r.method === method && r.metric === metric).map((r) => r.value));
  const mlpRatio = max('MLP 784-128-10, batch 256', 'HVP / gradient cost');
  const cnnRatio = max('CNN 8-16, batch 64', 'HVP / gradient cost');
  const mlpAd = max('MLP 784-128-10, batch 256', 'HVP autodiff / gradient cost');
  const cnnAd = max('CNN 8-16, batch 64', 'HVP autodiff / gradient cost');
  const TR = 'transformer d64 h4 L2 T32, batch 32';
  const trRatio = max(TR, 'HVP / gradient cost');
  const trAd = max(TR, 'HVP autodiff / gradient cost');
  const leaked = Math.max(
    max('MLP 784-128-10, batch 256', 'tensors leaked'),
    max('CNN 8-16, batch 64', 'tensors leaked'),
    max(TR, 'tensors leaked'),
  );
  const acc = Math.max(
    max('HVP rop', 'rel. error vs float64 (ReLU MLP 20-16-10)'),
    max('HVP autodiff', 'rel. error vs float64 (ReLU MLP 20-16-10)'),
    max('HVP rop', 'rel. error vs float64 (ReLU CNN 8×8×2, conv 3-4)'),
    max('HVP autodiff', 'rel. error vs float64 (ReLU CNN 8×8×2, conv 3-4)'),
  );
  const fd = max('HVP fd', 'rel. error vs float64 (ReLU MLP 20-16-10)');
  const fdBig = max('MLP 784-128-10, batch 256', 'FD HVP rel. difference from exact');
  const lz = Math.max(
    max('Lanczos λ1', 'rel. error vs explicit Hessian'),
    max('Lanczos λ2', 'rel. error vs explicit Hessian'),
  );
  const ok = mlpRatio <= 3 && cnnRatio <= 3 && acc < 1e-4 && lz < 1e-3 && leaked === 0;
  return `${ok ? 'PASS' : 'FAIL'} HVP/gradient cost (forward-mode HVP, median CPU time, worst seed) MLP ${mlpRatio.toFixed(2)}×, CNN ${cnnRatio.toFixed(2)}× (goal ≤ 3×; double backprop: ${mlpAd.toFixed(2)}×, ${cnnAd.toFixed(2)}×), transformer ${trRatio.toFixed(2)}× (double backprop ${trAd.toFixed(2)}×); tensors leaked ${leaked}; exact HVPs (forward mode and double backprop) rel. error vs float64 ≤ ${acc.toExponential(1)} (ReLU MLP and CNN) (finite differences: ${fd.toExponential(1)} on that net, ${fdBig.toExponential(1)} from exact on the 784-128-10 ReLU MLP); Lanczos top-2 rel. error vs explicit Hessian ${lz.toExponential(1)}`;
}
