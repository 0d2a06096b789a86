/**
 * @descent/automata-grad: motion planning for symbolic-automata objectives by gradient descent
 * (Balakrishnan, Atasever, Deshmukh, arXiv 2410.11156).
 * @packageDocumentation
 */
export * from './semiring';
export * from './predicate';
export * from './guard';
export * from './automaton';
export * from './compile';
export * from './ltlf';
export * from './dynamics';
export * from './optimizeControls';
export * from './planOpenLoop';
export * from './baselines/stl';
export * from './baselines/planStl';
export * from './tasks';
export * from './taskSuite';
export * from './waypointTracker';
export * from './warmStart';
export * from './svg';
export * from './trainPolicy';
export * from './controlObjective';
