import { DescentError, NotSupportedError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import {
  SymbolicAutomaton,
  and,
  box,
  compile,
  doubleIntegrator,
  fromLtlf,
  logSemiring,
  ltl,
  ltlToStl,
  not,
  patrol,
  planOpenLoopStl,
  reach,
  sequence,
  singleIntegrator,
  stl,
  stlRobustness,
  trajectorySvg,
  unicycle,
  until,
} from './index';

beforeAll(async () => {
  await ready();
});

/** Runs f and returns the argument its DescentError names (fails if it does not throw one). */
function named(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DescentError);
    return (e as DescentError).argument;
  }
  throw new Error('expected a typed error');
}

const goal = box([0.7, 0.7], [0.9, 0.9], { name: 'goal' });

describe('formula and guard builders reject malformed arguments with ValueErrors naming them', () => {
  it('LTLf builders: formulas are ltl nodes, strings are atom names (identifiers, not keywords)', () => {
    expect(reach('goal')).toEqual({ op: 'F', a: { op: 'atom', name: 'goal' } });
    expect(named(() => reach(42 as never))).toBe('goal');
    expect(named(() => reach('F'))).toBe('goal');
    expect(named(() => ltl.F(null as never))).toBe('a');
    expect(named(() => ltl.U(ltl.atom('a'), [1, 2] as never))).toBe('b');
    expect(named(() => ltl.atom('two words'))).toBe('name');
    expect(named(() => until('a', { op: 'G' } as never))).toBe('b'); // a G node without its child
    expect(named(() => sequence(['a', Number.NaN as never]))).toBe('goals[1]');
    expect(named(() => patrol('ab' as never, 2))).toBe('regions');
    expect(() => ltl.and(ltl.atom('a'), 'b' as never)).toThrow(ValueError);
  });

  it('guards: predicates, booleans, { not }, { and }, { or }', () => {
    expect(not(goal)).toEqual({ not: goal });
    expect(named(() => not('goal' as never))).toBe('g');
    expect(named(() => and(goal, [1, 2] as never))).toBe('gs');
  });

  it('STL builders, ltlToStl, stlRobustness, planOpenLoopStl', () => {
    expect(named(() => stl.pred({ name: 'p' } as never))).toBe('pred');
    expect(named(() => stl.always(stl.pred(goal), Number.NaN as never))).toBe('interval');
    expect(named(() => stl.not('x' as never))).toBe('a');
    expect(named(() => ltlToStl(reach('goal'), null as never))).toBe('predicates');
    expect(named(() => ltlToStl('F goal' as never, { goal }))).toBe('f');
    const xs = tf.tensor2d([[0, 0]]);
    expect(named(() => stlRobustness(stl.pred(goal), xs, { impl: 'rnn' as never }))).toBe('impl');
    expect(() => stlRobustness(stl.pred(goal), xs, { impl: 'rnn' as never })).toThrow(ValueError); // not NotSupportedError
    expect(named(() => stlRobustness(stl.pred(goal), xs, null as never))).toBe('options');
    // a valid request the configuration cannot do names the formula / the horizon
    const u = stl.until(stl.pred(goal), stl.pred(goal), [0, 3]);
    expect(() => stlRobustness(u, xs, { impl: 'recurrent' })).toThrow(NotSupportedError);
    expect(named(() => stlRobustness(u, xs, { impl: 'recurrent' }))).toBe('formula');
    xs.dispose();
    expect(named(() => planOpenLoopStl(null as never))).toBe('planOpenLoopStl options');
  });

  it('fromLtlf checks its formula, predicates and options', () => {
    expect(named(() => fromLtlf({ op: 'nope' } as never, { goal }))).toBe('formula');
    expect(named(() => fromLtlf('F(goal)', { goal: { name: 'goal' } as never }))).toBe('predicates');
    expect(named(() => fromLtlf('F(goal)', { goal }, Number.NaN as never))).toBe('options');
    expect(named(() => fromLtlf('F(goal)', { goal }, { maxStates: 0 }))).toBe('options.maxStates');
  });
});

describe('options arguments: undefined is {}, anything but an object is a ValueError naming options', () => {
  it.each([null, 'abc', 42, [1]])('%p', (bad) => {
    for (const f of [
      () => singleIntegrator(bad as never),
      () => doubleIntegrator(bad as never),
      () => unicycle(bad as never),
      () => logSemiring(bad as never),
      () => box([0, 0], [1, 1], bad as never),
      () => new SymbolicAutomaton().addState('q', bad as never),
      () => trajectorySvg(bad as never),
    ])
      expect(named(f)).toBe('options');
  });
  it('fields are read too', () => {
    expect(named(() => new SymbolicAutomaton().addState('q', { initial: 'yes' as never }))).toBe('options.initial');
    expect(named(() => singleIntegrator({ dim: 0 }))).toBe('dim');
    expect(named(() => doubleIntegrator({ dt: -1 }))).toBe('dt');
    expect(named(() => new SymbolicAutomaton().checkStateDim(Number.NaN))).toBe('n');
    expect(named(() => trajectorySvg({ regions: [], trajectories: [], bounds: [1, 0, 0, 1] }))).toBe('bounds');
    expect(named(() => compile(fromLtlf('F(goal)', { goal }), 'maxPlus').score(tf.zeros([2, 2]) as never, { reduce: 'fold' as never }))).toBe(
      'reduce',
    );
  });
});
