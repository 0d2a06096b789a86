/**
 * Option reading: scalar readers and the schema resolver.
 * @module
 */
export * from './read';
export * from './resolve';
