/**
 * Every shipped data set, by name. To add one: put its gzip-compressed file in `data/`, write
 * `src/sets/<name>.ts` with its {@link DatasetInfo} (provenance and licence included), and list
 * it here.
 * @module
 */
import { breastCancer } from './sets/breastCancer';
import { digits } from './sets/digits';
import { germanCredit } from './sets/germanCredit';
import { mnist3vs8 } from './sets/mnist3vs8';
import { mnistDigits } from './sets/mnistDigits';
import { spamAssassin } from './sets/spamAssassin';
import type { DatasetInfo } from './types';

/** The shipped data sets, by name. */
export const datasets = {
  'german-credit': germanCredit,
  'breast-cancer': breastCancer,
  digits,
  'mnist-3-vs-8': mnist3vs8,
  'mnist-digits': mnistDigits,
  'spam-assassin': spamAssassin,
} as const satisfies Record<string, DatasetInfo>;

/** The name of a shipped data set. */
export type DatasetName = keyof typeof datasets;

/** The name of a shipped data set with numeric features (every set but the text ones). */
export type FeatureDatasetName = Exclude<DatasetName, TextDatasetName>;

/** The name of a shipped text data set. */
export type TextDatasetName = 'spam-assassin';

/** The names of the shipped data sets. */
export const datasetNames: readonly DatasetName[] = Object.keys(datasets) as DatasetName[];
