/**
 * The default kernel of the streaming learners: a Gaussian kernel whose width is the median
 * heuristic (`medianHeuristic(rows, { variant: 'median' })` of @descent/tensor: σ = the median
 * pairwise Euclidean distance) of the first rows of the stream.
 *
 * A stream has no held-out prefix, so the width is estimated online: the learner keeps the first
 * `rows` rows it learns from (default 100) and recomputes σ from the rows seen so far when their
 * count reaches 2, 4, 8, …, 64 and `rows`; after that (or when the learner freezes it, e.g. FORKS
 * when it builds its feature map) σ no longer changes. The cost is O(rows²·d) once.
 * @module
 */
import { Matrix, ValueError, assertInteger, medianHeuristic } from '@descent/tensor';
import type { KernelSpec } from './kernel';

/** Plain-JSON state of a {@link MedianKernelWidth}. */
export interface MedianKernelWidthState {
  maxRows: number;
  rows: number[][];
  sigma: number;
  frozen: boolean;
}

/** Online median-heuristic width of a Gaussian kernel over the first rows of a stream. */
export class MedianKernelWidth {
  /** Rows used at most (default 100). */
  readonly maxRows: number;
  private rows: Float64Array[] = [];
  /** Current width (1 until two rows were seen). */
  sigma = 1;
  /** Whether σ is final. */
  frozen = false;

  constructor(maxRows = 100) {
    assertInteger('kernelWidthRows', maxRows, 2);
    this.maxRows = maxRows;
  }

  /** The current kernel spec. */
  get spec(): KernelSpec {
    return { type: 'gaussian', sigma: this.sigma };
  }

  /** Adds a row (ignored once frozen); returns whether σ changed. */
  observe(x: Float64Array): boolean {
    if (this.frozen) return false;
    this.rows.push(x.slice());
    const n = this.rows.length;
    const checkpoint = n === this.maxRows || (n >= 2 && (n & (n - 1)) === 0);
    if (!checkpoint) return false;
    const old = this.sigma;
    this.sigma = medianHeuristic(Matrix.from(this.rows), { variant: 'median' });
    if (n === this.maxRows) this.freeze();
    return this.sigma !== old;
  }

  /** Fixes σ at its current value (recomputed from all rows kept so far) and drops the rows. */
  freeze(): void {
    if (this.frozen) return;
    if (this.rows.length >= 2) this.sigma = medianHeuristic(Matrix.from(this.rows), { variant: 'median' });
    this.frozen = true;
    this.rows = [];
  }

  /** Plain-JSON state. */
  toJSON(): MedianKernelWidthState {
    return { maxRows: this.maxRows, rows: this.rows.map((r) => Array.from(r)), sigma: this.sigma, frozen: this.frozen };
  }

  /** Restores from {@link MedianKernelWidth.toJSON}. */
  static fromJSON(j: MedianKernelWidthState): MedianKernelWidth {
    if (!j || typeof j !== 'object') throw new ValueError('kernelWidth must be an object', 'kernelWidth');
    const w = new MedianKernelWidth(j.maxRows);
    w.rows = j.rows.map((r) => Float64Array.from(r));
    w.sigma = j.sigma;
    w.frozen = j.frozen;
    return w;
  }
}
