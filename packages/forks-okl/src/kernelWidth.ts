/**
 * The default kernel of the streaming learners (`kernel: 'auto'`): a Gaussian kernel whose
 * bandwidth is the median heuristic (`medianHeuristic(rows, { variant: 'median' })` of
 * @descent/tensor: h = the median pairwise Euclidean distance) of the first rows of the stream.
 *
 * A stream has no held-out prefix, so the width is estimated online: the learner keeps the first
 * `rows` rows it learns from (default 100) and recomputes h from the rows seen so far when their
 * count reaches 2, 4, 8, …, 64 and `rows`; after that (or when the learner freezes it, e.g. FORKS
 * when it builds its feature map) h no longer changes. The cost is O(rows²·d) once.
 * @module
 */
import { type BlobReader, Matrix, type ResolvedKernelSpec, medianHeuristic, readInteger, readVector } from '@descent/tensor';
import { MAX_SIZE } from './onlineLearner';

/** Plain-JSON state of a {@link MedianKernelWidth}. */
export interface MedianKernelWidthState {
  maxRows: number;
  rows: number[][];
  bandwidth: number;
  frozen: boolean;
}

/** Online median-heuristic bandwidth of a Gaussian kernel over the first rows of a stream. */
export class MedianKernelWidth {
  /** Rows used at most (default 100). */
  readonly maxRows: number;
  private rows: Float64Array[] = [];
  /** Current bandwidth (1 until two rows were seen). */
  bandwidth = 1;
  /** Whether the bandwidth is final. */
  frozen = false;

  constructor(maxRows = 100) {
    this.maxRows = readInteger(maxRows, 'kernelWidthRows', { min: 2, max: MAX_SIZE });
  }

  /** The current kernel spec. */
  get spec(): ResolvedKernelSpec {
    return { type: 'rbf', bandwidth: this.bandwidth };
  }

  /** Rows kept so far (0 once frozen). */
  get rowCount(): number {
    return this.rows.length;
  }

  /** Adds a row (ignored once frozen); returns whether the bandwidth changed. */
  observe(x: Float64Array): boolean {
    const row = readVector(x, 'x', { length: this.rows[0]?.length, copy: true });
    if (this.frozen) return false;
    this.rows.push(row);
    const n = this.rows.length;
    const checkpoint = n === this.maxRows || (n >= 2 && (n & (n - 1)) === 0);
    if (!checkpoint) return false;
    const old = this.bandwidth;
    this.bandwidth = medianHeuristic(Matrix.from(this.rows), { variant: 'median' });
    if (n === this.maxRows) this.freeze();
    return this.bandwidth !== old;
  }

  /** Fixes the bandwidth at its current value (recomputed from all rows kept so far) and drops the rows; returns whether it changed. */
  freeze(): boolean {
    if (this.frozen) return false;
    const old = this.bandwidth;
    if (this.rows.length >= 2) this.bandwidth = medianHeuristic(Matrix.from(this.rows), { variant: 'median' });
    this.frozen = true;
    this.rows = [];
    return this.bandwidth !== old;
  }

  /** Plain-JSON state. */
  toJSON(): MedianKernelWidthState {
    return { maxRows: this.maxRows, rows: this.rows.map((r) => Array.from(r)), bandwidth: this.bandwidth, frozen: this.frozen };
  }

  /** Reads the state written by {@link MedianKernelWidth.toJSON} (rows of length `dim` when known). */
  static read(r: BlobReader, dim: number | undefined): MedianKernelWidth {
    const w = new MedianKernelWidth(r.integer('maxRows', { min: 2, max: MAX_SIZE }));
    const rows = r.at('rows');
    const list = rows.asArrayValue();
    if (list.length >= w.maxRows) throw rows.shapeError(`fewer than maxRows (${w.maxRows}) rows`, list.length);
    w.rows = list.map((_, i) => rows.at(i).asVector(dim === undefined ? {} : { length: dim }));
    w.bandwidth = r.number('bandwidth', { gt: 0 });
    w.frozen = r.boolean('frozen');
    if (w.frozen && w.rows.length > 0) throw rows.shapeError('no rows once frozen', w.rows.length);
    return w;
  }
}
