/**
 * Reading a function's shape from its source: how many parameters it declares (defaulted and
 * destructured ones included, unlike `fn.length`), whether it is a class, and a class's methods.
 * @module
 */

/** Whether `fn` is a class (its source starts with `class`). */
export function isClass(fn: unknown): fn is new (...args: unknown[]) => unknown {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** The text between the parentheses that open at `start` (which must point at `(`). */
function balanced(src: string, start: number): string | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(start + 1, i);
    }
  }
  return null;
}

/** The top-level comma-separated items of a parameter list. */
function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(from, i));
      from = i + 1;
    }
  }
  out.push(list.slice(from));
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** The declared parameter names (`undefined` for a destructured parameter). */
export function paramNames(fn: (...args: unknown[]) => unknown): (string | undefined)[] {
  const src = Function.prototype.toString.call(fn);
  let inner: string | null = null;
  if (/^class[\s{]/.test(src)) {
    const m = /\bconstructor\s*\(/.exec(src);
    inner = m ? balanced(src, m.index + m[0].length - 1) : null;
  } else {
    const arrow = /^(?:async\s*)?([\w$]+)\s*=>/.exec(src);
    if (arrow) return [arrow[1]];
    const open = src.indexOf('(');
    inner = open < 0 ? null : balanced(src, open);
  }
  if (inner === null) return [];
  return splitTopLevel(inner).map((item) => /^(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(item)?.[1]);
}

/**
 * The number of declared parameters of a function or a class constructor (rest parameters count
 * as one), from its source; falls back to `fn.length`.
 */
export function paramCount(fn: (...args: unknown[]) => unknown): number {
  const src = Function.prototype.toString.call(fn);
  try {
    if (/^class[\s{]/.test(src)) {
      const m = /\bconstructor\s*\(/.exec(src);
      if (!m) {
        // no own constructor: the parent's (an extends clause); fn.length is 0 then, use 1
        return /^class\s+[\w$]*\s*extends\b/.test(src) ? Math.max(1, fn.length) : 0;
      }
      const inner = balanced(src, m.index + m[0].length - 1);
      return inner === null ? fn.length : splitTopLevel(inner).length;
    }
    const arrow = /^(?:async\s*)?([\w$]+)\s*=>/.exec(src);
    if (arrow) return 1;
    const open = src.indexOf('(');
    if (open < 0) return fn.length;
    const inner = balanced(src, open);
    return inner === null ? fn.length : splitTopLevel(inner).length;
  } catch {
    return fn.length;
  }
}

/** The method names of a class's instances (prototype chain up to Object, no accessors, no constructor). */
export function methodNames(ctor: new (...args: unknown[]) => unknown): string[] {
  const names = new Set<string>();
  for (let p = ctor.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === 'constructor' || name.startsWith('_')) continue;
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d && typeof d.value === 'function') names.add(name);
    }
  }
  return [...names].sort();
}
