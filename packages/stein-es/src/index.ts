/**
 * @descent/stein-es: Stein Variational Evolution Strategies (Braun, Lange, Toussaint,
 * arXiv:2410.10390, UAI 2025): SV-CMA-ES and SV-OpenAI-ES, with a complete CMA-ES, SVGD and
 * gradient-free SVGD.
 * @packageDocumentation
 */
export { CMAES, type CMAESOptions, type CMAESJSON, type CmaResult, type CmaStopReason } from './cmaEs';
export {
  cmaParameters,
  defaultPopSize,
  expectedNormalNorm,
  type CmaParameters,
  type CmaParameterOptions,
  type CmaPreset,
} from './cmaParameters';
export {
  SVCMAES,
  type SVCMAESOptions,
  type SVCMAESJSON,
  type SVStopReason,
  type InitialMeans,
} from './svCmaEs';
export { rbfRepulsion } from './kernel';
export {
  svgd,
  type SvgdOptions,
  type SvgdTarget,
  type ScoreFn,
  type ParticleResult,
  type ParticleHistoryEntry,
  type ParticleStep,
} from './svgd';
export {
  GFSVGD,
  gfSvgd,
  gfSvgdDirection,
  type GFSVGDOptions,
  type GfSvgdRunOptions,
  type GfSvgdStep,
  type Surrogate,
} from './gfSvgd';
export { SVOpenAIES, type SVOpenAIESOptions, type SVOpenAIESJSON } from './svOpenAiEs';
export { minimize, type MinimizeOptions, type MinimizeResult, type MinimizeHistoryEntry } from './minimize';
export { sample, type SampleOptions, type SampleResult, type SampleHistoryEntry } from './sample';
export {
  type BatchObjective,
  type PointObjective,
  type PointContext,
  type PointwiseOptions,
  pointwise,
  evaluateBatch,
  type BatchValues,
} from './evaluate';
export type { BoxBounds, BoundHandling } from './bounds';
export type { CmaCommonOptions } from './cmaOptions';
export { centeredRanks } from './fitness';
export {
  particleWeights,
  effectiveSampleSize,
  type ParticleWeightOptions,
  type ParticleWeights,
} from './particleWeights';
export { weightedMmd2, type WeightedMmdOptions } from './weightedMmd';
export * from './objectives';
export * from './targets';
