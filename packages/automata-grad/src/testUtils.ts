/**
 * Random small automata and trajectories for the property tests (not exported by the package).
 * @module
 */
import type { Rng } from '@descent/tensor';
import { SymbolicAutomaton } from './automaton';
import type { Guard } from './guard';
import { type Predicate, box } from './predicate';

/** A random box in [−1, 1]². */
export function randomBox(rng: Rng, name: string): Predicate {
  const lo = [rng.uniformIn(-1, 0.6), rng.uniformIn(-1, 0.6)];
  return box(lo, [lo[0] + rng.uniformIn(0.2, 1), lo[1] + rng.uniformIn(0.2, 1)], { name });
}

/** A random literal, conjunction, disjunction or `true` over `preds`. */
export function randomGuard(rng: Rng, preds: Predicate[]): Guard {
  const lit = (): Guard => {
    const p = preds[rng.int(preds.length)];
    return rng.uniform() < 0.5 ? p : { not: p };
  };
  const u = rng.uniform();
  if (u < 0.1) return true;
  if (u < 0.55) return lit();
  if (u < 0.8) return { and: [lit(), lit()] };
  return { or: [lit(), lit()] };
}

/** A random automaton with Q states (at least one initial and one accepting), edges with probability `density`. */
export function randomAutomaton(rng: Rng, Q: number, preds: Predicate[], density = 0.5): SymbolicAutomaton {
  const aut = new SymbolicAutomaton();
  const init = rng.int(Q);
  const acc = rng.int(Q);
  for (let q = 0; q < Q; q++) {
    aut.addState(q, {
      initial: q === init || rng.uniform() < 0.2,
      accepting: q === acc || rng.uniform() < 0.2,
    });
  }
  for (let i = 0; i < Q; i++)
    for (let j = 0; j < Q; j++) if (rng.uniform() < density) aut.addEdge(i, j, randomGuard(rng, preds));
  return aut;
}

/** A random trajectory of T states in [−1.2, 1.2]². */
export function randomTrajectory(rng: Rng, T: number): number[][] {
  return Array.from({ length: T }, () => [rng.uniformIn(-1.2, 1.2), rng.uniformIn(-1.2, 1.2)]);
}

/** Calls `visit(path)` for every state sequence q₀ … q_T of an automaton with Q states. */
export function forEachPath(Q: number, T: number, visit: (path: number[]) => void): void {
  const path = new Array<number>(T + 1).fill(0);
  const rec = (i: number) => {
    if (i > T) return visit(path);
    for (let q = 0; q < Q; q++) {
      path[i] = q;
      rec(i + 1);
    }
  };
  rec(0);
}
