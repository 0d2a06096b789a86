/**
 * @descent/robust-phase: robust gradient descent for phase retrieval under heavy-tailed noise and
 * adversarial corruption (Buna & Rebeschini, arXiv 2410.10623, AISTATS 2025), with the classical
 * Wirtinger-flow baselines behind the same interface.
 * @packageDocumentation
 */
export * from './types';
export * from './problem';
export * from './contaminate';
export { relativeError, alignSign, absCosine } from './metrics';
export { robustObjective } from './robustObjective';
export * from './robustMean';
export * from './spectralInit';
export * from './wirtingerFlow';
export * from './truncatedWF';
export * from './reshapedWF';
export * from './robustWF';
export * from './pairDifference';
export * from './robustBilinearWF';
export * from './robustPhaseRetrieval';
export { simdAvailable } from './wasmSimdKernels';
export * from './gradients';
