/**
 * Optax-like optimizers on flat Float64Array parameters.
 * @module
 */
export * from './transformation';
export * from './schedule';
export * from './scale';
export * from './sgd';
export * from './adam';
export * from './clip';
