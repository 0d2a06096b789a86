/**
 * Parsing the shipped files, platform-neutral: label-first CSV text, and gzip bytes (through
 * the `DecompressionStream` of browsers and Node ≥ 18).
 * @module
 */
import { NotSupportedError, ShapeError, ValueError, describe } from '@descent/tensor';
import { type DatasetName, datasetNames, datasets } from './registry';
import type { Dataset, DatasetInfo } from './types';

/**
 * Parses label-first CSV text (a header line, then numeric cells; blank lines ignored) into
 * float64 feature rows and labels. Throws {@link ShapeError} for a ragged line and
 * {@link ValueError} for a non-numeric cell, naming the line.
 */
export function parseLabelFirstCsv(text: string): { labels: Float64Array; X: Float64Array[]; header: string[] } {
  if (typeof text !== 'string') throw new ValueError(`text must be a string, got ${describe(text)}`, 'text');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new ShapeError('text must have a header line, got an empty text', 'text');
  const header = lines[0].split(',');
  const d = header.length - 1;
  const labels = new Float64Array(lines.length - 1);
  const X: Float64Array[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== d + 1) throw new ShapeError(`line ${i + 1}: expected ${d + 1} cells, got ${cells.length}`, 'text');
    const x = new Float64Array(d);
    for (let j = 0; j <= d; j++) {
      const v = Number(cells[j]);
      if (cells[j].trim() === '' || !Number.isFinite(v)) {
        throw new ValueError(`line ${i + 1}: cell ${j + 1} must be a number, got ${JSON.stringify(cells[j])}`, 'text');
      }
      if (j === 0) labels[i - 1] = v;
      else x[j - 1] = v;
    }
    X.push(x);
  }
  return { labels, X, header };
}

/** The {@link DatasetInfo} of `name`, or a {@link ValueError} listing the names. */
export function datasetInfo(name: DatasetName): DatasetInfo {
  const info = typeof name === 'string' ? (datasets as Record<string, DatasetInfo>)[name] : undefined;
  if (!info || !Object.hasOwn(datasets, name)) {
    throw new ValueError(`name must be one of ${datasetNames.join(', ')}, got ${describe(name)}`, 'name');
  }
  return info;
}

/** Parses the CSV text of the shipped data set `name` and checks its size against its info. */
export function parseDataset(name: DatasetName, text: string): Dataset {
  const info = datasetInfo(name);
  const { labels, X, header } = parseLabelFirstCsv(text);
  if (X.length !== info.rows || header.length - 1 !== info.features) {
    throw new ShapeError(
      `${name} must have ${info.rows} rows × ${info.features} features, got ${X.length} × ${header.length - 1}`,
      'text',
    );
  }
  return { name, X, labels, header };
}

/**
 * Decodes the gzip-compressed file of the shipped data set `name` (its bytes, e.g. from `fetch`
 * in a browser) with the platform's `DecompressionStream`.
 *
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('/data/german-credit.csv.gz')).arrayBuffer());
 * const data = await decodeDataset('german-credit', bytes);
 * ```
 */
export async function decodeDataset(name: DatasetName, gzipBytes: Uint8Array): Promise<Dataset> {
  datasetInfo(name);
  if (!(gzipBytes instanceof Uint8Array)) {
    throw new ValueError(`gzipBytes must be a Uint8Array, got ${describe(gzipBytes)}`, 'gzipBytes');
  }
  const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> })
    .DecompressionStream;
  if (typeof DS !== 'function') {
    throw new NotSupportedError('decodeDataset needs DecompressionStream (browsers, Node >= 18)', 'gzipBytes');
  }
  const stream = new Blob([gzipBytes]).stream().pipeThrough(new DS('gzip'));
  const text = await new Response(stream).text();
  return parseDataset(name, text);
}
