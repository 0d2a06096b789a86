/**
 * @descent/robust-phase: robust gradient descent for phase retrieval under heavy-tailed noise and
 * adversarial corruption (Buna & Rebeschini, arXiv 2410.10623, AISTATS 2025), with the classical
 * Wirtinger-flow baselines behind the same interface.
 * @packageDocumentation
 */
export type {
  CommonSolverOptions,
  DesignLike,
  HistoryEntry,
  ProductsMode,
  SolveResult,
  VectorLike,
} from './types';
export { makeGaussianProblem, noiseMean, sampleGamma, sampleNoise } from './problem';
export type { GaussianProblemOptions, NoiseKind, NoiseModel, PhaseProblem } from './problem';
export { ADVERSARIES, contaminate } from './contaminate';
export type { AdversaryKind, ContaminationOptions } from './contaminate';
export { absCosine, alignSign, relativeError } from './metrics';
export { robustObjective } from './robustObjective';
export { MEAN_ESTIMATORS, momBlocks, robustMean } from './robustMean';
export type { MeanEstimator, RobustMeanOptions } from './robustMean';
export { CHI2_1_MEDIAN, INIT_METHODS, spectralInit } from './spectralInit';
export type {
  InitCandidate,
  InitMethod,
  NormEstimator,
  SpectralInitOptions,
  SpectralInitResult,
} from './spectralInit';
export { wirtingerFlow } from './wirtingerFlow';
export type { WirtingerFlowOptions } from './wirtingerFlow';
export { medianTWF, truncatedWF } from './truncatedWF';
export type { TruncatedWFOptions } from './truncatedWF';
export { medianRWF, reshapedWF } from './reshapedWF';
export type { ReshapedWFOptions } from './reshapedWF';
export { DEFAULT_ROBUST_INIT, robustWF } from './robustWF';
export type { RobustWFOptions } from './robustWF';
export { pairDifference } from './pairDifference';
export type { BilinearData } from './pairDifference';
export { robustBilinearWF } from './robustBilinearWF';
export type { RobustBilinearWFOptions } from './robustBilinearWF';
export { robustPhaseRetrieval } from './robustPhaseRetrieval';
export type { RobustPhaseRetrievalOptions, RobustPhaseRetrievalResult } from './robustPhaseRetrieval';
export { bilinearGradient, bilinearLoss, wfGradient, wfLoss, wfPopulationGradient } from './gradients';
export { FLOAT32_PRODUCTS_THRESHOLD, simdAvailable } from './measurementOperator';
