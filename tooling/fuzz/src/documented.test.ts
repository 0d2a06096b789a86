/**
 * Every documented result (src/documented.ts) is a behaviour someone chose: each entry must cite
 * files that exist, and each must be pinned by a test — in the owner's package (the cited
 * `*.test.ts`) or, for the behaviours no owner's test asserts (TSDoc-only citations, and the cases
 * an owner's test does not reach), here. A pin asserts the documented outcome exactly (the value
 * returned, not only "does not throw"), so a regression breaks a test instead of hiding behind the
 * entry.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SymbolicAutomaton, maxMin, maxPlus } from '@descent/automata-grad';
import { disposeDataset, disposeState, disposeTree, scaleBySchedule, toRng } from '@descent/nn';
import { countHimmelblauMinima } from '@descent/stein-es';
import {
  Rng,
  ShapeError,
  ValueError,
  assertAllFinite,
  describe as describeValue,
  fitPowerLaw,
  matrixToJSON,
  restateError,
  vectorToJSON,
} from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { DOCUMENTED } from './documented';

const root = join(__dirname, '..', '..', '..');

/** The files an entry's `test` text cites: `packages/…` paths, and bare names relative to the last one. */
function citedFiles(test: string): { cited: string; resolved: string | null }[] {
  const out: { cited: string; resolved: string | null }[] = [];
  let base: string | null = null;
  for (const part of test.split(/[;,]/)) {
    const m = part.match(/[\w./-]+\.(?:test\.ts|ts|md)\b/);
    if (!m) continue;
    const cited = m[0];
    if (cited.startsWith('packages/') || cited.startsWith('tooling/')) {
      base = dirname(cited);
      out.push({ cited, resolved: existsSync(join(root, cited)) ? cited : null });
      continue;
    }
    // relative to the previous path's directory, or to that package's src/
    const pkgSrc = base?.match(/^(?:packages|tooling)\/[\w-]+\/src/)?.[0];
    const tries = [base && join(base, cited), pkgSrc && join(pkgSrc, cited)].filter((t): t is string => !!t);
    out.push({ cited, resolved: tries.find((t) => existsSync(join(root, t))) ?? null });
  }
  return out;
}

describe('documented results (tooling/fuzz/src/documented.ts)', () => {
  beforeAll(async () => {
    await ready();
  });

  it.each(DOCUMENTED.map((d) => [`${d.package} ${String(d.export)}`, d] as const))(
    '%s: has a reason and cites files that exist',
    (_, d) => {
      expect(d.reason.length).toBeGreaterThan(20);
      const files = citedFiles(d.test);
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((f) => f.resolved === null).map((f) => f.cited)).toEqual([]);
    },
  );

  it('tensor: describe is total; restateError leaves other errors unchanged and renames state paths', () => {
    for (const v of [undefined, null, Number.NaN, 'abc', [], {}, () => 1, 10n]) {
      expect(typeof describeValue(v)).toBe('string');
    }
    const plain = new Error('x');
    expect(restateError(plain, 'optStates[1]')).toBe(plain);
    expect(restateError('abc', 'p')).toBe('abc');
    const other = new ValueError('lr must be > 0', 'lr');
    expect(restateError(other, 'p')).toBe(other);
    const renamed = restateError(new ValueError('state.mu[3] must be finite', 'state.mu[3]'), 'optStates[1]');
    expect(renamed).toBeInstanceOf(ValueError);
    expect((renamed as ValueError).argument).toBe('optStates[1].mu[3]');
  });

  it('tensor: empty vectors and matrices serialise as empty arrays; assertAllFinite([]) passes', () => {
    expect(vectorToJSON([])).toEqual([]);
    expect(vectorToJSON(new Float64Array(0))).toEqual([]);
    expect(matrixToJSON([])).toEqual([]);
    expect(() => assertAllFinite('v', [])).not.toThrow();
    expect(() => assertAllFinite('v', [1, Number.NaN])).toThrow(ValueError);
  });

  it('tensor: fitPowerLaw skips ±Infinity points (its contract), NaN is a ValueError', () => {
    expect(fitPowerLaw([1, 2, 4, 8], [1, 0.5, 0.25, Number.POSITIVE_INFINITY]).points).toBe(3);
    expect(fitPowerLaw([1, 2, 4, Number.POSITIVE_INFINITY], [1, 0.5, 0.25, 1]).slope).toBeCloseTo(-1, 12);
    expect(() => fitPowerLaw([1, 2], [1, Number.NaN])).toThrow(ValueError);
  });

  it('stein-es: no points find no Himmelblau minima', () => {
    expect(countHimmelblauMinima([])).toBe(0);
  });

  it('automata-grad: ±Infinity exactly where they are the semiring’s 0̄ and 1̄', () => {
    // max-plus on ℝ ∪ {−∞}: 0̄ = −∞ is neutral for ⊕ (max) and absorbing for ⊗ (+); +∞ is not in the carrier
    expect(maxPlus.plus(Number.NEGATIVE_INFINITY, 2)).toBe(2);
    expect(maxPlus.plus(2, Number.NEGATIVE_INFINITY)).toBe(2);
    expect(maxPlus.times(Number.NEGATIVE_INFINITY, 2)).toBe(Number.NEGATIVE_INFINITY);
    expect(maxPlus.times(2, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    for (const f of [maxPlus.plus, maxPlus.times]) {
      expect(() => f(Number.POSITIVE_INFINITY, 2)).toThrow(ValueError);
      expect(() => f(2, Number.POSITIVE_INFINITY)).toThrow(ValueError);
    }
    // max-min on ℝ ∪ {±∞}: 0̄ = −∞ (neutral for max, absorbing for min), 1̄ = +∞ (neutral for min, absorbing for max)
    expect(maxMin.plus(Number.NEGATIVE_INFINITY, 2)).toBe(2);
    expect(maxMin.plus(2, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(maxMin.plus(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(maxMin.times(Number.POSITIVE_INFINITY, 2)).toBe(2);
    expect(maxMin.times(2, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(maxMin.times(Number.NEGATIVE_INFINITY, 2)).toBe(Number.NEGATIVE_INFINITY);
    expect(() => maxMin.plus(Number.NaN, 2)).toThrow(ValueError);
  });

  it('automata-grad: numeric state ids are ids (StateId = string | number), distinct from their strings', () => {
    const a = new SymbolicAutomaton().addState(42, { initial: true }).addState('42', { accepting: true });
    expect(a.stateIds).toEqual([42, '42']);
    expect(a.initial).toEqual([0]);
    expect(a.accepting).toEqual([1]);
    expect(() => new SymbolicAutomaton().addState(Number.NaN)).toThrow(ValueError);
    expect(() => new SymbolicAutomaton().addState(42).addState(42)).toThrow(/already exists/);
  });

  it('nn: disposing nothing is a no-op (null, undefined, the empty partly built chain state)', () => {
    const before = tf.memory().numTensors;
    expect(disposeTree(null)).toBeUndefined();
    expect(disposeTree(undefined)).toBeUndefined();
    expect(disposeState(null)).toBeUndefined();
    expect(disposeState(undefined)).toBeUndefined();
    expect(disposeState([])).toBeUndefined();
    expect(disposeDataset(null)).toBeUndefined();
    expect(disposeDataset(undefined)).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    // …and anything else that is not a tree/state/dataset is still a typed error
    expect(() => disposeTree(42 as never)).toThrow(expect.objectContaining({ argument: expect.any(String) }));
    expect(() => disposeDataset({ x: 1 } as never)).toThrow(ShapeError);
  });

  it('nn: a number is a constant schedule; any string is a seed', () => {
    const params = { g: { w: tf.tensor1d([1, -2]) } };
    const opt = scaleBySchedule(42);
    const { updates, state } = opt.update(params, opt.init(params));
    expect(Array.from(updates.g.w.dataSync())).toEqual([42, -84]);
    expect(state).toEqual({ count: 1 });
    tf.dispose([params.g.w, updates.g.w]);
    const a = toRng('abc');
    expect(a).toBeInstanceOf(Rng);
    expect(a.nextUint32()).toBe(new Rng('abc').nextUint32());
    expect(toRng('abd').nextUint32()).not.toBe(new Rng('abc').nextUint32());
  });
});
