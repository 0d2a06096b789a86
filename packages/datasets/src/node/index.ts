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
import { ValueError, describe } from '@descent/tensor';
import { datasetInfo, parseDataset } from '../parse';
import type { DatasetName } from '../registry';
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
  return join(options.dataDir ?? dataDir(), datasetInfo(name).file);
}

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Folder holding the data files (default {@link dataDir}). */
  dataDir?: string;
}

/**
 * Loads the shipped data set `name` (rows in file order; shuffle with your own seeded RNG).
 *
 * ```ts
 * import { loadDataset } from '@descent/datasets/node';
 * const { X, labels } = loadDataset('german-credit'); // 1000 rows × 61 features, labels ±1
 * ```
 */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): Dataset {
  if (options == null || typeof options !== 'object') {
    throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
  }
  const text = gunzipSync(readFileSync(datasetPath(name, options))).toString('utf8');
  return parseDataset(name, text);
}
