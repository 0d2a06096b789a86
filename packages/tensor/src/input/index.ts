/**
 * Reading user arguments: vectors and matrices in any of the accepted forms (plain arrays, typed
 * arrays, tensors), checked once, with typed errors that name the argument. Every package reads
 * its inputs through these functions so that the same mistake gets the same message everywhere.
 * @module
 */
export * from './tensorLike';
export * from './readVector';
export * from './readMatrix';
export * from './readBuffer';
