/**
 * The real data sets of the paper's experiments that can ship, as ±1 streams: German credit,
 * breast cancer, digits (odd vs even) and an MNIST pair (3 vs 8). The files and their
 * provenance live in `@descent/datasets`; this module only turns a loaded data set into a
 * labelled stream (platform-neutral). In Node, `loadDataset(name)` of `@descent/forks-okl/node`
 * reads the files; in a browser, fetch the file and use `decodeDataset` of `@descent/datasets`,
 * then {@link datasetStream}.
 * @module
 */
import type { Dataset, DatasetName as SourceName } from '@descent/datasets';
import { ShapeError, ValueError, describe } from '@descent/tensor';
import type { Stream } from './streams';
import type { Label } from './types';

/** The binary tasks built from the shipped data sets. */
export type DatasetName = 'german' | 'breast-cancer' | 'digits-odd-even' | 'mnist-3-vs-8';

/** Each task: which `@descent/datasets` set it reads and which labels are +1. */
export const DATASET_TASKS: Readonly<Record<DatasetName, { source: SourceName; positive: (label: number) => boolean }>> = {
  german: { source: 'german-credit', positive: (l) => l > 0 },
  'breast-cancer': { source: 'breast-cancer', positive: (l) => l > 0 },
  'digits-odd-even': { source: 'digits', positive: (l) => l % 2 === 1 },
  'mnist-3-vs-8': { source: 'mnist-3-vs-8', positive: (l) => l > 0 },
};

/** The names of the binary tasks. */
export const datasetNames: readonly DatasetName[] = Object.keys(DATASET_TASKS) as DatasetName[];

/** The task `name`, or a {@link ValueError} listing the names. */
export function datasetTask(name: DatasetName): (typeof DATASET_TASKS)[DatasetName] {
  if (typeof name !== 'string' || !Object.hasOwn(DATASET_TASKS, name)) {
    throw new ValueError(`name must be one of ${datasetNames.join(', ')}, got ${describe(name)}`, 'name');
  }
  return DATASET_TASKS[name];
}

/**
 * The ±1 stream of task `name` from its loaded `@descent/datasets` data set (file order; permute
 * it with `permuteStream`). `digits-odd-even`: +1 = odd digit. Features are raw; standardise
 * with `standardize`.
 */
export function datasetStream(name: DatasetName, data: Dataset): Stream {
  const task = datasetTask(name);
  if (data == null || data.name !== task.source) {
    throw new ShapeError(`data must be the ${task.source} data set of @descent/datasets, got ${describe(data?.name ?? data)}`, 'data');
  }
  const y: Label[] = Array.from(data.labels, (l) => (task.positive(l) ? 1 : -1));
  return { name, dim: data.X[0].length, X: data.X, y };
}
