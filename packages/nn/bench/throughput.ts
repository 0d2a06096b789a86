/**
 * Training throughput (examples/s) of @descent/nn against @tensorflow/tfjs-layers (dev-only
 * baseline: the same model, batch and plain SGD through `trainOnBatch`), interleaved in one run.
 * Examples/s come from per-step process CPU time (user + system), which is robust to other jobs
 * on a shared machine; the wall-clock figure is recorded too.
 * @module
 */
import type { BenchContext, BenchRecord, Rng } from '@descent/tensor';
import { ready, tf, uniformTensor } from '@descent/tensor/tf';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Model } from '../src/layer';
import { softmaxCrossEntropyLoss } from '../src/losses';
import { cnn } from '../src/models/cnn';
import { mlp } from '../src/models/mlp';
import { transformer } from '../src/models/transformer';
import { sgd } from '../src/optim/sgd';
import { disposeState } from '../src/serialize';
import { type TrainState, initTrainState, trainStep } from '../src/train';
import { disposeTree } from '../src/tree';

type Backend = 'wasm' | 'cpu';

interface Workload {
  name: string;
  batch: number;
  x: (rng: Rng) => tf.Tensor;
  y: (rng: Rng) => tf.Tensor;
  nn: () => Model;
  layers?: () => tfl.LayersModel;
  /** Backends each implementation runs on. */
  nnBackends: Backend[];
  layersBackends: Backend[];
}

const classIds = (n: number, k: number) => (rng: Rng) =>
  tf.tensor1d(
    Int32Array.from({ length: n }, () => rng.int(k)),
    'int32',
  );

function layersMlp(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }));
  m.add(tfl.layers.dense({ units: 10 }));
  m.compile({ optimizer: tf.train.sgd(0.01), loss: tfLossSparseLogits });
  return m;
}

function layersCnn(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 10 }));
  m.compile({ optimizer: tf.train.sgd(0.01), loss: tfLossSparseLogits });
  return m;
}

/** tfjs-layers loss: softmax cross-entropy from logits and one-hot labels (tfjs's own op). */
function tfLossSparseLogits(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.losses.softmaxCrossEntropy(yTrue, yPred);
}

export const WORKLOADS: Workload[] = [
  {
    name: 'MLP 784-128-10',
    batch: 128,
    x: (rng) => uniformTensor(rng, [128, 784]),
    y: classIds(128, 10),
    nn: () => mlp({ sizes: [784, 128, 10] }),
    layers: layersMlp,
    nnBackends: ['wasm'],
    layersBackends: ['wasm'],
  },
  {
    name: 'CNN conv8-pool-conv16-pool-dense10',
    batch: 64,
    x: (rng) => uniformTensor(rng, [64, 28, 28, 1]),
    y: classIds(64, 10),
    nn: () => cnn({ inputShape: [28, 28, 1], channels: [8, 16], classes: 10 }),
    layers: layersCnn,
    nnBackends: ['wasm', 'cpu'],
    // tfjs-layers cannot train the CNN on wasm (no Conv2DBackpropFilter kernel, tfjs#8474)
    layersBackends: ['cpu'],
  },
  {
    name: 'transformer d64 h4 L2 T32',
    batch: 32,
    x: (rng) =>
      tf.tensor2d(
        Int32Array.from({ length: 32 * 32 }, () => rng.int(1000)),
        [32, 32],
        'int32',
      ),
    y: classIds(32, 2),
    nn: () => transformer({ vocab: 1000, maxLength: 32, dim: 64, heads: 4, layers: 2, classes: 2 }),
    nnBackends: ['wasm'],
    layersBackends: [],
  },
];

/** A prepared training loop of one implementation on one workload and backend. */
interface Runner {
  method: string;
  step: () => unknown;
  dispose: () => void;
  cpu: number;
  wall: number;
}

/** CPU ms of `steps` calls of `step` (and wall ms), tfjs-layers' steps are async. */
async function timeSteps(step: () => unknown, steps: number): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall };
}

/**
 * Warms every runner up (at least `warmSteps` steps and `warmMs` of CPU time: the first steps of
 * both libraries pay JIT compilation and operator creation), then times `rounds` rounds of `steps`
 * steps, interleaving the runners round by round so that a change of machine load hits them
 * alike; keeps the best round of each (CPU and wall ms per step).
 */
async function measureInterleaved(
  runners: Runner[],
  o: { warmSteps: number; warmMs: number; steps: number; rounds: number },
): Promise<void> {
  for (const r of runners) {
    let spent = 0;
    let n = 0;
    while (n < o.warmSteps || spent < o.warmMs) {
      spent += (await timeSteps(r.step, 1)).cpu;
      n++;
    }
  }
  for (let round = 0; round < o.rounds; round++) {
    for (const r of runners) {
      const t = await timeSteps(r.step, o.steps);
      r.cpu = Math.min(r.cpu, t.cpu / o.steps);
      r.wall = Math.min(r.wall, t.wall / o.steps);
    }
  }
}

function makeRunner(
  w: Workload,
  impl: 'descent/nn' | 'tfjs-layers',
  backend: Backend,
  x: tf.Tensor,
  y: tf.Tensor,
  seed: number,
): Runner {
  const method = `${impl} (${backend})`;
  if (impl === 'descent/nn') {
    const setup = { model: w.nn(), loss: softmaxCrossEntropyLoss, optimizer: sgd({ learningRate: 0.01 }) };
    let state: TrainState = initTrainState(setup, seed);
    return {
      method,
      step: () => {
        state = trainStep(setup, state, x, y).state;
      },
      dispose: () => {
        disposeTree(state.params);
        disposeState(state.optState);
      },
      cpu: Number.POSITIVE_INFINITY,
      wall: Number.POSITIVE_INFINITY,
    };
  }
  const model = (w.layers as () => tfl.LayersModel)();
  const yOneHot = tf.oneHot(y as tf.Tensor1D, 10);
  return {
    method,
    step: () => model.trainOnBatch(x, yOneHot),
    dispose: () => {
      yOneHot.dispose();
      model.dispose();
    },
    cpu: Number.POSITIVE_INFINITY,
    wall: Number.POSITIVE_INFINITY,
  };
}

/**
 * Runs every workload × backend, with the implementations that run there interleaved round by
 * round (so descent/nn and tfjs-layers on wasm see the same machine load).
 */
export async function runThroughput(ctx: BenchContext): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  const quick = ctx.profile === 'quick';
  const rng = ctx.rng.fold('throughput');
  const groups: Array<{ w: Workload; backend: Backend; impls: Array<'descent/nn' | 'tfjs-layers'> }> = [];
  for (const w of WORKLOADS) {
    for (const backend of ['wasm', 'cpu'] as Backend[]) {
      const impls: Array<'descent/nn' | 'tfjs-layers'> = [];
      if (w.nnBackends.includes(backend)) impls.push('descent/nn');
      if (w.layersBackends.includes(backend)) impls.push('tfjs-layers');
      if (impls.length) groups.push({ w, backend, impls });
    }
  }
  let done = 0;
  const total = groups.reduce((a, g) => a + g.impls.length, 0);
  for (const { w, backend, impls } of groups) {
    await ready({ backend, fallback: false });
    const x = w.x(rng.fold(w.name, 'x'));
    const y = w.y(rng.fold(w.name, 'y'));
    const slow = backend === 'cpu' || w.name.startsWith('transformer');
    const cpu = backend === 'cpu';
    const runners = impls.map((impl) => makeRunner(w, impl, backend, x, y, ctx.seed));
    try {
      await measureInterleaved(runners, {
        warmSteps: cpu ? 1 : 5,
        warmMs: cpu ? 0 : quick ? 400 : 1500,
        steps: quick ? (cpu ? 1 : slow ? 3 : 20) : cpu ? 2 : slow ? 10 : 60,
        rounds: quick ? (cpu ? 1 : 3) : cpu ? 2 : 6,
      });
    } finally {
      for (const r of runners) r.dispose();
      tf.dispose([x, y]);
    }
    for (const r of runners) {
      const params = { model: w.name, backend, batch: w.batch };
      out.push({
        method: r.method,
        metric: 'examples/s (CPU time)',
        value: (1000 * w.batch) / r.cpu,
        unit: 'ex/s',
        params,
      });
      out.push({
        method: r.method,
        metric: 'examples/s (wall)',
        value: (1000 * w.batch) / r.wall,
        unit: 'ex/s',
        params,
      });
      out.push({ method: r.method, metric: 'ms/step (CPU time)', value: r.cpu, unit: 'ms', params });
      ctx.progress(
        ++done / total,
        `${r.method} ${w.name}: ${((1000 * w.batch) / r.cpu).toFixed(0)} ex/s`,
      );
    }
  }
  await ready();
  return out;
}

/** PASS/FAIL on the goals: MLP ≥ 3× tfjs-layers on wasm, CNN ≥ 1200 ex/s on wasm. */
export function throughputVerdict(records: BenchRecord[]): string {
  const med = (method: string, model: string) => {
    const v = records
      .filter((r) => r.method === method && r.metric === 'examples/s (CPU time)' && r.params?.model === model)
      .map((r) => r.value)
      .sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : Number.NaN;
  };
  const mlpNn = med('descent/nn (wasm)', WORKLOADS[0].name);
  const mlpL = med('tfjs-layers (wasm)', WORKLOADS[0].name);
  const cnnNn = med('descent/nn (wasm)', WORKLOADS[1].name);
  const cnnL = med('tfjs-layers (cpu)', WORKLOADS[1].name);
  const tr = med('descent/nn (wasm)', WORKLOADS[2].name);
  const ratio = mlpNn / mlpL;
  const ok = ratio >= 3 && cnnNn >= 1200;
  return `${ok ? 'PASS' : 'FAIL'} MLP ${mlpNn.toFixed(0)} ex/s = ${ratio.toFixed(2)}× tfjs-layers wasm (${mlpL.toFixed(0)}; goal ≥ 3×); CNN ${cnnNn.toFixed(0)} ex/s on wasm (goal ≥ 1200; tfjs-layers cannot train it on wasm, cpu ${cnnL.toFixed(0)}); transformer ${tr.toFixed(0)} ex/s (CPU-time based; PyTorch reference not measured: no python3 with torch on this machine)`;
}
