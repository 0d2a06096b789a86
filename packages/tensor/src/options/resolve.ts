/**
 * One option resolver for every constructor and one-call helper: a schema of option specs
 * (ranges, integers, enums, seeds, callbacks, vectors, defaults) checked in one place, unknown
 * and renamed options reported by name.
 * @module
 */
import { ValueError, describe } from '../errors';
import { type VectorLike, readVector } from '../input/readVector';
import {
  checkBounds,
  readOptions,
  type NumberBounds,
  type Seed,
  readBoolean,
  readEnum,
  readFunction,
  readInteger,
  readNumber,
  readSeed,
} from './read';

/** How an option behaves when it is absent: `'default'` (filled in), `'required'` (error), `'optional'` (undefined). */
export type Presence = 'default' | 'required' | 'optional';

/** The spec of one option: how to read its value, and what happens when it is absent. */
export interface OptionSpec<T, P extends Presence = Presence> {
  /** Reads (validates and converts) a present value; `name` is the option's name for messages. */
  read(value: unknown, name: string): T;
  /** Absent-value behaviour. */
  readonly presence: P;
  /** The default when `presence` is `'default'` (used as is; a callback option's default is the callback). */
  readonly fallback?: T;
}

/** A schema: option name → spec. */
export type OptionSchema = Record<string, OptionSpec<unknown>>;

/** The resolved options of a schema: defaulted and required options are present, optional ones may be undefined. */
export type ResolvedOptions<S extends OptionSchema> = {
  [K in keyof S]: S[K] extends OptionSpec<infer T, infer P>
    ? P extends 'optional'
      ? T | undefined
      : T
    : never;
};

/** Presence of a spec from its settings: a `default` wins, then `required`. */
type PresenceOf<O> = O extends { default: unknown }
  ? 'default'
  : O extends { required: true }
    ? 'required'
    : 'optional';

/** Settings every option spec takes. */
export interface SpecSettings<T> {
  /** Value when absent (or `undefined`). */
  default?: T;
  /** Absent is an error (ignored when a default is given). */
  required?: boolean;
}

function spec<T, O extends SpecSettings<T>>(
  read: (v: unknown, name: string) => T,
  o: O | undefined,
): OptionSpec<T, PresenceOf<O>> {
  const settings = readOptions(o, 'settings') as SpecSettings<T>;
  if (typeof read !== 'function')
    throw new ValueError(`read must be a function (value, name) => T, got ${describe(read)}`, 'read');
  if (settings.required !== undefined && typeof settings.required !== 'boolean') {
    throw new ValueError(
      `settings.required must be true or false, got ${describe(settings.required)}`,
      'settings.required',
    );
  }
  const presence: Presence =
    'default' in settings && settings.default !== undefined
      ? 'default'
      : settings.required
        ? 'required'
        : 'optional';
  if (presence === 'default') read(settings.default, 'settings.default'); // a default must pass its own check
  return { read, presence: presence as PresenceOf<O>, fallback: settings.default };
}

/**
 * Spec builders for {@link resolveOptions}.
 *
 * ```ts
 * const o = resolveOptions(options, {
 *   sigma0: option.number({ gt: 0, required: true }),
 *   popSize: option.integer({ min: 2 }),                   // optional: number | undefined
 *   preset: option.oneOf(['pycma', 'tutorial'], { default: 'pycma' }),
 *   maxEvals: option.integer({ min: 1, allowInfinity: true, default: Infinity }),
 *   seed: option.seed(),                                   // default 0
 * }, { renamed: { lr: 'learningRate' } });
 * ```
 */
export const option = {
  /** A number within `bounds` (finite unless `allowInfinity`). */
  number<O extends NumberBounds & SpecSettings<number>>(o?: O): OptionSpec<number, PresenceOf<O>> {
    checkBounds(readOptions(o, 'settings'));
    return spec((v, name) => readNumber(v, name, o ?? {}), o);
  },
  /** An integer within `bounds` (`Infinity` only with `allowInfinity`). */
  integer<O extends NumberBounds & SpecSettings<number>>(o?: O): OptionSpec<number, PresenceOf<O>> {
    checkBounds(readOptions(o, 'settings'));
    return spec((v, name) => readInteger(v, name, o ?? {}), o);
  },
  /** One of the strings `values`. */
  oneOf<const T extends string, O extends SpecSettings<NoInfer<T>> = SpecSettings<NoInfer<T>>>(
    values: readonly T[],
    o?: O,
  ): OptionSpec<T, PresenceOf<O>> {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
      throw new ValueError(
        `values must be a non-empty array of the allowed strings, got ${describe(values)}`,
        'values',
      );
    }
    return spec((v, name) => readEnum(v, name, values), o);
  },
  /** true or false. */
  boolean<O extends SpecSettings<boolean>>(o?: O): OptionSpec<boolean, PresenceOf<O>> {
    return spec((v, name) => readBoolean(v, name), o);
  },
  /** A seed (`number | string`); default 0. */
  seed(o: { default?: Seed } = {}): OptionSpec<Seed, 'default'> {
    const settings = readOptions<{ default?: Seed }>(o, 'settings');
    const fallback = settings.default === undefined ? 0 : readSeed(settings.default, 'settings.default');
    return { read: (v, name) => readSeed(v, name), presence: 'default', fallback };
  },
  /** A callback. */
  func<F extends (...args: never[]) => unknown, O extends SpecSettings<F> = SpecSettings<F>>(
    o?: O,
  ): OptionSpec<F, PresenceOf<O>> {
    return spec((v, name) => readFunction<F>(v, name), o);
  },
  /** A finite vector (array, typed array or rank-1 tensor) of `length`, read as a Float64Array. */
  vector<O extends { length?: number; allowEmpty?: boolean } & SpecSettings<Float64Array>>(
    o?: O,
  ): OptionSpec<Float64Array, PresenceOf<O>> {
    const settings = readOptions<{ length?: number }>(o, 'settings');
    if (settings.length !== undefined) readInteger(settings.length, 'settings.length', { min: 0 });
    return spec(
      (v, name) =>
        readVector(v as VectorLike, name, { length: o?.length, allowEmpty: o?.allowEmpty, copy: true }),
      o,
    );
  },
  /** Any value, read by your own function (throw a DescentError naming `name` on bad input). */
  custom<T, O extends SpecSettings<T> = SpecSettings<T>>(
    read: (value: unknown, name: string) => T,
    o?: O,
  ): OptionSpec<T, PresenceOf<O>> {
    return spec(read, o);
  },
};

/** Options of {@link resolveOptions}. */
export interface ResolveSettings {
  /** Name of the options object in messages (default `'options'`). */
  name?: string;
  /** Old name → new name: using an old name is a ValueError that says the new one. */
  renamed?: Record<string, string>;
  /** Accept options the schema does not know (default false: a typo is a ValueError naming it). */
  allowUnknown?: boolean;
  /** Prefix of option names in messages, e.g. `'options.'` when reading options saved in a blob (default none). */
  prefix?: string;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => i);
  for (let j = 1; j <= b.length; j++) {
    let prev = dp[0];
    dp[0] = j;
    for (let i = 1; i <= a.length; i++) {
      const tmp = dp[i];
      dp[i] = Math.min(
        dp[i] + 1,
        dp[i - 1] + 1,
        prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return dp[a.length];
}

/**
 * Resolves an options object against a schema: every present option is read by its spec
 * (typed errors naming the option), absent ones get their default, a missing required one is a
 * {@link ValueError}, and an unknown option is a {@link ValueError} naming it (with the closest
 * known name, or the new name of a renamed option). `undefined` values count as absent.
 */
export function resolveOptions<S extends OptionSchema>(
  options: unknown,
  schema: S,
  settings: ResolveSettings = {},
): ResolvedOptions<S> {
  readOptions(settings, 'settings');
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new ValueError(`schema must be an object of option specs, got ${describe(schema)}`, 'schema');
  }
  for (const [key, sp] of Object.entries(schema)) {
    if (sp === null || typeof sp !== 'object' || typeof sp.read !== 'function') {
      throw new ValueError(
        `schema.${key} must be an option spec (option.number(), ...), got ${describe(sp)}`,
        `schema.${key}`,
      );
    }
  }
  const objName = settings.name ?? 'options';
  if (typeof objName !== 'string')
    throw new ValueError(`settings.name must be a string, got ${describe(objName)}`, 'settings.name');
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ValueError(`${objName} must be an object, got ${describe(options)}`, objName);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const pre = settings.prefix ?? '';
  if (!settings.allowUnknown) {
    for (const key of Object.keys(given)) {
      if (Object.hasOwn(schema, key) || given[key] === undefined) continue;
      const renamedTo = settings.renamed?.[key];
      if (renamedTo !== undefined) {
        throw new ValueError(
          `${pre}${key} was renamed to ${renamedTo}: pass ${renamedTo} instead`,
          pre + key,
        );
      }
      const known = Object.keys(schema);
      let best = '';
      let bestD = Infinity;
      for (const k of known) {
        const d = editDistance(key, k);
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      const hint = bestD <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean ${best}?)` : '';
      throw new ValueError(
        `${pre}${key} is not an option of ${objName}${hint}; known options: ${known.join(', ')}`,
        pre + key,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(schema)) {
    const v = given[key];
    if (v === undefined) {
      if (s.presence === 'required')
        throw new ValueError(`${pre}${key} is required, got undefined`, pre + key);
      out[key] = s.presence === 'default' ? s.fallback : undefined;
    } else {
      out[key] = s.read(v, pre + key);
    }
  }
  return out as ResolvedOptions<S>;
}
