/**
 * Loaders for the real data shipped in the package's `data/` folder (see data/PROVENANCE.md):
 * German credit, breast cancer, digits (odd vs even) and an MNIST pair (3 vs 8). Reads local
 * files only (Node); pass `dataDir` when the package's folder cannot be located automatically.
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ShapeError, ValueError } from '@descent/tensor';
import type { Stream } from './streams';
import type { Label } from './types';

/** Datasets shipped with the package. */
export type DatasetName = 'german' | 'breast-cancer' | 'digits-odd-even' | 'mnist-3-vs-8';

const FILES: Record<DatasetName, string> = {
  german: 'german-credit.csv.gz',
  'breast-cancer': 'breast-cancer.csv.gz',
  'digits-odd-even': 'digits.csv.gz',
  'mnist-3-vs-8': 'mnist-3-vs-8.csv.gz',
};

/** The names of the shipped datasets. */
export const datasetNames: readonly DatasetName[] = Object.keys(FILES) as DatasetName[];

/**
 * The package's `data/` folder: `$DESCENT_FORKS_OKL_DATA` if set, else found from this module's
 * location (`src/` or `dist/` sit next to `data/`).
 */
export function defaultDataDir(): string {
  const env = typeof process !== 'undefined' ? process.env.DESCENT_FORKS_OKL_DATA : undefined;
  if (env) return env;
  if (typeof __dirname !== 'undefined') return resolve(__dirname, '..', 'data');
  // ESM without a __dirname shim: read this module's path from a stack frame
  const stack = new Error().stack ?? '';
  const m = /((?:file:\/\/)?\/[^\s():]+)\/(?:src|dist)\/[^/\s():]+:\d+:\d+/.exec(stack);
  if (!m) throw new ValueError('could not locate the data folder; pass dataDir or set DESCENT_FORKS_OKL_DATA', 'dataDir');
  const root = m[1].startsWith('file://') ? dirname(fileURLToPath(`${m[1]}/x`)) : m[1];
  return join(root, 'data');
}

/** Parses the label-first CSV text used in `data/` (header line, numeric cells). */
export function parseLabelFirstCsv(text: string): { labels: number[]; X: Float64Array[]; header: string[] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',');
  const d = header.length - 1;
  const labels: number[] = [];
  const X: Float64Array[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== d + 1) throw new ShapeError(`line ${i + 1}: expected ${d + 1} cells, got ${cells.length}`, 'text');
    const x = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const v = Number(cells[j + 1]);
      if (!Number.isFinite(v)) throw new ValueError(`line ${i + 1}: cell ${j + 2} must be a number, got ${JSON.stringify(cells[j + 1])}`, 'text');
      x[j] = v;
    }
    labels.push(Number(cells[0]));
    X.push(x);
  }
  return { labels, X, header };
}

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Folder holding the data files (default {@link defaultDataDir}). */
  dataDir?: string;
}

/**
 * Loads a shipped dataset as a ±1 stream in file order (permute it with `permuteStream`).
 * `digits-odd-even`: +1 = odd digit. Features are raw; standardise with `standardize`.
 */
export function loadDataset(name: DatasetName, o: LoadOptions = {}): Stream {
  const file = FILES[name];
  if (!file) throw new ValueError(`name must be one of ${datasetNames.join(', ')}, got ${JSON.stringify(name)}`, 'name');
  const text = gunzipSync(readFileSync(join(o.dataDir ?? defaultDataDir(), file))).toString('utf8');
  const { labels, X } = parseLabelFirstCsv(text);
  const y: Label[] = labels.map((l) => (name === 'digits-odd-even' ? (l % 2 === 1 ? 1 : -1) : l > 0 ? 1 : -1));
  return { name, dim: X[0].length, X, y };
}
