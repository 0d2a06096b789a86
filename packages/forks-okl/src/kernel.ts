/**
 * Kernels of the learners: the core's serialisable {@link KernelSpec} (`{ type: 'rbf', bandwidth }`
 * is the Gaussian exp(−‖x − y‖²/(2h²)); `'linear'`, `'polynomial'`, `'imq'`) and evaluated through
 * the core's `kernelRow` / `kernelGram`, plus `'auto'`: a Gaussian whose bandwidth is the median
 * pairwise distance of the first rows (see {@link MedianKernelWidth}).
 * @module
 */
import { type KernelSpec, type KernelType, type ResolvedKernelSpec, ValueError, readKernelSpec, readNumber, readInteger, resolveKernelSpec } from '@descent/tensor';

export type { KernelSpec, ResolvedKernelSpec };

/** A kernel option: a spec, or `'auto'` (Gaussian, median-heuristic bandwidth over the first rows). */
export type KernelOption = KernelSpec | 'auto';

/** The Gaussian kernel spec exp(−‖x − y‖²/(2h²)) with bandwidth h (what the reference code calls σ). */
export function gaussianKernel(bandwidth: number): { type: 'rbf'; bandwidth: number } {
  return { type: 'rbf', bandwidth: readNumber(bandwidth, 'bandwidth', { gt: 0 }) };
}

/** The linear kernel spec xᵀy. */
export function linearKernel(): { type: 'linear' } {
  return { type: 'linear' };
}

/** The polynomial kernel spec (γxᵀy + c₀)^degree. */
export function polynomialKernel(degree: number, gamma = 1, coef0 = 1): { type: 'polynomial'; degree: number; gamma: number; coef0: number } {
  return { type: 'polynomial', degree: readInteger(degree, 'degree', { min: 1 }), gamma: readNumber(gamma, 'gamma', { gt: 0 }), coef0: readNumber(coef0, 'coef0') };
}

/**
 * Reads a kernel option: `'auto'`, or a spec with a numeric bandwidth (resolved: every parameter
 * explicit). `bandwidth: 'median'` is rejected here (the core's median is the SVGD variant over
 * a point set; the learners' median-heuristic width is `kernel: 'auto'`).
 */
export function readKernelOption(value: unknown, name = 'kernel', types?: readonly KernelType[]): ResolvedKernelSpec | 'auto' {
  if (value === 'auto') return 'auto';
  if (typeof value === 'object' && value !== null && (value as { bandwidth?: unknown }).bandwidth === 'median') {
    throw new ValueError(`${name}.bandwidth 'median' is not supported by the streaming learners: pass kernel: 'auto' (median pairwise distance of the first rows) or a number`, `${name}.bandwidth`);
  }
  return resolveKernelSpec(readKernelSpec(value, name, { types, allowMedian: false }));
}
