/**
 * @descent/forks-okl: FORKS second-order online kernel learning (Wen et al., arXiv 2410.11188,
 * IJCAI 2025) with its baselines, building blocks, evaluation and data streams.
 * Platform-neutral; the Node loaders of the shipped data are on `@descent/forks-okl/node`.
 * @packageDocumentation
 */
export type { Label, LearnerJSON, LossName, OnlineBinaryLearner, RunStats, StepResult } from './types';
export { OnlineLearner, type UpdateOutcome } from './onlineLearner';
export { type KernelOption, type KernelSpec, type ResolvedKernelSpec, gaussianKernel, linearKernel, polynomialKernel } from './kernel';
export { MedianKernelWidth, type MedianKernelWidthState } from './kernelWidth';
// FORKS
export { FORKS_DEFAULTS, Forks, type ForksOptions, type SketchUpdatePolicy, referenceForksOptions } from './forks';
export {
  type CrossTerms,
  type DecompositionMode,
  REFERENCE_SKETCH_DEFAULTS,
  type ResolvedSketchedOptions,
  type SketchUpdateRecord,
  type SketchedDefaults,
  SketchedKernelLearner,
  type SketchedKernelOptions,
  paperUpdateCycle,
} from './sketchedKernelLearner';
export type { ProjectionSolver } from './fastSpsdFeatureMap';
// baselines
export * from './baselines/skeGd';
export * from './baselines/prosNKons';
export * from './baselines/nogd';
export * from './baselines/fogd';
export * from './baselines/bogd';
export * from './baselines/projectron';
export * from './baselines/bpaS';
export * from './baselines/rbp';
export * from './baselines/kernelOgd';
export * from './baselines/kernelPegasos';
export * from './baselines/ons';
// building blocks
export { type CountSketch, columnSampler, countSketch, countSketchDense } from './countSketch';
export { type BasisRotation, type TisvdState, TruncatedIncrementalSvd } from './truncatedIncrementalSvd';
export { type SymEigState, SymmetricIncrementalEig } from './symmetricIncrementalEig';
export { IncrementalPseudoInverse, type PinvDelta } from './incrementalPseudoInverse';
export { FrequentDirections } from './frequentDirections';
export { ShermanMorrisonInverse } from './shermanMorrison';
export { type OnsStepOptions, onsProjectedStep } from './onsStep';
export { type NystromFeatureMap, nystromFeatureMap, nystromTransform } from './nystromFeatureMap';
export { type RandomFourierFeatures, randomFourierFeatures, rffTransform } from './randomFourierFeatures';
// evaluation and data
export * from './evaluate';
export * from './streams';
export * from './libsvm';
export * from './datasets';
