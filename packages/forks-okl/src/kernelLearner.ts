/**
 * The base of every learner with a kernel: the kernel option (a spec, or `'auto'`: a Gaussian
 * whose bandwidth the {@link MedianKernelWidth} estimates from the first rows), the kernel in use,
 * and their part of the blob. Learners whose state depends on the bandwidth (a Cholesky factor,
 * K⁻¹) rebuild it in {@link KernelLearner.onKernelChange}.
 * @module
 */
import type { BlobReader, ResolvedKernelSpec } from '@descent/tensor';
import { readKernelOption } from './kernel';
import { MedianKernelWidth } from './kernelWidth';
import { OnlineLearner } from './onlineLearner';

/** A learner with a kernel option. */
export abstract class KernelLearner extends OnlineLearner {
  /** The kernel option as resolved (`'auto'` or a spec with explicit parameters). */
  readonly kernelOption: ResolvedKernelSpec | 'auto';
  /** The `'auto'` kernel's width estimator (undefined for an explicit kernel). */
  protected width: MedianKernelWidth | undefined;
  /** The kernel in use. */
  protected kern: ResolvedKernelSpec;

  constructor(kernel: ResolvedKernelSpec | 'auto', kernelWidthRows: number, dim?: number) {
    super(dim);
    this.kernelOption = kernel;
    if (kernel === 'auto') {
      this.width = new MedianKernelWidth(kernelWidthRows);
      this.kern = this.width.spec;
    } else {
      this.kern = kernel;
    }
  }

  /** The kernel in use (for `'auto'`, the current median-heuristic bandwidth). */
  get kernel(): ResolvedKernelSpec {
    return { ...this.kern };
  }

  protected override beforeLearn(x: Float64Array): void {
    if (this.width && !this.width.frozen && this.width.observe(x)) {
      this.kern = this.width.spec;
      this.onKernelChange();
    }
  }

  /** Fixes the `'auto'` bandwidth now (e.g. before building a feature map). */
  protected freezeKernel(): void {
    if (this.width?.freeze()) {
      this.kern = this.width.spec;
      this.onKernelChange();
    }
  }

  /** Called when the `'auto'` bandwidth changed (state that depends on it is rebuilt here). */
  protected onKernelChange(): void {}

  /** The kernel part of a blob. */
  protected kernelFields(): Record<string, unknown> {
    return { kernelWidth: this.width?.toJSON() ?? null, kernelInUse: this.kern };
  }

  /** Reads the kernel part of a blob (call after `restoreBase`). */
  protected restoreKernel(r: BlobReader): void {
    const w = r.nullable('kernelWidth', (q) => MedianKernelWidth.read(q, this.dimValue));
    if ((w === null) !== (this.kernelOption !== 'auto')) throw r.at('kernelWidth').valueError(this.kernelOption === 'auto' ? "the state of the 'auto' kernel" : 'null (the kernel is explicit)');
    this.width = w ?? undefined;
    const inUse = r.at('kernelInUse');
    const k = readKernelOption(inUse.asRaw(), inUse.path);
    if (k === 'auto') throw inUse.valueError('a kernel spec');
    if (w && (k.type !== 'rbf' || k.bandwidth !== w.bandwidth)) throw inUse.valueError(`{ type: 'rbf', bandwidth: ${w.bandwidth} } (the estimated width)`);
    if (!w && JSON.stringify(k) !== JSON.stringify(this.kernelOption)) throw inUse.valueError(`the kernel option ${JSON.stringify(this.kernelOption)}`);
    this.kern = k;
  }
}
