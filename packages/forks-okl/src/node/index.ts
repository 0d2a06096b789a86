/**
 * @descent/forks-okl/node: the shipped real data sets as ±1 streams, read from disk by
 * `@descent/datasets/node` (Node only; the main entry stays platform-neutral).
 * @packageDocumentation
 */
import { type LoadOptions, loadDataset as loadSource } from '@descent/datasets/node';
import { type DatasetName, datasetStream, datasetTask } from '../datasets';
import type { Stream } from '../streams';

export type { LoadOptions };

/**
 * Loads a shipped data set as a ±1 stream in file order (permute it with `permuteStream`).
 * `digits-odd-even`: +1 = odd digit. Features are raw; standardise with `standardize`.
 *
 * ```ts
 * import { loadDataset } from '@descent/forks-okl/node';
 * const german = loadDataset('german'); // 1000 rounds, 61 features
 * ```
 */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): Stream {
  return datasetStream(name, loadSource(datasetTask(name).source, options));
}
