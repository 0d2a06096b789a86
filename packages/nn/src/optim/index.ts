/**
 * Optax-style optimizers over parameter trees.
 * @module
 */
export * from './transformation';
export * from './scale';
export * from './sgd';
export * from './adam';
export * from './clip';
