/**
 * @descent/tensor: the shared math of descent.
 * @packageDocumentation
 */
export * from './errors';
export * from './backend';
export * from './rng';
export * from './matrix';
export * from './input';
export type * from './experiment';
export * from './linalg';
export * from './blas';
export * from './optim';
export * from './robustStats';
export * from './autodiff';
export * from './finiteDiff';
export * from './safeOps';
export * from './kernels';
export * from './mmd';
