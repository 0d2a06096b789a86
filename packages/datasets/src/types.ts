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

/** One shipped data set: a gzip-compressed, label-first CSV file in the package's `data/` folder. */
export interface DatasetInfo {
  /** The name to load it by (e.g. `'german-credit'`). */
  readonly name: string;
  /** The file name in `data/`. */
  readonly file: string;
  /** Number of rows (examples). */
  readonly rows: number;
  /** Number of feature columns (the label column excluded). */
  readonly features: number;
  /** What the label column holds. */
  readonly labels: string;
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
