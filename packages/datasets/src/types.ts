/**
 * The shapes shared by every data set: what a data set *is* (its {@link DatasetInfo}, with
 * provenance and licence) and what loading one gives (a {@link Dataset}).
 * @module
 */

/** Where a shipped file comes from and under which terms it is redistributed. */
export interface Provenance {
  /** The package (registry and version) or publication the file was taken from. */
  source: string;
  /** The file inside that source. */
  originalFile: string;
  /** How the shipped file was made from the original (conversion, subsetting, scaling). */
  conversion: string;
  /** Licence of the source and of the data, as stated by them. */
  licence: string;
  /** Who made the data (the citation to give). */
  citation: string;
}

/**
 * How a shipped file is stored (always gzip-compressed):
 * - `'label-first-csv'`: a header line, then one row per example, label first, numeric cells;
 * - `'label-first-u8'`: raw bytes, one row of `1 + features` bytes per example, label first
 *   (images: pixel bytes 0–255, row-major);
 * - `'text-jsonl'`: one JSON array `[label, group, subject, body]` per line (text sets).
 */
export type DatasetFormat = 'label-first-csv' | 'label-first-u8' | 'text-jsonl';

/** One shipped data set: a gzip-compressed file in the package's `data/` folder. */
export interface DatasetInfo {
  /** The name to load it by (e.g. `'german-credit'`). */
  readonly name: string;
  /** The file name in `data/`. */
  readonly file: string;
  /** Number of rows (examples). */
  readonly rows: number;
  /** Number of feature columns (the label column excluded); 0 for text sets. */
  readonly features: number;
  /** What the label column holds. */
  readonly labels: string;
  /** How the file is stored (default `'label-first-csv'`). */
  readonly format?: DatasetFormat;
  /**
   * The label values of the file in class-id order: class `k` of the classification view is
   * the label `classLabels[k]` (e.g. breast cancer `[-1, 1]`: 0 = malignant, 1 = benign).
   */
  readonly classLabels: readonly number[];
  /** A name for each class, in class-id order. */
  readonly classNames: readonly string[];
  /** The shape `[height, width, channels]` of one example when the rows are images. */
  readonly imageShape?: readonly [number, number, number];
  /** Provenance and licence. */
  readonly provenance: Provenance;
}

/** A loaded data set: features as float64 rows, labels as numbers, in file order. */
export interface Dataset {
  /** The data set's name. */
  name: string;
  /** The feature rows (each of length `header.length - 1`). */
  X: Float64Array[];
  /** The label of each row (the CSV's first column). */
  labels: Float64Array;
  /** The CSV header: the label column's name, then the feature names. */
  header: string[];
}
