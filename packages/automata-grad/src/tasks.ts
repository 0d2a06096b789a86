/**
 * Benchmark tasks on the unit square (reconstructed from the paper's task types: reach-avoid,
 * a timed sequence of goals, patrolling; see the README): each gives the LTLf formula, its
 * predicates, the automaton and the equivalent STL formula.
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import type { SymbolicAutomaton } from './automaton';
import { type Stl, ltlToStl } from './baselines/stl';
import { type Ltl, avoid, fromLtlf, ltl, patrol, reach, sequence } from './ltlf';
import { type Predicate, box } from './predicate';

/** A planning task. */
export interface Task {
  name: string;
  formula: Ltl;
  predicates: Record<string, Predicate>;
  automaton: SymbolicAutomaton;
  stl: Stl;
  /** A suggested start (position only; pad for higher-order systems). */
  start: number[];
}

/** Names of the built-in tasks. */
export type TaskName = 'reachAvoid' | 'sequence' | 'patrol';

/** Regions of the built-in tasks (unit square; obstacle in the middle). */
export const regions = {
  obstacle: box([0.35, 0.35], [0.65, 0.65], { name: 'obstacle' }),
  a: box([0.75, 0.05], [0.95, 0.25], { name: 'a' }),
  b: box([0.75, 0.75], [0.95, 0.95], { name: 'b' }),
  c: box([0.05, 0.75], [0.25, 0.95], { name: 'c' }),
};

/**
 * The built-in tasks:
 * - reachAvoid: F b ∧ G ¬obstacle (start at the opposite corner, the straight line is blocked);
 * - sequence: F(a ∧ F(b ∧ F c)) ∧ G ¬obstacle (3 goals);
 * - patrol: visit a, b alternately twice (a, b, a, b), ∧ G ¬obstacle.
 */
export function task(name: TaskName): Task {
  const { obstacle, a, b, c } = regions;
  let formula: Ltl;
  let predicates: Record<string, Predicate>;
  switch (name) {
    case 'reachAvoid':
      formula = ltl.and(reach('b'), avoid('obstacle'));
      predicates = { b, obstacle };
      break;
    case 'sequence':
      formula = ltl.and(sequence(['a', 'b', 'c']), avoid('obstacle'));
      predicates = { a, b, c, obstacle };
      break;
    case 'patrol':
      formula = ltl.and(patrol(['a', 'b'], 2), avoid('obstacle'));
      predicates = { a, b, obstacle };
      break;
    default:
      throw new ValueError(
        `task must be 'reachAvoid', 'sequence' or 'patrol', got ${describe(name)}`,
        'name',
      );
  }
  return {
    name,
    formula,
    predicates,
    automaton: fromLtlf(formula, predicates),
    stl: ltlToStl(formula, predicates),
    start: [0.15, 0.15],
  };
}
