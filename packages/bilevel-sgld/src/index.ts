/**
 * @descent/bilevel-sgld: bilevel optimisation as SGLD sampling with Monte-Carlo hypergradients
 * (Kim & Hospedales, "A Stochastic Approach to Bi-Level Optimization for Hyperparameter
 * Optimization and Meta Learning", arXiv 2410.10417, AAAI-25; the recursion is RECONSTRUCTED, see
 * the README), the classical hypergradient baselines behind one signature, and exact oracles
 * (ridge with per-parameter weight decay). Float64 throughout; no tfjs.
 * @packageDocumentation
 */
export {
  checkProblem,
  type BilevelProblem,
  type CheckedProblem,
  type OracleCounts,
  type SecondOrderMode,
} from './problem';
export {
  sgld,
  sgldStep,
  type ChainOptions,
  type EstimatorChainOptions,
  type SgldHistoryEntry,
  type SgldOptions,
  type SgldResult,
} from './sgld';
export type { EstimateContext, HypergradientEstimate, HypergradientEstimator } from './estimator';
export { sgldCovariance, type SgldCovarianceOptions } from './sgldCovariance';
export { sgldPathwise, type SgldPathwiseOptions } from './sgldPathwise';
export { sgldFirstOrder, type FirstOrderVariant, type SgldFirstOrderOptions } from './sgldFirstOrder';
export type { InnerLoopOptions } from './innerDescent';
export type { CurvatureEstimate, CurvatureStep, StepSize } from './stepSize';
export {
  forwardMode,
  unrolledReverse,
  type ForwardModeOptions,
  type UnrolledReverseOptions,
} from './unrolled';
export { iftCG, iftNeumann, type IftCgOptions, type IftNeumannOptions } from './ift';
export {
  dartsFD,
  dartsFirstOrder,
  ignoreHypergradient,
  t1t2,
  type DartsFdOptions,
  type T1T2Options,
} from './oneStep';
export {
  ridgeData,
  ridgeProblem,
  type RidgeData,
  type RidgeDataOptions,
  type RidgePenalty,
  type RidgeProblem,
  type RidgeProblemOptions,
  type RidgeTarget,
} from './ridge';
export {
  bilevelTrain,
  type BilevelHistoryEntry,
  type BilevelTrainOptions,
  type BilevelTrainResult,
} from './bilevelTrain';
export { doubleWellProblem, type DoubleWellOptions, type DoubleWellProblem } from './doubleWell';
export {
  reweightingProblem,
  type ReweightingData,
  type ReweightingOptions,
  type ReweightingProblem,
} from './reweighting';
export { sinusoidFewShot, type SinusoidOptions, type SinusoidProblem } from './sinusoid';
