/**
 * @descent/automata-grad: motion planning for symbolic-automata objectives by gradient descent
 * (Balakrishnan, Atasever, Deshmukh, arXiv 2410.11156).
 *
 * The public API is what the README lists; guard-weight evaluation, LTL normal forms, semiring
 * matrix products and the warm start's internals stay internal to their modules.
 * @packageDocumentation
 */
export * from './semiring';
export { type Predicate, type RegionOptions, box, ball, halfspace, speedBelow, custom } from './predicate';
export { type Guard, type NnfGuard, type WeightFn, not, and, or } from './guard';
export { type StateId, type Edge, type StateOptions, SymbolicAutomaton } from './automaton';
export { type Reduction, type CompileOptions, type MatrixOperator, compile } from './compile';
export {
  type Ltl,
  type FromLtlfOptions,
  ltl,
  reach,
  avoid,
  reachAvoid,
  sequence,
  until,
  patrol,
  parseLtl,
  fromLtlf,
} from './ltlf';
export * from './dynamics';
export {
  type OpenLoopOptions,
  type PlanHistoryEntry,
  type PlanResult,
  optimizeControls,
} from './optimizeControls';
export * from './planOpenLoop';
export * from './baselines/stl';
export * from './baselines/planStl';
export * from './tasks';
export * from './taskSuite';
export { type TrackOptions, type TrackResult, trackWaypoints } from './waypointTracker';
export * from './svg';
export * from './trainPolicy';
export * from './controlObjective';
