/**
 * @descent/tensor: the shared math of descent.
 * @packageDocumentation
 */
export * from './errors';
export * from './backend';
export * from './rng';
export * from './matrix';
export * from './input';
export * from './protocols';
export * from './serialization';
export * from './options';
export type * from './experiment';
export * from './linalg';
export * from './optim';
export * from './robustStats';
export * from './powerLaw';
export * from './autodiff';
export * from './finiteDiff';
export * from './safeOps';
export * from './kernels';
export * from './kernelSpec';
export * from './mmd';
