/**
 * @descent/feature-averaging: why gradient descent makes two-layer networks non-robust on
 * clustered data, and the multi-class fix (Li, Pan, Lyu, Li, "Feature Averaging: An Implicit
 * Bias of Gradient Descent Leading to Non-Robustness in Neural Networks", arXiv 2410.10322,
 * ICLR 2025).
 * Float64 throughout and platform-neutral (no tfjs); the tensor path on @descent/nn for large
 * sizes is the `@descent/feature-averaging/tf` entry.
 * @packageDocumentation
 */
export {
  averagedDirection,
  averagedDirectionAttack,
  binaryAccuracy,
  cliffRadius,
  pgdL2,
  robustAccuracyCurve,
  type AttackKind,
  type PgdL2Options,
  type RobustCurveOptions,
} from './attacks';
export {
  clusterCenters,
  defaultPositive,
  makeClusterData,
  sampleClusterData,
  type ClusterCentersOptions,
  type ClusterData,
  type MakeClusterDataOptions,
  type SampleClusterOptions,
} from './clusterData';
export {
  averagingScore,
  cosineMatrix,
  decouplingScore,
  equivalentWeights,
  type AveragingScore,
  type DecouplingScore,
} from './diagnostics';
export {
  lossAndGradient,
  trainGD,
  trainingLabels,
  type LossAndGradient,
  type TrainGDOptions,
  type TrainGDResult,
  type TrainRecord,
} from './fullBatchGD';
export {
  binaryReLU,
  binaryReadout,
  binaryScores,
  binaryScoresAndInputGradients,
  multiClassReLU,
  type BinaryReLUOptions,
  type BinaryReadout,
  type MultiClassReLUOptions,
  type TwoLayerParams,
  type TwoLayerReLU,
} from './twoLayerReLU';
