/**
 * @descent/tensor: the float64 core of descent. It imports no tfjs: errors, input readers, the
 * seeded splittable `Rng`, `Matrix` and linear algebra, robust statistics, optimizers on
 * typed arrays, kernels and MMD on arrays, finite differences, experiment types. Tensor inputs
 * are read by duck typing ({@link TensorLike}). The tfjs layer (backend `ready()`, gradient
 * registration, autodiff, safe ops, tensor kernels) is `@descent/tensor/tf`.
 * @packageDocumentation
 */
export * from './errors';
export * from './rng';
export * from './matrix';
export * from './input';
export * from './protocols';
export * from './serialization';
export * from './options';
export type * from './experiment';
export * from './benchRecords';
export * from './linalg';
export * from './blas';
export * from './optim';
export * from './robustStats';
export * from './powerLaw';
export * from './finiteDiff';
export * from './kernels';
export * from './kernelSpec';
export * from './mmd';
