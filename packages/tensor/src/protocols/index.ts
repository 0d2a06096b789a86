/**
 * The protocol interfaces every descent package implements: ask/tell strategies, streaming
 * learners, gradient transformations, run results with one stop-reason vocabulary, and
 * versioned serialisation.
 * @module
 */
export * from './stopReason';
export type * from './askTell';
export type * from './streamingLearner';
export type * from './gradientTransformation';
export type * from './runResult';
export type * from './serializable';
