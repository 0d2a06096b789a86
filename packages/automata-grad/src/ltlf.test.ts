import { Rng } from '@descent/tensor';
import {
  box,
  compile,
  fromLtlf,
  ltlToStl,
  maxMin,
  parseLtl,
  patrol,
  reachAvoid,
  sequence,
  stlHolds,
  stlRobustnessValue,
  until,
  type Ltl,
} from './index';

const preds = {
  a: box([0.6, 0.0], [1.0, 0.4], { name: 'a' }),
  b: box([0.6, 0.6], [1.0, 1.0], { name: 'b' }),
  c: box([0.0, 0.6], [0.4, 1.0], { name: 'c' }),
  o: box([0.35, 0.35], [0.65, 0.65], { name: 'o' }),
};

/**
 * Random piecewise-linear paths through `nWay` waypoints drawn among the region centres and uniform
 * points (so sequences are sometimes satisfied), with small noise; paths with a state within
 * `margin` of a region boundary are skipped (boundary conventions differ by design).
 */
const CENTRES = [
  [0.8, 0.2],
  [0.8, 0.8],
  [0.2, 0.8],
  [0.5, 0.5],
];
function walks(
  seed: number,
  count: number,
  T: number,
  nWay = 5,
  centres = CENTRES,
  margin = 0.01,
): number[][][] {
  const rng = new Rng(seed);
  const out: number[][][] = [];
  for (let k = 0; out.length < count && k < 50 * count; k++) {
    const r = rng.fold('walk', k);
    const way = Array.from({ length: nWay }, () =>
      r.uniform() < 0.6 ? centres[r.int(centres.length)] : [r.uniform(), r.uniform()],
    );
    const xs: number[][] = [];
    for (let t = 0; t < T; t++) {
      const s = (t / (T - 1)) * (way.length - 1);
      const i = Math.min(Math.floor(s), way.length - 2);
      const f = s - i;
      xs.push([0, 1].map((d) => way[i][d] * (1 - f) + way[i + 1][d] * f + 0.03 * (r.uniform() - 0.5)));
    }
    const nearBoundary = xs.some((x) => Object.values(preds).some((p) => Math.abs(p.distanceAt(x)) < margin));
    if (!nearBoundary) out.push(xs);
  }
  return out;
}

describe('parser', () => {
  it('parses the README formula and precedence (& binds tighter than |, U tighter than &, -> lowest)', () => {
    const f = parseLtl('F(a & F(b)) & G(!o)');
    expect(f).toEqual({
      op: 'and',
      args: [
        {
          op: 'F',
          a: {
            op: 'and',
            args: [
              { op: 'atom', name: 'a' },
              { op: 'F', a: { op: 'atom', name: 'b' } },
            ],
          },
        },
        { op: 'G', a: { op: 'not', a: { op: 'atom', name: 'o' } } },
      ],
    });
    expect(parseLtl('a | b & c')).toEqual({
      op: 'or',
      args: [
        { op: 'atom', name: 'a' },
        {
          op: 'and',
          args: [
            { op: 'atom', name: 'b' },
            { op: 'atom', name: 'c' },
          ],
        },
      ],
    });
    expect(parseLtl('a -> X b').op).toBe('or');
    expect(() => parseLtl('F(a & )')).toThrow(/formula: expected an atom/);
    expect(() => parseLtl('a b')).toThrow(/unexpected token/);
  });

  it('builds the expected automata sizes and names missing atoms', () => {
    expect(fromLtlf(reachAvoid('b', 'o'), preds).numStates).toBe(2);
    expect(fromLtlf(sequence(['a', 'b', 'c']), preds).numStates).toBe(4);
    expect(fromLtlf(patrol(['a', 'c'], 2), preds).numStates).toBe(5);
    expect(() => fromLtlf('F(zzz)', preds)).toThrow(/missing 'zzz'/);
    expect(() => fromLtlf('a & !a', preds)).toThrow(/unsatisfiable/);
  });
});

describe('automaton acceptance agrees with Boolean STL on the shared fragment (random walks away from boundaries)', () => {
  const formulas: [string, Ltl | string][] = [
    ['reach-avoid', reachAvoid('b', 'o')],
    ['sequence', sequence(['a', 'b', 'c'])],
    ['until', until({ op: 'not', a: { op: 'atom', name: 'o' } }, 'b')],
    ['patrol', patrol(['a', 'c'], 2)],
    ['next / weak next / release', 'X(a) | (a R !o) | G(X(!c))'],
    ['implication', 'G(a -> F(c)) & F(a)'],
  ];
  const trajs = walks(3, 80, 48, 8);
  // patrol needs a, c, a, c in order: waypoints among those two centres
  const patrolTrajs = walks(4, 60, 48, 8, [CENTRES[0], CENTRES[2]]);

  it.each(formulas)('%s', (name, f) => {
    const formula = typeof f === 'string' ? parseLtl(f) : f;
    const aut = fromLtlf(formula, preds);
    const phi = ltlToStl(formula, preds);
    const signed = compile(aut, maxMin, { weightFn: 'signed' });
    let sat = 0;
    const set = name === 'patrol' ? patrolTrajs : trajs;
    for (const xs of set) {
      const acc = aut.accepts(xs);
      expect(acc).toBe(stlHolds(phi, xs));
      sat += Number(acc);
      // the sign of the max-min signed score matches the sign of the STL robustness
      const rho = stlRobustnessValue(phi, xs);
      const w = signed.scoreValue(xs);
      expect(Math.sign(w)).toBe(Math.sign(rho));
    }
    // both outcomes occur, so the agreement is not vacuous
    expect(sat).toBeGreaterThan(0);
    expect(sat).toBeLessThan(set.length);
  });
});
