/**
 * @descent/datasets: the data sets descent's packages and benchmarks use, each with its
 * provenance and licence. The main entry is platform-neutral (metadata, parsers of strings and
 * bytes); `@descent/datasets/node` reads the shipped files from disk.
 * @packageDocumentation
 */
export type { Dataset, DatasetInfo, Provenance } from './types';
export { type DatasetName, datasetNames, datasets } from './registry';
export { datasetInfo, decodeDataset, parseDataset, parseLabelFirstCsv } from './parse';
