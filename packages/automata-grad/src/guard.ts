/**
 * Guards: Boolean combinations of predicates, put in negation normal form (negation only on
 * atoms, as automatix requires), and the weighting function λ(x, ψ) that maps a guard to a
 * semiring value: And → ⊗, Or → ⊕, true → 1̄, false → 0̄, and for a literal
 *  - 'violation' (paper code): p ↦ −relu(d_p(x)), ¬p ↦ −relu(−d_p(x))  (0 = 1̄ when satisfied),
 *  - 'signed':                 p ↦ −d_p(x),       ¬p ↦ d_p(x)          (positive margin inside),
 *  - indicator semirings (Boolean, counting): the guard's truth value as a whole, 1̄ if ψ(x) holds
 *    else 0̄ (so counting counts accepting runs, not satisfied disjuncts).
 * A literal on its boundary (d = 0) counts as satisfied for both p and ¬p, matching the
 * violation weights (both are 0 there).
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { checkGuard } from './formulaChecks';
import { tf } from '@descent/tensor/tf';
import { type Predicate, isPredicate } from './predicate';
import type { Semiring } from './semiring';

/** A guard: a predicate, a constant, or a Boolean combination. */
export type Guard = Predicate | boolean | { not: Guard } | { and: Guard[] } | { or: Guard[] };

/** A guard in negation normal form. */
export type NnfGuard =
  | { kind: 'const'; value: boolean }
  | { kind: 'lit'; pred: Predicate; neg: boolean }
  | { kind: 'and'; args: NnfGuard[] }
  | { kind: 'or'; args: NnfGuard[] };

/** How a literal's signed distance becomes a weight (see the module comment). */
export type WeightFn = 'violation' | 'signed';

/** ¬g. */
export const not = (g: Guard): Guard => {
  checkGuard(g, 'g');
  return { not: g };
};
/** g₁ ∧ g₂ ∧ … */
export const and = (...gs: Guard[]): Guard => {
  for (const g of gs) checkGuard(g, 'gs');
  return { and: gs };
};
/** g₁ ∨ g₂ ∨ … */
export const or = (...gs: Guard[]): Guard => {
  for (const g of gs) checkGuard(g, 'gs');
  return { or: gs };
};

/** Converts a guard to negation normal form (De Morgan; ¬true = false). Throws ValueError on malformed input. */
export function toNnf(g: Guard, negate = false): NnfGuard {
  if (typeof g === 'boolean') return { kind: 'const', value: negate ? !g : g };
  if (isPredicate(g)) return { kind: 'lit', pred: g, neg: negate };
  if (typeof g === 'object' && g !== null) {
    if ('not' in g) return toNnf(g.not, !negate);
    if ('and' in g && Array.isArray(g.and)) {
      const args = g.and.map((a) => toNnf(a, negate));
      return simplify({ kind: negate ? 'or' : 'and', args });
    }
    if ('or' in g && Array.isArray(g.or)) {
      const args = g.or.map((a) => toNnf(a, negate));
      return simplify({ kind: negate ? 'and' : 'or', args });
    }
    if ('kind' in g) return negate ? negateNnf(g as unknown as NnfGuard) : (g as unknown as NnfGuard);
  }
  throw new ValueError(`guard must be a Predicate, a boolean or {not|and|or}, got ${describe(g)}`, 'guard');
}

function negateNnf(g: NnfGuard): NnfGuard {
  switch (g.kind) {
    case 'const':
      return { kind: 'const', value: !g.value };
    case 'lit':
      return { kind: 'lit', pred: g.pred, neg: !g.neg };
    case 'and':
      return simplify({ kind: 'or', args: g.args.map(negateNnf) });
    case 'or':
      return simplify({ kind: 'and', args: g.args.map(negateNnf) });
  }
}

function simplify(g: NnfGuard): NnfGuard {
  if (g.kind !== 'and' && g.kind !== 'or') return g;
  const absorbing = g.kind === 'or';
  const args: NnfGuard[] = [];
  for (const a of g.args) {
    if (a.kind === 'const') {
      if (a.value === absorbing) return { kind: 'const', value: absorbing };
      continue;
    }
    if (a.kind === g.kind) args.push(...a.args);
    else args.push(a);
  }
  if (args.length === 0) return { kind: 'const', value: !absorbing };
  if (args.length === 1) return args[0];
  return { kind: g.kind, args };
}

/** ψ₁ ∨ ψ₂ in NNF (used to merge parallel edges). */
export function orNnf(a: NnfGuard, b: NnfGuard): NnfGuard {
  return simplify({ kind: 'or', args: [a, b] });
}

/** Every predicate a guard reads. */
export function predicatesOf(g: NnfGuard, out: Set<Predicate> = new Set()): Set<Predicate> {
  if (g.kind === 'lit') out.add(g.pred);
  else if (g.kind === 'and' || g.kind === 'or') for (const a of g.args) predicatesOf(a, out);
  return out;
}

/** Exact Boolean value of a guard at state x (boundary literals count as satisfied). */
export function guardHolds(g: NnfGuard, x: ArrayLike<number>): boolean {
  switch (g.kind) {
    case 'const':
      return g.value;
    case 'lit': {
      const d = g.pred.distanceAt(x);
      return g.neg ? d >= 0 : d <= 0;
    }
    case 'and':
      return g.args.every((a) => guardHolds(a, x));
    case 'or':
      return g.args.some((a) => guardHolds(a, x));
  }
}

/** Per-predicate shifts δ_p of the signed distances (d_p + δ_p is used for p and ¬p alike). */
export type DistanceShifts = ReadonlyMap<Predicate, number>;

function literalWeight(d: number, neg: boolean, s: Semiring, weightFn: WeightFn): number {
  const v = neg ? -d : d; // the literal's violation (≤ 0: satisfied)
  if (s.indicatorWeights) return v <= 0 ? s.one : s.zero;
  if (weightFn === 'signed') return -v;
  return -Math.max(v, 0);
}

/**
 * λ(x, ψ) on plain numbers (exact 0̄/1̄). `shifts` replaces each predicate's signed distance d_p
 * by d_p + δ_p in both polarities (a region shrunk by δ > 0 or grown by δ < 0; see
 * `CompileOptions.margin`).
 */
export function guardWeight(
  g: NnfGuard,
  x: ArrayLike<number>,
  s: Semiring,
  weightFn: WeightFn = 'violation',
  shifts?: DistanceShifts,
): number {
  const shifted = shifts !== undefined && shifts.size > 0;
  if (s.indicatorWeights && !shifted) return guardHolds(g, x) ? s.one : s.zero;
  switch (g.kind) {
    case 'const':
      return g.value ? s.one : s.zero;
    case 'lit':
      return literalWeight(g.pred.distanceAt(x) + (shifts?.get(g.pred) ?? 0), g.neg, s, weightFn);
    case 'and':
      return g.args
        .map((a) => guardWeight(a, x, s, weightFn, shifts))
        .reduce((p, q) => (s.indicatorWeights ? Math.min(p, q) : s.times(p, q)));
    case 'or':
      return g.args
        .map((a) => guardWeight(a, x, s, weightFn, shifts))
        .reduce((p, q) => (s.indicatorWeights ? Math.max(p, q) : s.plus(p, q)));
  }
}

/**
 * λ(x_t, ψ) for every row of `xs` ([N, n]) as an [N] tensor, with finite sentinels for 0̄/1̄.
 * `distances` caches each predicate's (shifted) distance tensor across the guards of one
 * automaton; `shifts` as in {@link guardWeight}.
 */
export function guardWeightT(
  g: NnfGuard,
  xs: tf.Tensor2D,
  s: Semiring,
  weightFn: WeightFn,
  distances: Map<Predicate, tf.Tensor1D>,
  shifts?: DistanceShifts,
): tf.Tensor1D {
  const n = xs.shape[0];
  switch (g.kind) {
    case 'const':
      return tf.fill([n], g.value ? s.oneSentinel : s.zeroSentinel) as tf.Tensor1D;
    case 'lit': {
      let d = distances.get(g.pred);
      if (d === undefined) {
        d = g.pred.distance(xs);
        const delta = shifts?.get(g.pred) ?? 0;
        if (delta !== 0) d = tf.add(d, delta) as tf.Tensor1D;
        distances.set(g.pred, d);
      }
      const v: tf.Tensor = g.neg ? tf.neg(d) : d; // the literal's violation (≤ 0: satisfied)
      if (s.indicatorWeights) {
        return tf.where(
          tf.lessEqual(v, 0),
          tf.fill([n], s.oneSentinel),
          tf.fill([n], s.zeroSentinel),
        ) as tf.Tensor1D;
      }
      if (weightFn === 'signed') return tf.neg(v) as tf.Tensor1D;
      return tf.neg(tf.relu(v)) as tf.Tensor1D;
    }
    case 'and': {
      const args = g.args.map((a) => guardWeightT(a, xs, s, weightFn, distances, shifts));
      // indicator semirings weigh the guard's truth value as a whole (∧ = min on {0, 1})
      return args.reduce((p, q) => (s.indicatorWeights ? tf.minimum(p, q) : s.timesT(p, q)) as tf.Tensor1D);
    }
    case 'or': {
      const args = g.args.map((a) => guardWeightT(a, xs, s, weightFn, distances, shifts));
      return args.reduce((p, q) => (s.indicatorWeights ? tf.maximum(p, q) : s.plusT(p, q)) as tf.Tensor1D);
    }
  }
}

/** A readable form of a guard, e.g. `red & !blue`. */
export function guardToString(g: NnfGuard): string {
  switch (g.kind) {
    case 'const':
      return g.value ? 'true' : 'false';
    case 'lit':
      return g.neg ? `!${g.pred.name}` : g.pred.name;
    case 'and':
      return g.args.map((a) => (a.kind === 'or' ? `(${guardToString(a)})` : guardToString(a))).join(' & ');
    case 'or':
      return g.args.map(guardToString).join(' | ');
  }
}
