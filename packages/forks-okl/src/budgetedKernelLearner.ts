/**
 * The common skeleton of the kernel-expansion learners (KernelOGD, Kernel Pegasos, BOGD, RBP,
 * BPA-S, Projectron): a {@link SupportSet} f(x) = Σᵢ αᵢκ(svᵢ, x), capped at `budget` rows (or
 * unbudgeted), scored the same way and saved the same way. Each learner keeps only its own
 * update rule (which example to add, which to remove or merge, how to rescale α).
 * @module
 */
import type { BlobReader, ResolvedKernelSpec } from '@descent/tensor';
import { KernelLearner } from './kernelLearner';
import { MAX_SIZE } from './onlineLearner';
import { SupportSet } from './supportSet';
import type { LearnerJSON } from './types';

/** A kernel expansion over a (budgeted) support set. */
export abstract class BudgetedKernelLearner extends KernelLearner {
  /** The budget B (`Infinity` for the unbudgeted learners). */
  readonly budget: number;
  protected sv: SupportSet | undefined;

  constructor(kernel: ResolvedKernelSpec | 'auto', kernelWidthRows: number, budget: number, dim?: number) {
    super(kernel, kernelWidthRows, dim);
    this.budget = budget;
  }

  /** Number of support vectors. */
  get size(): number {
    return this.sv?.n ?? 0;
  }

  /** The support set for rows of length d (created on the first update). */
  protected supportSet(d: number): SupportSet {
    this.sv ??= new SupportSet(d, Number.isFinite(this.budget) ? Math.min(this.budget, MAX_SIZE) : 16);
    return this.sv;
  }

  protected score(x: Float64Array): number {
    return this.sv ? this.sv.score(this.kern, x) : 0;
  }

  /** The blob of a budgeted learner: options, kernel, support set and the subclass's `fields`. */
  protected budgetedBlob(type: string, options: Record<string, unknown>, fields: Record<string, unknown> = {}): LearnerJSON {
    return this.learnerBlob(type, options, { ...this.kernelFields(), sv: this.sv?.toJSON() ?? null, ...fields });
  }

  /** Reads the common part of a budgeted learner's blob. */
  protected restoreBudgeted(r: BlobReader): void {
    this.restoreBase(r);
    this.restoreKernel(r);
    const sv = r.nullable('sv', (q) => {
      if (this.dimValue === undefined) throw q.valueError('null before the first row (dim is null)');
      return SupportSet.read(q, this.dimValue, Number.isFinite(this.budget) ? this.budget : MAX_SIZE);
    });
    this.sv = sv ?? undefined;
  }
}
