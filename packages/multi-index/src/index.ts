/**
 * @descent/multi-index: online spherical SGD on orthogonal multi-index models (Ren & Lee 2024,
 * "Learning Orthogonal Multi-Index Models: A Fine-Grained Information Exponent Analysis",
 * arXiv 2410.09678).
 * @packageDocumentation
 */
export { hermite, hermiteAll, hermiteDeriv, hermiteHe } from './hermite';
export { gaussHermiteRule, gaussianExpectation, type QuadratureRule } from './gaussHermite';
export { HermiteSeries, MAX_HERMITE_DEGREE, hermiteCoefficients, type HermiteCoeffs } from './hermiteSeries';
export {
  MultiIndexTarget,
  assertOrthonormalColumns,
  type MultiIndexTargetOptions,
  type Sample,
} from './multiIndexTarget';
export {
  SphericalOnlineSGD,
  type CheckRecord,
  type RunOptions,
  type RunResult,
  type SphericalOnlineSGDOptions,
  type SphericalOnlineSGDState,
  type LearnOneReport,
  type StudentInit,
} from './sphericalOnlineSGD';
export { sphericalStep, normalizeRows } from './sphericalStep';
export { studentGradient, type StudentGradientArgs, type StudentLoss } from './studentGradient';
export {
  CALIBRATION_D,
  defaultSchedule,
  stageAt,
  totalSamples,
  totalSteps,
  validateSchedule,
  type Stage,
} from './schedule';
export { ridgeRegression } from './ridgeRegression';
export {
  bestOverlaps,
  coverage,
  matchNeurons,
  overlaps,
  relativeMSE,
  subspaceMass,
  type MatchOptions,
  type NeuronMatching,
} from './metrics';
export { hermiteKernel, populationCorrelation, populationSquaredLoss } from './populationLoss';
export {
  samplesToRecovery,
  type SamplesToRecoveryOptions,
  type SamplesToRecoveryResult,
} from './samplesToRecovery';
export { logLogSlope, recoverySweep, type SweepOptions, type SweepRow } from './sweep';
