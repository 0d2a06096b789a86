/**
 * Parsing the shipped files, platform-neutral: label-first CSV text, label-first byte rows,
 * text JSON lines, and gzip bytes (through the `DecompressionStream` of browsers and Node ≥ 18).
 * @module
 */
import { NotSupportedError, ShapeError, ValueError, describe } from '@descent/tensor';
import type { ClassificationData, TextData } from './examples';
import { type DatasetName, type FeatureDatasetName, type TextDatasetName, datasetNames, datasets } from './registry';
import type { Dataset, DatasetFormat, DatasetInfo } from './types';

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

function formatOf(info: DatasetInfo): DatasetFormat {
  return info.format ?? 'label-first-csv';
}

function needFormat(name: DatasetName, formats: DatasetFormat[], what: string, instead: string): DatasetInfo {
  const info = datasetInfo(name);
  if (!formats.includes(formatOf(info))) {
    throw new NotSupportedError(`${what} cannot read ${name} (a ${formatOf(info)} file): use ${instead}`, 'name');
  }
  return info;
}

/** Parses the CSV text of the shipped data set `name` and checks its size against its info. */
export function parseDataset(name: DatasetName, text: string): Dataset {
  const info = needFormat(name, ['label-first-csv'], 'parseDataset', 'datasetFromBytes or textFromBytes');
  const { labels, X, header } = parseLabelFirstCsv(text);
  if (X.length !== info.rows || header.length - 1 !== info.features) {
    throw new ShapeError(
      `${name} must have ${info.rows} rows × ${info.features} features, got ${X.length} × ${header.length - 1}`,
      'text',
    );
  }
  return { name, X, labels, header };
}

function checkBytes(bytes: unknown, name = 'bytes'): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`${name} must be a Uint8Array, got ${describe(bytes)}`, name);
}

/** Label-first byte rows of `info` (decompressed): checks the length, returns the raw bytes. */
function u8Rows(info: DatasetInfo, bytes: Uint8Array): Uint8Array {
  checkBytes(bytes);
  const row = info.features + 1;
  if (bytes.length !== info.rows * row) {
    throw new ShapeError(`${info.name} must have ${info.rows} rows × ${row} bytes = ${info.rows * row} bytes, got ${bytes.length}`, 'bytes');
  }
  return bytes;
}

/**
 * The shipped numeric data set `name` from its decompressed file bytes, as float64 rows (the
 * {@link Dataset} shape of the CSV sets; byte images keep their 0–255 values).
 */
export function datasetFromBytes(name: DatasetName, bytes: Uint8Array): Dataset {
  const info = needFormat(name, ['label-first-csv', 'label-first-u8'], 'datasetFromBytes', 'textFromBytes');
  checkBytes(bytes);
  if (formatOf(info) === 'label-first-csv') return parseDataset(name, new TextDecoder().decode(bytes));
  const raw = u8Rows(info, bytes);
  const f = info.features;
  const labels = new Float64Array(info.rows);
  const X: Float64Array[] = [];
  for (let i = 0; i < info.rows; i++) {
    labels[i] = raw[i * (f + 1)];
    X.push(Float64Array.from(raw.subarray(i * (f + 1) + 1, (i + 1) * (f + 1))));
  }
  return { name, X, labels, header: ['label', ...Array.from({ length: f }, (_, j) => `p${j}`)] };
}

/** The class id of each label of a tabular set, by its info's `classLabels`. */
function classIds(info: DatasetInfo, labels: ArrayLike<number>): Int32Array {
  const map = new Map(info.classLabels.map((l, k) => [l, k] as const));
  const y = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const k = map.get(labels[i]);
    if (k === undefined) throw new ValueError(`${info.name}: row ${i} has label ${labels[i]}, not one of ${info.classLabels.join(', ')}`, 'labels');
    y[i] = k;
  }
  return y;
}

/**
 * A loaded numeric data set as {@link ClassificationData}: float32 features (raw values, as in
 * the file), labels mapped to class ids by the info's `classLabels` (breast cancer: 0 = malignant,
 * 1 = benign). For byte images use {@link classificationFromBytes} (pixels scaled to [0, 1]).
 */
export function classificationFromDataset(data: Dataset): ClassificationData {
  if (data == null || typeof data !== 'object' || !Array.isArray(data.X)) {
    throw new ValueError(`data must be a loaded Dataset, got ${describe(data)}`, 'data');
  }
  const info = datasetInfo(data.name as DatasetName);
  const n = data.X.length;
  const f = n > 0 ? data.X[0].length : info.features;
  const x = new Float32Array(n * f);
  data.X.forEach((row, i) => {
    if (row.length !== f) throw new ShapeError(`data.X[${i}] must have ${f} features, got ${row.length}`, 'data');
    x.set(row, i * f);
  });
  const out: ClassificationData = {
    name: data.name,
    n,
    x,
    features: f,
    y: classIds(info, data.labels),
    classes: info.classLabels.length,
    classNames: info.classNames,
    sourceIndex: Int32Array.from({ length: n }, (_, i) => i),
  };
  if (info.imageShape) out.imageShape = info.imageShape;
  return out;
}

/**
 * The shipped numeric data set `name` as {@link ClassificationData} from its decompressed file
 * bytes. Byte images (`'label-first-u8'`, e.g. `mnist-digits`) are scaled to [0, 1] (byte / 255).
 */
export function classificationFromBytes(name: FeatureDatasetName, bytes: Uint8Array): ClassificationData {
  const info = needFormat(name, ['label-first-csv', 'label-first-u8'], 'classificationFromBytes', 'textFromBytes');
  if (formatOf(info) === 'label-first-csv') return classificationFromDataset(datasetFromBytes(name, bytes));
  const raw = u8Rows(info, bytes);
  const f = info.features;
  const x = new Float32Array(info.rows * f);
  const labels = new Int32Array(info.rows);
  for (let i = 0; i < info.rows; i++) {
    labels[i] = raw[i * (f + 1)];
    for (let j = 0; j < f; j++) x[i * f + j] = raw[i * (f + 1) + 1 + j] / 255;
  }
  const out: ClassificationData = {
    name,
    n: info.rows,
    x,
    features: f,
    y: classIds(info, labels),
    classes: info.classLabels.length,
    classNames: info.classNames,
    sourceIndex: Int32Array.from({ length: info.rows }, (_, i) => i),
  };
  if (info.imageShape) out.imageShape = info.imageShape;
  return out;
}

/**
 * The shipped text data set `name` from its decompressed file bytes (UTF-8 JSON lines
 * `[label, group, subject, body]`). Each text is `subject + '\n' + body`.
 */
export function textFromBytes(name: TextDatasetName, bytes: Uint8Array): TextData {
  const info = needFormat(name, ['text-jsonl'], 'textFromBytes', 'classificationFromBytes');
  checkBytes(bytes);
  const lines = new TextDecoder().decode(bytes).split('\n').filter((l) => l !== '');
  if (lines.length !== info.rows) throw new ShapeError(`${name} must have ${info.rows} lines, got ${lines.length}`, 'bytes');
  const labels = new Int32Array(lines.length);
  const texts: string[] = [];
  const groups: string[] = [];
  lines.forEach((line, i) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new ValueError(`line ${i + 1} must be a JSON array, got ${JSON.stringify(line.slice(0, 40))}`, 'bytes');
    }
    if (!Array.isArray(row) || row.length !== 4 || typeof row[0] !== 'number' || row.slice(1).some((c) => typeof c !== 'string')) {
      throw new ValueError(`line ${i + 1} must be [label, group, subject, body], got ${JSON.stringify(line.slice(0, 40))}`, 'bytes');
    }
    labels[i] = row[0];
    groups.push(row[1]);
    texts.push(`${row[2]}\n${row[3]}`);
  });
  return {
    name,
    n: lines.length,
    texts,
    groups,
    y: classIds(info, labels),
    classes: info.classLabels.length,
    classNames: info.classNames,
    sourceIndex: Int32Array.from({ length: lines.length }, (_, i) => i),
  };
}

/** gunzip through the platform's `DecompressionStream`. */
export async function gunzip(gzipBytes: Uint8Array): Promise<Uint8Array> {
  checkBytes(gzipBytes, 'gzipBytes');
  const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> })
    .DecompressionStream;
  if (typeof DS !== 'function') {
    throw new NotSupportedError('decoding needs DecompressionStream (browsers, Node >= 18)', 'gzipBytes');
  }
  const stream = new Blob([gzipBytes]).stream().pipeThrough(new DS('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Decodes the gzip-compressed file of the shipped numeric data set `name` (its bytes, e.g. from
 * `fetch` in a browser) with the platform's `DecompressionStream`.
 *
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('/data/german-credit.csv.gz')).arrayBuffer());
 * const data = await decodeDataset('german-credit', bytes);
 * ```
 */
export async function decodeDataset(name: DatasetName, gzipBytes: Uint8Array): Promise<Dataset> {
  needFormat(name, ['label-first-csv', 'label-first-u8'], 'decodeDataset', 'decodeText');
  return datasetFromBytes(name, await gunzip(gzipBytes));
}

/** {@link decodeDataset} giving {@link ClassificationData} (see {@link classificationFromBytes}). */
export async function decodeClassification(name: FeatureDatasetName, gzipBytes: Uint8Array): Promise<ClassificationData> {
  needFormat(name, ['label-first-csv', 'label-first-u8'], 'decodeClassification', 'decodeText');
  return classificationFromBytes(name, await gunzip(gzipBytes));
}

/** Decodes the gzip-compressed file of the shipped text data set `name` (see {@link textFromBytes}). */
export async function decodeText(name: TextDatasetName, gzipBytes: Uint8Array): Promise<TextData> {
  needFormat(name, ['text-jsonl'], 'decodeText', 'decodeClassification');
  return textFromBytes(name, await gunzip(gzipBytes));
}
