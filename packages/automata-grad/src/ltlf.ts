/**
 * A small LTLf fragment (finite-trace LTL: !, &, |, ->, X, F, G, U and their duals) compiled
 * to a symbolic automaton by formula progression, so users write
 * `F(a & F(b)) & G(!obstacle)` instead of states by hand. States are progressed formulas
 * (normalised, so equal residuals coincide); each edge's guard is the Shannon expansion of the
 * valuations of the state's atoms that lead to the same residual, simplified; the residual
 * `false` (a dead sink) is removed. A state is accepting iff its residual holds on the empty
 * suffix (G, R, weak-X residuals do; F, U, strong-X and atoms do not).
 * Semantics: a trajectory x₀ … x_{T−1} is the trace; atom p holds at t iff d_p(x_t) ≤ 0.
 * @module
 */
import { NotSupportedError, ValueError, describe, readInteger, readOptions } from '@descent/tensor';
import { SymbolicAutomaton } from './automaton';
import type { Guard } from './guard';
import { checkAtomName, checkLtl } from './formulaChecks';
import { type Predicate, isPredicate } from './predicate';

/** An LTLf formula. `WX` is weak next, `R` release (they appear after pushing negations inward). */
export type Ltl =
  | { op: 'true' }
  | { op: 'false' }
  | { op: 'atom'; name: string; neg?: boolean }
  | { op: 'not'; a: Ltl }
  | { op: 'and'; args: Ltl[] }
  | { op: 'or'; args: Ltl[] }
  | { op: 'X' | 'WX' | 'F' | 'G'; a: Ltl }
  | { op: 'U' | 'R'; a: Ltl; b: Ltl };

/** Builders: `atom('goal')`, `F(...)`, `G(...)`, `U(a, b)`, … */
export const ltl = {
  atom: (name: string): Ltl => {
    checkAtomName(name, 'name');
    return { op: 'atom', name };
  },
  not: (a: Ltl): Ltl => ({ op: 'not', a: ltlArg(a, 'a') }),
  and: (...args: Ltl[]): Ltl => ({ op: 'and', args: args.map((a) => ltlArg(a, 'args')) }),
  or: (...args: Ltl[]): Ltl => ({ op: 'or', args: args.map((a) => ltlArg(a, 'args')) }),
  X: (a: Ltl): Ltl => ({ op: 'X', a: ltlArg(a, 'a') }),
  F: (a: Ltl): Ltl => ({ op: 'F', a: ltlArg(a, 'a') }),
  G: (a: Ltl): Ltl => ({ op: 'G', a: ltlArg(a, 'a') }),
  U: (a: Ltl, b: Ltl): Ltl => ({ op: 'U', a: ltlArg(a, 'a'), b: ltlArg(b, 'b') }),
};

function ltlArg(f: unknown, name: string): Ltl {
  checkLtl(f, name);
  return f as Ltl;
}

/** A formula argument of the task builders: an atom name (string) or a formula. */
function asLtl(x: unknown, name: string): Ltl {
  if (typeof x === 'string') {
    checkAtomName(x, name);
    return { op: 'atom', name: x };
  }
  return ltlArg(x, name);
}

/** Reach: F goal. */
export const reach = (goal: string | Ltl): Ltl => ltl.F(asLtl(goal, 'goal'));
/** Avoid: G ¬obstacle. */
export const avoid = (obstacle: string | Ltl): Ltl => ltl.G(ltl.not(asLtl(obstacle, 'obstacle')));
/** Reach-avoid: F goal ∧ G ¬obstacle. */
export const reachAvoid = (goal: string | Ltl, obstacle: string | Ltl): Ltl =>
  ltl.and(reach(asLtl(goal, 'goal')), avoid(asLtl(obstacle, 'obstacle')));
/** Sequence: F(g₁ ∧ F(g₂ ∧ … F gₖ)). */
export function sequence(goals: (string | Ltl)[]): Ltl {
  if (!Array.isArray(goals) || goals.length === 0)
    throw new ValueError(`goals must be a non-empty array, got ${describe(goals)}`, 'goals');
  const gs = goals.map((g, i) => asLtl(g, `goals[${i}]`));
  let f: Ltl = ltl.F(gs[gs.length - 1]);
  for (let i = gs.length - 2; i >= 0; i--) f = ltl.F(ltl.and(gs[i], f));
  return f;
}
/** Until: a U b (a holds at every step before the first b). */
export const until = (a: string | Ltl, b: string | Ltl): Ltl => ltl.U(asLtl(a, 'a'), asLtl(b, 'b'));
/** Patrol: visit the regions in order, `rounds` times (finite unrolling of G F(a ∧ F b …)). */
export function patrol(regions: (string | Ltl)[], rounds: number): Ltl {
  if (!Array.isArray(regions) || regions.length === 0)
    throw new ValueError(`regions must be a non-empty array, got ${describe(regions)}`, 'regions');
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new ValueError(`rounds must be an integer >= 1, got ${describe(rounds)}`, 'rounds');
  const seq: (string | Ltl)[] = [];
  for (let r = 0; r < rounds; r++) seq.push(...regions);
  return sequence(seq);
}

// ------------------------------------------------------------------ parser
const KEYWORDS = new Set(['F', 'G', 'X', 'U', 'R', 'true', 'false']);

/** Parses `F(a & F(b)) & G(!obstacle)`; grammar: impl := or ('->' impl)?, or := and ('|' and)*, and := until ('&' until)*, until := unary (('U'|'R') until)?, unary := ('!'|'F'|'G'|'X') unary | atom | '(' impl ')'. */
export function parseLtl(text: string): Ltl {
  if (typeof text !== 'string')
    throw new ValueError(`formula must be a string, got ${describe(text)}`, 'formula');
  const tokens = text.match(/->|[()!&|~]|[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (msg: string): never => {
    throw new ValueError(
      `formula: ${msg} at token ${pos} ('${tokens[pos] ?? 'end'}') in ${JSON.stringify(text)}`,
      'formula',
    );
  };
  const expect = (t: string) => {
    if (tokens[pos] !== t) fail(`expected '${t}'`);
    pos++;
  };
  const impl = (): Ltl => {
    const a = or();
    if (peek() === '->') {
      pos++;
      return ltl.or(ltl.not(a), impl());
    }
    return a;
  };
  const or = (): Ltl => {
    const args = [and()];
    while (peek() === '|') {
      pos++;
      args.push(and());
    }
    return args.length === 1 ? args[0] : { op: 'or', args };
  };
  const and = (): Ltl => {
    const args = [untilP()];
    while (peek() === '&') {
      pos++;
      args.push(untilP());
    }
    return args.length === 1 ? args[0] : { op: 'and', args };
  };
  const untilP = (): Ltl => {
    const a = unary();
    if (peek() === 'U' || peek() === 'R') {
      const op = tokens[pos++] as 'U' | 'R';
      return { op, a, b: untilP() };
    }
    return a;
  };
  const unary = (): Ltl => {
    const t = peek();
    if (t === undefined) return fail('unexpected end');
    pos++;
    if (t === '!' || t === '~') return ltl.not(unary());
    if (t === 'F' || t === 'G' || t === 'X') return { op: t, a: unary() };
    if (t === '(') {
      const f = impl();
      expect(')');
      return f;
    }
    if (t === 'true' || t === 'false') return { op: t };
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t) && !KEYWORDS.has(t)) return ltl.atom(t);
    pos--;
    return fail('expected an atom, !, F, G, X or (');
  };
  const f = impl();
  if (pos !== tokens.length) fail('unexpected token');
  return f;
}

// ------------------------------------------------------------------ normal form and progression
const T: Ltl = { op: 'true' };
const FALSE: Ltl = { op: 'false' };

/** Pushes negations to atoms (¬F = G¬, ¬G = F¬, ¬X = WX¬, ¬(a U b) = ¬a R ¬b). */
export function toNnfLtl(f: Ltl, neg = false): Ltl {
  switch (f.op) {
    case 'true':
      return neg ? FALSE : T;
    case 'false':
      return neg ? T : FALSE;
    case 'atom':
      return { op: 'atom', name: f.name, neg: Boolean(f.neg) !== neg };
    case 'not':
      return toNnfLtl(f.a, !neg);
    case 'and':
    case 'or': {
      const op = (f.op === 'and') !== neg ? 'and' : 'or';
      return { op, args: f.args.map((a) => toNnfLtl(a, neg)) };
    }
    case 'X':
      return { op: neg ? 'WX' : 'X', a: toNnfLtl(f.a, neg) };
    case 'WX':
      return { op: neg ? 'X' : 'WX', a: toNnfLtl(f.a, neg) };
    case 'F':
      return { op: neg ? 'G' : 'F', a: toNnfLtl(f.a, neg) };
    case 'G':
      return { op: neg ? 'F' : 'G', a: toNnfLtl(f.a, neg) };
    case 'U':
      return { op: neg ? 'R' : 'U', a: toNnfLtl(f.a, neg), b: toNnfLtl(f.b, neg) };
    case 'R':
      return { op: neg ? 'U' : 'R', a: toNnfLtl(f.a, neg), b: toNnfLtl(f.b, neg) };
  }
}

/** A canonical string of a normalised formula. */
export function ltlKey(f: Ltl): string {
  switch (f.op) {
    case 'true':
    case 'false':
      return f.op;
    case 'atom':
      return f.neg ? `!${f.name}` : f.name;
    case 'not':
      return `!(${ltlKey(f.a)})`;
    case 'and':
      return `(${f.args.map(ltlKey).join(' & ')})`;
    case 'or':
      return `(${f.args.map(ltlKey).join(' | ')})`;
    case 'X':
    case 'WX':
    case 'F':
    case 'G':
      return `${f.op}(${ltlKey(f.a)})`;
    case 'U':
    case 'R':
      return `(${ltlKey(f.a)} ${f.op} ${ltlKey(f.b)})`;
  }
}

function norm(f: Ltl): Ltl {
  if (f.op !== 'and' && f.op !== 'or') return f;
  const isAnd = f.op === 'and';
  const seen = new Map<string, Ltl>();
  for (const raw of f.args) {
    const a = norm(raw);
    if (a.op === (isAnd ? 'false' : 'true')) return a;
    if (a.op === (isAnd ? 'true' : 'false')) continue;
    const parts = a.op === f.op ? a.args : [a];
    for (const p of parts) seen.set(ltlKey(p), p);
  }
  for (const [k, p] of seen) {
    if (p.op === 'atom' && seen.has(p.neg ? p.name : `!${p.name}`)) return isAnd ? FALSE : T;
    void k;
  }
  const args = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
  if (args.length === 0) return isAnd ? T : FALSE;
  if (args.length === 1) return args[0];
  return { op: f.op, args };
}

/** prog(φ, σ): the residual obligation after reading one letter with atom valuation σ. */
function progress(f: Ltl, val: Map<string, boolean>): Ltl {
  switch (f.op) {
    case 'true':
    case 'false':
      return f;
    case 'atom':
      return val.get(f.name) !== Boolean(f.neg) ? T : FALSE;
    case 'not':
      throw new NotSupportedError('internal: progression expects NNF', 'formula');
    case 'and':
    case 'or':
      return norm({ op: f.op, args: f.args.map((a) => progress(a, val)) });
    case 'X':
    case 'WX':
      return f.a;
    case 'F':
      return norm({ op: 'or', args: [progress(f.a, val), f] });
    case 'G':
      return norm({ op: 'and', args: [progress(f.a, val), f] });
    case 'U':
      return norm({
        op: 'or',
        args: [progress(f.b, val), norm({ op: 'and', args: [progress(f.a, val), f] })],
      });
    case 'R':
      return norm({
        op: 'and',
        args: [progress(f.b, val), norm({ op: 'or', args: [progress(f.a, val), f] })],
      });
  }
}

/** Whether a residual obligation holds on the empty suffix (end of trace). */
function acceptsEmpty(f: Ltl): boolean {
  switch (f.op) {
    case 'true':
    case 'G':
    case 'R':
    case 'WX':
      return true;
    case 'and':
      return f.args.every(acceptsEmpty);
    case 'or':
      return f.args.some(acceptsEmpty);
    default:
      return false;
  }
}

/** The atom names of a formula, sorted. */
export function atomsOf(f: Ltl, out: Set<string> = new Set()): string[] {
  switch (f.op) {
    case 'atom':
      out.add(f.name);
      break;
    case 'not':
    case 'X':
    case 'WX':
    case 'F':
    case 'G':
      atomsOf(f.a, out);
      break;
    case 'and':
    case 'or':
      for (const a of f.args) atomsOf(a, out);
      break;
    case 'U':
    case 'R':
      atomsOf(f.a, out);
      atomsOf(f.b, out);
      break;
  }
  return [...out].sort();
}

type G = { t: true } | { t: false } | { guard: Guard; key: string };

function shannon(
  atoms: string[],
  preds: Record<string, Predicate>,
  f: (bits: number) => boolean,
  i = 0,
  bits = 0,
): G {
  if (i === atoms.length) return f(bits) ? { t: true } : { t: false };
  const hi = shannon(atoms, preds, f, i + 1, bits | (1 << i));
  const lo = shannon(atoms, preds, f, i + 1, bits);
  const key = (g: G) => ('key' in g ? g.key : String(g.t));
  const p = preds[atoms[i]];
  if (key(hi) === key(lo)) return hi;
  const pos: G = { guard: p, key: atoms[i] };
  const negG: G = { guard: { not: p }, key: `!${atoms[i]}` };
  const conj = (a: G, b: G): G => {
    if (!('key' in b)) return b.t ? a : b;
    return {
      guard: { and: [(a as { guard: Guard }).guard, b.guard] },
      key: `(${(a as { key: string }).key}&${b.key})`,
    };
  };
  const disj = (a: G, b: G): G => {
    if (!('key' in a)) return a.t ? a : b;
    if (!('key' in b)) return b.t ? b : a;
    return { guard: { or: [a.guard, b.guard] }, key: `(${a.key}|${b.key})` };
  };
  if ('t' in hi && hi.t === true && 't' in lo && lo.t === false) return pos;
  if ('t' in hi && hi.t === false && 't' in lo && lo.t === true) return negG;
  return disj(conj(pos, hi), conj(negG, lo));
}

/** Options of {@link fromLtlf}. */
export interface FromLtlfOptions {
  /** Refuse to build more than this many states (default 256). */
  maxStates?: number;
}

/**
 * Compiles an LTLf formula (a string or an {@link Ltl}) to a trimmed symbolic automaton whose
 * state ids are the residual formulas. `predicates` maps every atom name to its predicate.
 *
 * ```ts
 * const aut = fromLtlf('F(a & F(b)) & G(!obs)', { a: box(...), b: box(...), obs: ball(...) });
 * ```
 */
export function fromLtlf(
  formula: string | Ltl,
  predicates: Record<string, Predicate>,
  options: FromLtlfOptions = {},
): SymbolicAutomaton {
  const o = readOptions<FromLtlfOptions>(options);
  const maxStates =
    o.maxStates === undefined ? 256 : readInteger(o.maxStates, 'options.maxStates', { min: 1 });
  const parsed = typeof formula === 'string' ? parseLtl(formula) : ltlArg(formula, 'formula');
  if (predicates === null || typeof predicates !== 'object' || Array.isArray(predicates)) {
    throw new ValueError(
      `predicates must be an object mapping atom names to predicates, got ${describe(predicates)}`,
      'predicates',
    );
  }
  const atoms = atomsOf(parsed);
  for (const a of atoms) {
    if (predicates[a] === undefined) {
      throw new ValueError(`predicates must define every atom of the formula, missing '${a}'`, 'predicates');
    }
    if (!isPredicate(predicates[a])) {
      throw new ValueError(
        `predicates.${a} must be a predicate (box, ball, …), got ${describe(predicates[a])}`,
        'predicates',
      );
    }
  }
  const init = norm(toNnfLtl(parsed));
  const states: Ltl[] = [init];
  const index = new Map<string, number>([[ltlKey(init), 0]]);
  const edges: { src: number; dst: number; guard: Guard }[] = [];
  for (let s = 0; s < states.length; s++) {
    const phi = states[s];
    const local = atomsOf(phi);
    if (local.length > 16)
      throw new NotSupportedError(
        `formula state reads ${local.length} atoms, at most 16 supported`,
        'formula',
      );
    const targets = new Map<string, { f: Ltl; bits: Set<number> }>();
    for (let bits = 0; bits < 1 << local.length; bits++) {
      const val = new Map(local.map((a, i) => [a, Boolean(bits & (1 << i))]));
      const next = progress(phi, val);
      const k = ltlKey(next);
      if (!targets.has(k)) targets.set(k, { f: next, bits: new Set() });
      targets.get(k)!.bits.add(bits);
    }
    for (const [k, { f, bits }] of targets) {
      if (f.op === 'false') continue;
      let dst = index.get(k);
      if (dst === undefined) {
        dst = states.length;
        if (dst >= maxStates)
          throw new NotSupportedError(`formula needs more than maxStates = ${maxStates} states`, 'maxStates');
        states.push(f);
        index.set(k, dst);
      }
      const g = shannon(local, predicates, (b) => bits.has(b));
      edges.push({ src: s, dst, guard: 'key' in g ? g.guard : g.t });
    }
  }
  const aut = new SymbolicAutomaton();
  states.forEach((f, i) => {
    aut.addState(ltlKey(f), { initial: i === 0, accepting: acceptsEmpty(f) });
  });
  for (const e of edges) aut.addEdge(ltlKey(states[e.src]), ltlKey(states[e.dst]), e.guard);
  const trimmed = aut.trim();
  if (trimmed.numStates === 0) {
    throw new ValueError(
      `formula ${ltlKey(init)} is unsatisfiable: its automaton has no accepting run`,
      'formula',
    );
  }
  return trimmed;
}
