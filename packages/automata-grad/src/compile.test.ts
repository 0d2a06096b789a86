import { type DescentError, Rng, ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import {
  SymbolicAutomaton,
  booleanSemiring,
  box,
  compile,
  counting,
  logSemiring,
  maxMin,
  maxPlus,
  softMaxMin,
  type MatrixOperator,
} from './index';
import { guardHolds, guardWeight } from './guard';
import { forEachPath, randomAutomaton, randomBox, randomTrajectory } from './testUtils';

beforeAll(async () => {
  await ready();
});

const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

/** Brute force over all Q^{T+1} state sequences: ⊕ over accepting runs of ⊗ over steps of λ(x_t, ψ). */
function bruteForce(
  aut: SymbolicAutomaton,
  xs: number[][],
  s = maxPlus,
  weightFn: 'violation' | 'signed' = 'violation',
) {
  const Q = aut.numStates;
  const guard = new Map(aut.edges.map((e) => [`${e.src},${e.dst}`, e.guard]));
  const init = new Set(aut.initial);
  const acc = new Set(aut.accepting);
  let best = s.zero;
  let accepted = false;
  let runs = 0;
  forEachPath(Q, xs.length, (path) => {
    if (!init.has(path[0]) || !acc.has(path[xs.length])) return;
    let w = s.one;
    let holds = true;
    for (let t = 0; t < xs.length; t++) {
      const g = guard.get(`${path[t]},${path[t + 1]}`);
      if (g === undefined) return;
      w = s.times(w, guardWeight(g, xs[t], s, weightFn));
      holds &&= guardHolds(g, xs[t]);
    }
    best = s.plus(best, w);
    if (holds) {
      accepted = true;
      runs++;
    }
  });
  return { best, accepted, runs };
}

describe('acceptance and best-run score equal brute-force enumeration (random automata Q ≤ 4, T ≤ 6)', () => {
  const rng = new Rng(11);
  const cases = Array.from({ length: 24 }, (_, c) => {
    const r = rng.fold('case', c);
    const preds = [0, 1, 2].map((i) => randomBox(r.fold('box', i), `p${i}`));
    const Q = 1 + r.int(4);
    const T = 1 + r.int(6);
    return { aut: randomAutomaton(r.fold('aut'), Q, preds), xs: randomTrajectory(r.fold('xs'), T) };
  });

  it('accepts ⇔ brute force ⇔ W_maxPlus = 0 ⇔ W_boolean = 1, and counting counts the satisfied accepting runs', () => {
    let nAccepted = 0;
    for (const { aut, xs } of cases) {
      const bf = bruteForce(aut, xs);
      nAccepted += Number(bf.accepted);
      expect(aut.accepts(xs)).toBe(bf.accepted);
      const mp = compile(aut, maxPlus).scoreValue(xs);
      expect(mp === 0).toBe(bf.accepted);
      expect(read(compile(aut, booleanSemiring).score(xs))).toBe(bf.accepted ? 1 : 0);
      expect(compile(aut, counting).scoreValue(xs)).toBe(bf.runs);
      expect(read(compile(aut, counting).score(xs))).toBe(bf.runs);
    }
    // the sample has both outcomes
    expect(nAccepted).toBeGreaterThan(0);
    expect(nAccepted).toBeLessThan(cases.length);
  });

  it('max-plus (violation) and max-min (signed) W equal the best run, in float64 and in float32 tensors (tree and scan)', () => {
    for (const { aut, xs } of cases) {
      for (const [s, wf] of [
        [maxPlus, 'violation'],
        [maxMin, 'signed'],
      ] as const) {
        const bf = bruteForce(aut, xs, s, wf).best;
        const op = compile(aut, s, { weightFn: wf });
        if (bf === -Infinity) {
          expect(op.scoreValue(xs)).toBe(-Infinity);
          expect(read(op.score(xs))).toBeLessThanOrEqual(-1e8); // the finite 0̄ sentinel
          continue;
        }
        expect(op.scoreValue(xs)).toBeCloseTo(bf, 10);
        expect(read(op.score(xs, { reduce: 'tree' }))).toBeCloseTo(bf, 5);
        expect(read(op.score(xs, { reduce: 'scan' }))).toBeCloseTo(bf, 5);
      }
    }
  });
});

describe('soft → hard: 0 ≤ W_τ − W ≤ τ·T·log|Q| and monotone in τ (log semiring)', () => {
  it('holds on random automata', () => {
    const rng = new Rng(5);
    for (let c = 0; c < 10; c++) {
      const r = rng.fold('case', c);
      const preds = [0, 1, 2].map((i) => randomBox(r.fold('box', i), `p${i}`));
      const Q = 2 + r.int(3);
      const aut = randomAutomaton(r.fold('aut'), Q, preds, 0.7);
      const xs = randomTrajectory(r.fold('xs'), 2 + r.int(20));
      const hard = compile(aut, maxPlus).scoreValue(xs);
      if (hard === -Infinity) continue;
      let prevGap = Infinity;
      for (const tau of [1, 0.1, 0.01, 0.001]) {
        const op = compile(aut, logSemiring({ tau }));
        const soft = op.scoreValue(xs);
        const gap = soft - hard;
        expect(gap).toBeGreaterThanOrEqual(-1e-12);
        expect(gap).toBeLessThanOrEqual(tau * xs.length * Math.log(Q) + 1e-12);
        expect(gap).toBeLessThanOrEqual(prevGap + 1e-12);
        prevGap = gap;
        // the float32 tensor form agrees
        expect(Math.abs(read(op.score(xs)) - soft)).toBeLessThan(1e-3 * Math.max(1, Math.abs(soft)));
      }
    }
  });

  it('soft max-min → max-min as τ → 0', () => {
    const rng = new Rng(6);
    const preds = [0, 1].map((i) => randomBox(rng.fold('box', i), `p${i}`));
    const aut = randomAutomaton(rng.fold('aut'), 3, preds, 0.8);
    const xs = randomTrajectory(rng.fold('xs'), 10);
    const hard = compile(aut, maxMin, { weightFn: 'signed' }).scoreValue(xs);
    const gaps = [1, 0.1, 0.01, 0.001].map((tau) =>
      Math.abs(compile(aut, softMaxMin({ tau }), { weightFn: 'signed' }).scoreValue(xs) - hard),
    );
    expect(gaps[3]).toBeLessThan(0.05);
    expect(gaps[3]).toBeLessThan(gaps[0]);
  });
});

describe('tree = scan', () => {
  const rng = new Rng(21);
  const preds = [0, 1, 2].map((i) => randomBox(rng.fold('box', i), `p${i}`));
  const aut = randomAutomaton(rng.fold('aut'), 4, preds, 0.7);
  const xs = randomTrajectory(rng.fold('xs'), 37);

  it.each([
    ['maxPlus', maxPlus],
    ['maxMin', maxMin],
    ['log τ=0.5', logSemiring({ tau: 0.5 })],
  ])('for the true semiring %s (≤ 1e-5 relative)', (_, s) => {
    const op = compile(aut, s, { weightFn: s === maxMin ? 'signed' : 'violation' });
    const tree = read(op.score(xs, { reduce: 'tree' }));
    const scan = read(op.score(xs, { reduce: 'scan' }));
    expect(Math.abs(tree - scan)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(scan)));
  });

  it('but not for soft max-min (not associative; documented), whose default is scan', () => {
    const op = compile(aut, softMaxMin({ tau: 1 }), { weightFn: 'signed' });
    expect(op.reduce).toBe('scan');
    const tree = read(op.score(xs, { reduce: 'tree' }));
    const scan = read(op.score(xs, { reduce: 'scan' }));
    expect(Math.abs(tree - scan)).toBeGreaterThan(1e-3);
    expect(scan).toBeCloseTo(op.scoreValue(xs), 3);
  });
});

describe('batched scores and the online forward recursion', () => {
  const rng = new Rng(8);
  const preds = [0, 1].map((i) => randomBox(rng.fold('box', i), `p${i}`));
  const aut = randomAutomaton(rng.fold('aut'), 3, preds, 0.8);
  const op: MatrixOperator = compile(aut, logSemiring({ tau: 0.3 }));
  const trajs = [0, 1, 2].map((i) => randomTrajectory(rng.fold('xs', i), 9));

  it('a [B, T, n] batch gives the per-trajectory scores', () => {
    const w = op.score(tf.tensor3d(trajs));
    const got = Array.from(w.dataSync());
    w.dispose();
    trajs.forEach((xs, i) => {
      expect(got[i]).toBeCloseTo(op.scoreValue(xs), 3);
    });
  });

  it('v ← forward(v, x_t) from α, then finalScore(v), equals the score (no stored history)', () => {
    const xs = trajs[0];
    let v = op.alpha();
    for (const x of xs) {
      const next = tf.tidy(() => op.forward(v, tf.tensor1d(x)));
      v.dispose();
      v = next;
    }
    expect(read(op.finalScore(v))).toBeCloseTo(op.scoreValue(xs), 3);
    v.dispose();
  });
});

describe('finite values and gradients in corner cases (no NaN)', () => {
  const a = box([0, 0], [1, 1], { name: 'a' });
  const grads = (op: MatrixOperator, xs: number[][]) => {
    const x = tf.tensor2d(xs);
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => op.score(z) as tf.Scalar)(x);
    const out = { value: value.dataSync()[0], grad: Array.from(grad.dataSync()) };
    tf.dispose([x, value, grad]);
    return out;
  };
  const semirings = [maxPlus, maxMin, logSemiring({ tau: 0.1 }), softMaxMin({ tau: 0.1 })];

  it.each(semirings.map((s) => [s.name, s]))(
    '%s: unreachable accepting state, all-0̄ initial row, accepted trajectory',
    (_, s) => {
      // accepting state 2 is unreachable (no edge into it)
      const unreachable = new SymbolicAutomaton()
        .addState(0, { initial: true })
        .addState(1)
        .addState(2, { accepting: true })
        .addEdge(0, 1, a)
        .addEdge(1, 1, true);
      // the initial state has no outgoing edge at all
      const stuck = new SymbolicAutomaton()
        .addState(0, { initial: true })
        .addState(1, { accepting: true })
        .addEdge(1, 1, a);
      // reach a: accepted trajectory (gradient exactly 0 for max-plus violation weights)
      const reach = new SymbolicAutomaton()
        .addState(0, { initial: true })
        .addState(1, { accepting: true })
        .addEdge(0, 0, { not: a })
        .addEdge(0, 1, a)
        .addEdge(1, 1, true);
      const xs = [
        [0.5, 0.5],
        [2, 2],
        [0.5, 0.2],
      ];
      for (const aut of [unreachable, stuck, reach]) {
        for (const wf of ['violation', 'signed'] as const) {
          const { value, grad } = grads(compile(aut, s, { weightFn: wf }), xs);
          expect(Number.isFinite(value)).toBe(true);
          expect(grad.every(Number.isFinite)).toBe(true);
        }
      }
      if (s === maxPlus) {
        const { value, grad } = grads(compile(reach, s), xs);
        expect(value).toBe(0);
        expect(grad.every((g) => g === 0)).toBe(true);
      }
    },
  );

  it('on the cpu backend too', async () => {
    await ready({ backend: 'cpu' });
    try {
      const aut = new SymbolicAutomaton()
        .addState(0, { initial: true })
        .addState(1, { accepting: true })
        .addEdge(1, 1, a);
      const { value, grad } = grads(compile(aut, logSemiring({ tau: 0.1 })), [[3, 3]]);
      expect(Number.isFinite(value)).toBe(true);
      expect(grad.every(Number.isFinite)).toBe(true);
    } finally {
      await ready();
    }
  });
});

describe('invariances', () => {
  const rng = new Rng(31);
  const preds = [0, 1, 2].map((i) => randomBox(rng.fold('box', i), `p${i}`));
  const aut = randomAutomaton(rng.fold('aut'), 4, preds, 0.6);
  const xs = randomTrajectory(rng.fold('xs'), 12);
  const semirings = [maxPlus, logSemiring({ tau: 0.2 }), maxMin];

  it('relabelling the states leaves W unchanged', () => {
    const perm = [2, 0, 3, 1];
    const re = new SymbolicAutomaton();
    const order = [...perm.keys()].sort((i, j) => perm[i] - perm[j]);
    for (const q of order)
      re.addState(`s${perm[q]}`, { initial: aut.initial.includes(q), accepting: aut.accepting.includes(q) });
    for (const e of [...aut.edges].reverse())
      re.addEdge(`s${perm[e.src]}`, `s${perm[e.dst]}`, e.guard as never);
    for (const s of semirings) {
      expect(compile(re, s).scoreValue(xs)).toBeCloseTo(compile(aut, s).scoreValue(xs), 10);
      expect(read(compile(re, s).score(xs))).toBeCloseTo(read(compile(aut, s).score(xs)), 4);
    }
  });

  it('adding an unreachable state or a dead sink leaves W unchanged, and trim() removes them', () => {
    const big = new SymbolicAutomaton();
    aut.stateIds.forEach((id, q) => {
      big.addState(id, { initial: aut.initial.includes(q), accepting: aut.accepting.includes(q) });
    });
    for (const e of aut.edges) big.addEdge(aut.stateIds[e.src], aut.stateIds[e.dst], e.guard as never);
    big.addState('sink').addState('island', { accepting: true });
    for (const id of aut.stateIds) big.addEdge(id, 'sink', preds[0]);
    big.addEdge('sink', 'sink', true).addEdge('island', 'island', true);
    for (const s of semirings) {
      expect(compile(big, s).scoreValue(xs)).toBeCloseTo(compile(aut, s).scoreValue(xs), 10);
      expect(read(compile(big, s).score(xs))).toBeCloseTo(read(compile(aut, s).score(xs)), 4);
    }
    expect(big.trim().numStates).toBeLessThanOrEqual(aut.numStates);
  });

  it('splitting a guard a ∨ b into two parallel edges a and b gives the same operator', () => {
    const [p, q] = preds;
    const one = new SymbolicAutomaton().addState(0, { initial: true }).addState(1, { accepting: true });
    one
      .addEdge(0, 0, true)
      .addEdge(0, 1, { or: [p, q] })
      .addEdge(1, 1, true);
    const two = new SymbolicAutomaton().addState(0, { initial: true }).addState(1, { accepting: true });
    two.addEdge(0, 0, true).addEdge(0, 1, p).addEdge(0, 1, q).addEdge(1, 1, true);
    for (const s of semirings) expect(compile(two, s).scoreValue(xs)).toBe(compile(one, s).scoreValue(xs));
  });
});

describe('typed errors and no leaks', () => {
  const a = box([0, 0], [1, 1], { name: 'a' });
  it('names what is wrong', () => {
    expect(() => compile(new SymbolicAutomaton().addState(0, { accepting: true }), maxPlus)).toThrow(
      /initial state/,
    );
    expect(() => compile(new SymbolicAutomaton().addState(0, { initial: true }), maxPlus)).toThrow(
      /accepting state/,
    );
    expect(() => new SymbolicAutomaton().addState(0).addEdge(0, 7, true)).toThrow(
      /dst must be a known state, got unknown state 7/,
    );
    const aut = new SymbolicAutomaton()
      .addState(0, { initial: true, accepting: true })
      .addEdge(0, 0, box([0, 0, 0], [1, 1, 1], { name: 'cube' }));
    expect(() => compile(aut, maxPlus).score([[1, 2]])).toThrow(
      /predicate 'cube' needs states of dimension >= 3/,
    );
    expect(() => aut.accepts([[1, 2]])).toThrow(/dimension >= 3/);
    const ok = new SymbolicAutomaton().addState(0, { initial: true, accepting: true }).addEdge(0, 0, a);
    expect(() => compile(ok, maxPlus).score(tf.zeros([0, 2]))).toThrow(/horizon >= 1/);
    expect(() => compile(ok, 'log', { tau: 0 })).toThrow(/tau must be > 0, got 0/);
    expect(() => compile(ok, 'softMaxMin', { tau: -2 })).toThrow(/tau must be > 0/);
    expect(() => compile(ok, 'tropical' as never)).toThrow(/semiring must be one of/);
    // typed errors from @descent/tensor, naming the argument
    const caught = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as DescentError;
      }
      throw new Error('did not throw');
    };
    const e1 = caught(() => compile(aut, maxPlus).score([[1, 2]]));
    expect(e1).toBeInstanceOf(ShapeError);
    expect(e1.argument).toBe('cube');
    const e2 = caught(() => compile(new SymbolicAutomaton().addState(0, { accepting: true }), maxPlus));
    expect(e2).toBeInstanceOf(ValueError);
    expect(e2.argument).toBe('initial');
    expect(caught(() => new SymbolicAutomaton().addState(0).addEdge(9, 0, true)).argument).toBe('src');
    expect(caught(() => logSemiring({ tau: -1 })).argument).toBe('tau');
  });

  it('score, transitions and gradients leak no tensors', () => {
    const aut = new SymbolicAutomaton().addState(0, { initial: true }).addState(1, { accepting: true });
    aut.addEdge(0, 0, { not: a }).addEdge(0, 1, a).addEdge(1, 1, true);
    const op = compile(aut, logSemiring({ tau: 0.5 }));
    const x = tf.tensor2d([
      [2, 2],
      [0.5, 0.5],
      [3, 1],
    ]);
    const before = tf.memory().numTensors;
    tf.dispose(op.score(x));
    tf.dispose(op.score(x, { reduce: 'scan' }));
    tf.dispose(op.transitions(x));
    tf.dispose(tf.grad((z: tf.Tensor) => op.score(z) as tf.Scalar)(x));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
