/**
 * Shallow checks of formula and guard arguments (LTLf nodes, STL nodes, guards, atom names) for
 * the builders, with typed errors naming the argument. Shallow: a node's own `op` and the
 * presence of its children; the children were checked when they were built.
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { isPredicate } from './predicate';

const LTL_CHILDREN: Record<string, readonly string[]> = {
  true: [],
  false: [],
  atom: ['name'],
  not: ['a'],
  and: ['args'],
  or: ['args'],
  X: ['a'],
  WX: ['a'],
  F: ['a'],
  G: ['a'],
  U: ['a', 'b'],
  R: ['a', 'b'],
};

const STL_CHILDREN: Record<string, readonly string[]> = {
  const: ['value'],
  pred: ['pred'],
  not: ['a'],
  and: ['args'],
  or: ['args'],
  always: ['a', 'from', 'to'],
  eventually: ['a', 'from', 'to'],
  until: ['a', 'b', 'from', 'to'],
};

function checkNode(
  f: unknown,
  name: string,
  children: Record<string, readonly string[]>,
  what: string,
): void {
  const op = (f as { op?: unknown } | null)?.op;
  if (
    f === null ||
    typeof f !== 'object' ||
    Array.isArray(f) ||
    typeof op !== 'string' ||
    !Object.hasOwn(children, op)
  ) {
    throw new ValueError(`${name} must be ${what}, got ${describe(f)}`, name);
  }
  for (const c of children[op]) {
    const v = (f as Record<string, unknown>)[c];
    const ok =
      c === 'args'
        ? Array.isArray(v)
        : c === 'name'
          ? typeof v === 'string'
          : c === 'value'
            ? typeof v === 'boolean'
            : c === 'pred'
              ? isPredicate(v)
              : c === 'from' || c === 'to'
                ? typeof v === 'number' && !Number.isNaN(v)
                : v !== null && typeof v === 'object';
    if (!ok)
      throw new ValueError(`${name} must be ${what}, got an '${op}' node with ${c} = ${describe(v)}`, name);
  }
}

/** Throws a ValueError naming `name` unless `f` is an LTLf formula node. */
export function checkLtl(f: unknown, name: string): void {
  checkNode(f, name, LTL_CHILDREN, 'an LTLf formula (ltl.*, parseLtl)');
}

/** Throws a ValueError naming `name` unless `f` is an STL formula node. */
export function checkStl(f: unknown, name: string): void {
  checkNode(f, name, STL_CHILDREN, 'an STL formula (stl.*, ltlToStl)');
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['F', 'G', 'X', 'U', 'R', 'true', 'false']);

/** Throws a ValueError naming `name` unless `s` is an atom name (an identifier that is not an operator keyword). */
export function checkAtomName(s: unknown, name: string): asserts s is string {
  if (typeof s !== 'string' || !IDENT.test(s) || KEYWORDS.has(s)) {
    throw new ValueError(
      `${name} must be an atom name (an identifier other than F, G, X, U, R, true, false) or an LTLf formula, got ${describe(s)}`,
      name,
    );
  }
}

/** Throws a ValueError naming `name` unless `g` is a guard: a predicate, a boolean, `{ not }`, `{ and: [...] }` or `{ or: [...] }`. */
export function checkGuard(g: unknown, name: string): void {
  if (typeof g === 'boolean' || isPredicate(g)) return;
  if (g !== null && typeof g === 'object' && !Array.isArray(g)) {
    const keys = Object.keys(g);
    if (keys.length === 1) {
      const v = (g as Record<string, unknown>)[keys[0]];
      if (
        keys[0] === 'not' &&
        v !== null &&
        v !== undefined &&
        (typeof v === 'boolean' || typeof v === 'object')
      )
        return;
      if ((keys[0] === 'and' || keys[0] === 'or') && Array.isArray(v)) return;
    }
  }
  throw new ValueError(
    `${name} must be a guard (a predicate, true/false, { not: g }, { and: [...] } or { or: [...] }), got ${describe(g)}`,
    name,
  );
}
