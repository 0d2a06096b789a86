/**
 * Option specs shared by the learners' `resolveOptions` schemas (one reader per concept).
 * @module
 */
import { type KernelType, type ResolvedKernelSpec, option } from '@descent/tensor';
import { readKernelOption } from './kernel';
import { MAX_SIZE } from './onlineLearner';

/** `kernel`: a spec or `'auto'` (default `'auto'`). */
export const kernelOption = (types?: readonly KernelType[]) =>
  option.custom<ResolvedKernelSpec | 'auto', { default: 'auto' }>((v, name) => readKernelOption(v, name, types), { default: 'auto' });

/** `kernelWidthRows`: rows used by the `'auto'` kernel's median heuristic (default 100). */
export const kernelWidthRowsOption = () => option.integer({ min: 2, max: MAX_SIZE, default: 100 });

/** `loss`: `'hinge'` (default) or `'squaredHinge'`. */
export const lossOption = () => option.oneOf(['hinge', 'squaredHinge'] as const, { default: 'hinge' });

/** `dim`: the input dimension (optional; default from the first row). */
export const dimOption = () => option.integer({ min: 1, max: 1e7 });

/** A size (budget, rank, number of features) with a default. */
export const sizeOption = (fallback: number, min = 1) => option.integer({ min, max: MAX_SIZE, default: fallback });

/** A positive number with a default. */
export const positiveOption = (fallback: number) => option.number({ gt: 0, default: fallback });

/** A non-negative number with a default. */
export const nonNegativeOption = (fallback: number) => option.number({ min: 0, default: fallback });
