/**
 * @descent/datasets: the data sets descent's packages and benchmarks use, each with its
 * provenance and licence. The main entry is platform-neutral (metadata, parsers of strings and
 * bytes, seeded splits and label noise, a word tokenizer); `@descent/datasets/node` reads the
 * shipped files from disk.
 * @packageDocumentation
 */
export type { Dataset, DatasetFormat, DatasetInfo, Provenance } from './types';
export {
  type DatasetName,
  type FeatureDatasetName,
  type TextDatasetName,
  datasetNames,
  datasets,
} from './registry';
export {
  classificationFromBytes,
  classificationFromDataset,
  datasetFromBytes,
  datasetInfo,
  decodeClassification,
  decodeDataset,
  decodeText,
  gunzip,
  parseDataset,
  parseLabelFirstCsv,
  textFromBytes,
} from './parse';
export {
  type ClassificationData,
  type Examples,
  type LabelledExamples,
  type TextData,
  assertExamples,
  filterExamples,
  takeExamples,
} from './examples';
export {
  type FeatureScaler,
  downsample2x2,
  featureScaler,
  selectClasses,
  shiftedCopies,
  splitData,
  withLabelNoise,
} from './transforms';
export {
  type EncodeBatchOptions,
  type EncodeOptions,
  type EncodedBatch,
  type NextTokenBatch,
  SPECIAL_TOKENS,
  type TokenizerFitOptions,
  WordTokenizer,
  type WordTokenizerJSON,
  nextTokenBatch,
  wordTokens,
} from './text/tokenizer';
