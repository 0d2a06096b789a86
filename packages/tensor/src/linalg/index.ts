/**
 * Float64 dense linear algebra on {@link Matrix} and `Float64Array`.
 * @module
 */
export * from './vector';
export * from './products';
export * from './triangularSolve';
export * from './cholesky';
export * from './lu';
export * from './qr';
export * from './eigh';
export * from './svd';
export type { VectorLike, RhsLike } from './internal';
export * from './lanczos';
export * from './randomized';
