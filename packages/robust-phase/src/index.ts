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
  SolveCandidate,
  SolveResult,
  SolveStopReason,
  VectorLike,
} from './types';
export type { SkeletonOptions } from './solver';
export { makeGaussianProblem, noiseMean, sampleGamma, sampleNoise } from './problem';
export type { GaussianProblemOptions, NoiseKind, NoiseModel, PhaseProblem } from './problem';
export { ADVERSARIES, attackFamily, contaminate } from './contaminate';
export type {
  AdversaryKind,
  AttackSpec,
  ContaminationOptions,
  SpikeAttack,
  SpikeDirection,
} from './contaminate';
export { absCosine, alignSign, relativeError } from './metrics';
export { robustObjective } from './robustObjective';
export { selectionObjective, shorthHalfWidth } from './selection';
export type { SelectionObjective } from './selection';
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
export { BB_MAX, BB_MIN, DEFAULT_ROBUST_INIT, robustWF } from './robustWF';
export type { RobustWFOptions, StepRule } from './robustWF';
export { pairDifference } from './pairDifference';
export type { BilinearData } from './pairDifference';
export { robustBilinearWF } from './robustBilinearWF';
export type { BilinearInit, RobustBilinearWFOptions } from './robustBilinearWF';
export { MAD_TO_SD, REFINE_STEP, chiSquareQuantile, reweightedWF } from './reweightedWF';
export type { ReweightedWFOptions, ReweightedWFResult } from './reweightedWF';
export { DEFAULT_BASELINES, POLISH_GUARD, robustPhaseRetrieval } from './robustPhaseRetrieval';
export type {
  Baseline,
  RobustPhaseRetrievalOptions,
  RobustPhaseRetrievalResult,
} from './robustPhaseRetrieval';
export { bilinearGradient, bilinearLoss, wfGradient, wfLoss, wfPopulationGradient } from './gradients';
export { FLOAT32_PRODUCTS_THRESHOLD, simdAvailable } from './measurementOperator';
