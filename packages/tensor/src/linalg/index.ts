/**
 * Float64 dense linear algebra on {@link Matrix} and `Float64Array`.
 * @module
 */
export * from './vector';
