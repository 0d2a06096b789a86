/**
 * @descent/stability: O(1/n²) excess-risk rates made visible (Zhu, Li, Yi, Liu, "Stability and
 * Sharper Risk Bounds with Convergence Rate O(1/n²)", arXiv 2410.09766). Float64 throughout; no
 * tfjs.
 * @packageDocumentation
 */
export type { Algorithm, FitRecord, FitResult } from './algorithm';
export { projectToBall } from './ball';
export { erm, type ErmOptions } from './erm';
export {
  leastSquaresFamily,
  logisticFamily,
  type LeastSquaresFamilyOptions,
  type LeastSquaresRegime,
  type LogisticFamilyOptions,
  type LogisticRegime,
} from './families';
export {
  gradientStability,
  type GradientStabilityOptions,
  type GradientStabilityResult,
} from './gradientStability';
export {
  LeastSquaresProblem,
  type InputDistribution,
  type LeastSquaresOptions,
  type NoiseDistribution,
} from './leastSquares';
export { LogisticProblem, sigmoid, softplus, type LogisticOptions } from './logistic';
export { normalExpectation } from './normalExpectation';
export { defaultPgdSteps, pgd, type PgdOptions } from './pgd';
export {
  empiricalGradient,
  empiricalHessian,
  empiricalRisk,
  empiricalSmoothness,
  maxSampleSmoothness,
  readDataset,
  replaceSample,
  sampleGradient,
  sampleLoss,
  type Dataset,
  type ProblemFamily,
  type RiskProblem,
} from './problem';
export {
  rateExperiment,
  stabilityExperiment,
  type RateExperimentOptions,
  type RatePoint,
  type RateResult,
  type StabilityExperimentOptions,
  type StabilityPoint,
  type StabilityResult,
  type Summary,
} from './rateExperiment';
export { sgd, type SgdOptions } from './sgd';
