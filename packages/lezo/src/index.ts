/**
 * @descent/lezo: MeZO and LeZO zeroth-order fine-tuning for `@descent/nn` models —
 * seed-regenerated two-point SPSA on named parameters, layer-wise sparse perturbation, n-SPSA,
 * bit-exact replay from the step log, first-order baselines behind the same step interface, a
 * step-time split and honest tfjs memory measurement.
 * @packageDocumentation
 */
export { fillNoise, noiseArray, stepSeed } from './noise';
export {
  type LayerSelection,
  type SelectionMode,
  type SparsityOptions,
  activeBlocks,
  activeGroups,
  assertSelection,
  resolveSelection,
} from './layerSelection';
export type { StepOptimizer, StepResult, StepTimings } from './stepOptimizer';
export { type ZoLog, type ZoLogDirection, type ZoLogStep, readZoLog } from './zoLog';
export type { UpdateDirection } from './perturb';
export {
  LeZO,
  MeZO,
  type ZoDirectionResult,
  ZoSgd,
  type ZoSgdJSON,
  type ZoSgdOptions,
  type ZoStepResult,
  type ZoVariant,
} from './zoSgd';
export { replay } from './replay';
export {
  type ArrayObjective,
  type ArrayTree,
  ReferenceZo,
  type ReferenceZoOptions,
  type ReferenceZoStep,
  type SpsaReferenceResult,
  noiseBlocks,
  replayArrays,
  spsaReference,
} from './reference';
export { FirstOrder, type FirstOrderJSON, type FirstOrderOptions } from './firstOrder';
export { type MemoryReport, type StepMemoryReport, measureStep } from './memory';
export { type FineTuneHistoryEntry, type FineTuneOptions, type FineTuneResult, fineTune } from './fineTune';
