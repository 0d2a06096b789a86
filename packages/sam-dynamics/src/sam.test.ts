import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import {
  type ParamTree,
  type TreeTransformation,
  applyUpdates,
  disposeState,
  disposeTree,
  flattenTree,
  sgd,
  treeFromJSON,
  treeToJSON,
  valueAndGradTree,
} from '@descent/nn';
import { type SamOptions, type SamState, sam, samStateFromJSON, samStateToJSON } from './sam';
import { switchSchedule } from './switchSchedule';
import { norm, quadraticTree } from './testing';

beforeAll(async () => {
  await ready();
});

/** The quadratic's matrix tensor is made on first use: make it before counting tensors. */
function warmed(q: ReturnType<typeof quadraticTree>) {
  const w = q.params([0, 0, 0, 0]);
  q.f(w).dispose();
  disposeTree(w);
  return q;
}

const A = [
  [3, 1, 0, 0],
  [1, 2, 0.5, 0],
  [0, 0.5, 1, 0],
  [0, 0, 0, 0.5],
];
const w0 = [1, -0.5, 0.25, 2];

/** One update of `opt` at params w (objective f); returns new params (float64), stats and the new state. */
function stepOnce<S>(
  opt: ReturnType<typeof sam<S>>,
  q: ReturnType<typeof quadraticTree>,
  w: ParamTree,
  state: SamState<S>,
) {
  const { value, grads } = valueAndGradTree(q.f)(w);
  const r = opt.update(grads, state, w, { objective: q.f, loss: value });
  const next = applyUpdates(w, r.updates);
  disposeTree(grads);
  disposeTree(r.updates);
  return { next, stats: r.stats, state: r.state };
}

describe('sam: one step on a quadratic against the closed form (§6.2 item 2)', () => {
  const q = quadraticTree(A);
  afterAll(() => q.dispose());
  const eta = 0.1;
  const rho = 0.05;
  beforeAll(() => warmed(q));

  it("SAM: w − ηA(w + ρAw/‖Aw‖); the caller's weights are never perturbed", () => {
    const opt = sam(sgd({ learningRate: eta }), { rho });
    const w = q.params(w0);
    const s = opt.init(w);
    const before = tf.memory().numTensors;
    const { next, stats, state } = stepOnce(opt, q, w, s);
    const g = q.matvec(w0);
    const e = g.map((v) => (rho * v) / norm(g));
    const gp = q.matvec(w0.map((v, i) => v + e[i]));
    const expected = w0.map((v, i) => v - eta * gp[i]);
    const got = flattenTree(next);
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
    expect(Array.from(flattenTree(w))).toEqual(Array.from(Float32Array.from(w0))); // w untouched
    expect(stats.sam).toBe(true);
    expect(stats.gradNorm).toBeCloseTo(norm(g), 4);
    expect(stats.epsNorm).toBeCloseTo(rho, 6);
    const cos = g.reduce((a, v, i) => a + v * gp[i], 0) / (norm(g) * norm(gp));
    expect(stats.cosine).toBeCloseTo(cos, 5);
    expect(stats.perturbedLoss).toBeGreaterThan(stats.loss);
    expect(stats.gradEvals).toBe(2);
    disposeTree(next);
    disposeState(state);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(w);
    disposeState(s);
  });

  it('USAM: w − ηA(I + ρA)w', () => {
    const opt = sam(sgd({ learningRate: eta }), { mode: 'usam', rho: 0.2 });
    const w = q.params(w0);
    const s = opt.init(w);
    const { next, state } = stepOnce(opt, q, w, s);
    const Aw = q.matvec(w0);
    const AAw = q.matvec(Aw);
    const got = flattenTree(next);
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(w0[i] - eta * (Aw[i] + 0.2 * AAw[i]), 5);
    [w, next].forEach(disposeTree);
    disposeState([s, state]);
  });

  it('the base momentum state is updated exactly once per step: trace = g′_t + β·trace_{t−1}', () => {
    const beta = 0.9;
    let calls = 0;
    const base = sgd({ learningRate: eta, momentum: beta });
    const counting: TreeTransformation<unknown[]> = {
      init: (p) => base.init(p),
      update: (g, s, p) => {
        calls++;
        return base.update(g, s, p);
      },
    };
    const opt = sam(counting, { rho });
    let w = q.params(w0);
    let s = opt.init(w);
    let x = w0.slice();
    let buf = [0, 0, 0, 0];
    for (let t = 0; t < 3; t++) {
      const r = stepOnce(opt, q, w, s);
      disposeTree(w);
      disposeState(s);
      w = r.next;
      s = r.state;
      // float64 oracle: heavy-ball on the SAM gradient
      const g = q.matvec(x);
      const gp = q.matvec(x.map((v, i) => v + (rho * g[i]) / norm(g)));
      buf = buf.map((b, i) => gp[i] + beta * b);
      x = x.map((v, i) => v - eta * buf[i]);
    }
    expect(calls).toBe(3);
    const trace = flattenTree((s.base as [{ trace: ParamTree }, unknown])[0].trace);
    for (let i = 0; i < 4; i++) expect(trace[i]).toBeCloseTo(buf[i], 4);
    const got = flattenTree(w);
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(x[i], 5);
    disposeTree(w);
    disposeState(s);
  });

  it.each([
    [false, 'davda54/sam: ε from ∇L, base sees ∇L(w+ε) + λw'],
    [true, 'google-research/sam: ε from ∇L + λw, base sees ∇L(w+ε) + λ(w+ε)'],
  ])('weight decay inside the perturbation = %s (%s)', (inside) => {
    const wd = 0.3;
    const opt = sam(sgd({ learningRate: eta }), { rho, weightDecay: wd, weightDecayInPerturbation: inside });
    const w = q.params(w0);
    const s = opt.init(w);
    const { next, state } = stepOnce(opt, q, w, s);
    const gL = q.matvec(w0);
    const gP = inside ? gL.map((v, i) => v + wd * w0[i]) : gL;
    const e = gP.map((v) => (rho * v) / norm(gP));
    const we = w0.map((v, i) => v + e[i]);
    const gLe = q.matvec(we);
    const gBase = gLe.map((v, i) => v + wd * (inside ? we[i] : w0[i]));
    const got = flattenTree(next);
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(w0[i] - eta * gBase[i], 5);
    [w, next].forEach(disposeTree);
    disposeState([s, state]);
  });

  it('zero gradient (at the minimum): the step is zero, no NaN, one gradient evaluation saved', () => {
    const opt = sam(sgd({ learningRate: eta, momentum: 0.9 }), { rho });
    const w = q.params([0, 0, 0, 0]);
    const s = opt.init(w);
    const { next, stats, state } = stepOnce(opt, q, w, s);
    expect(Array.from(flattenTree(next))).toEqual([0, 0, 0, 0]);
    expect(stats.epsNorm).toBe(0);
    expect(Number.isNaN(stats.cosine)).toBe(true);
    expect(stats.gradEvals).toBe(1);
    [w, next].forEach(disposeTree);
    disposeState([s, state]);
  });

  it('interval k: SAM on steps 0, k, 2k, …; plain steps otherwise (gradEvals 2 vs 1)', () => {
    const opt = sam(sgd({ learningRate: eta }), { rho, interval: 3 });
    let w = q.params(w0);
    let s = opt.init(w);
    const seen: boolean[] = [];
    for (let t = 0; t < 7; t++) {
      const r = stepOnce(opt, q, w, s);
      seen.push(r.stats.sam);
      expect(r.stats.gradEvals).toBe(r.stats.sam ? 2 : 1);
      disposeTree(w);
      disposeState(s);
      w = r.next;
      s = r.state;
    }
    expect(seen).toEqual([true, false, false, true, false, false, true]);
    disposeTree(w);
    disposeState(s);
  });

  it.each(['reset', 'keep'] as const)(
    'a late schedule: SAM exactly from the switch; momentumAtSwitch %s',
    (momentumAtSwitch) => {
      const beta = 0.9;
      const schedule = switchSchedule({ totalSteps: 6, at: { step: 3 }, momentumAtSwitch });
      const opt = sam(sgd({ learningRate: eta, momentum: beta }), { rho, schedule });
      let w = q.params(w0);
      let s = opt.init(w);
      let x = w0.slice();
      let buf = [0, 0, 0, 0];
      const flags: boolean[] = [];
      for (let t = 0; t < 6; t++) {
        const r = stepOnce(opt, q, w, s);
        flags.push(r.stats.sam);
        expect(r.stats.switched).toBe(t === 3);
        disposeTree(w);
        disposeState(s);
        w = r.next;
        s = r.state;
        const g = q.matvec(x);
        const gUse = t >= 3 ? q.matvec(x.map((v, i) => v + (rho * g[i]) / norm(g))) : g;
        if (t === 3 && momentumAtSwitch === 'reset') buf = [0, 0, 0, 0];
        buf = buf.map((b, i) => gUse[i] + beta * b);
        x = x.map((v, i) => v - eta * buf[i]);
      }
      expect(flags).toEqual([false, false, false, true, true, true]);
      const got = flattenTree(w);
      for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(x[i], 5);
      // the step counter of the learning-rate schedule continued (6 updates), also after a reset
      expect((s.base as [unknown, { count: number }])[1].count).toBe(6);
      // beyond the budget the schedule throws instead of silently never firing
      const { grads } = valueAndGradTree(q.f)(w);
      expect(() => opt.update(grads, s, w, { objective: q.f })).toThrow(/beyond|budget/);
      disposeTree(grads);
      disposeTree(w);
      disposeState(s);
    },
  );

  it('bad input: typed errors naming the argument; nothing leaks', () => {
    const w = q.params(w0);
    const opt = sam(sgd({ learningRate: eta }));
    const s = opt.init(w);
    const { grads } = valueAndGradTree(q.f)(w);
    const before = tf.memory().numTensors;
    expect(() => opt.update(grads, s, w)).toThrow(/context must be \{ objective \}/);
    expect(() => opt.update(grads, s, undefined, { objective: q.f })).toThrow(/params is required/);
    expect(() => opt.update(grads, { count: -1 } as never, w, { objective: q.f })).toThrow(/state/);
    expect(() => opt.update(grads, s, w, { objective: [] })).toThrow(/context.objective/);
    expect(() => opt.update(grads, s, w, { objective: [q.f, q.f], weights: [1] })).toThrow(/context.weights/);
    expect(() => opt.update(grads, s, w, { objective: (p) => tf.mul(tf.sum(p.q.w), Number.NaN) })).toThrow(
      /not finite/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(() => sam(sgd({ learningRate: 1 }), { mode: 'usam' })).toThrow(/rho is required/);
    expect(() => sam(sgd({ learningRate: 1 }), { rho: -0.1 })).toThrow(ValueError);
    expect(() => sam(sgd({ learningRate: 1 }), { interval: 0 })).toThrow(/interval/);
    expect(() => sam(sgd({ learningRate: 1 }), { rhoo: 1 } as SamOptions)).toThrow(/rhoo.*rho/);
    expect(() => sam(sgd({ learningRate: 1 }), { schedule: { active: () => true } } as never)).toThrow(
      /SwitchSchedule/,
    );
    expect(() => sam(null as never)).toThrow(/base must be/);
    disposeTree(grads);
    disposeTree(w);
    disposeState(s);
  });
});

describe('SAM state checkpoints', () => {
  const q = quadraticTree(A);
  afterAll(() => q.dispose());
  const make = (steps: number, momentum: number) => {
    const opt = sam(sgd({ learningRate: 0.05, momentum }), { rho: 0.1, interval: 2 });
    let w = q.params(w0);
    let s = opt.init(w);
    for (let t = 0; t < steps; t++) {
      const r = stepOnce(opt, q, w, s);
      disposeTree(w);
      disposeState(s);
      w = r.next;
      s = r.state;
    }
    return { opt, w, s };
  };

  it('round trip: the restored state continues bit for bit', () => {
    checkRoundTrip({
      arbitrary: fc.record({ steps: fc.nat(4), momentum: fc.constant(0.9) }),
      numRuns: 8,
      make: ({ steps, momentum }) => make(steps, momentum),
      // the checkpoint: the SAM state blob plus the parameters
      toJSON: (o) => ({ ...samStateToJSON(o.s), params: treeToJSON(o.w) }),
      fromJSON: (json) => {
        const opt = sam(sgd({ learningRate: 0.05, momentum: 0.9 }), { rho: 0.1, interval: 2 });
        const { params, ...state } = json as { params: unknown };
        const w = treeFromJSON(params);
        return { opt, w, s: samStateFromJSON(state, opt, w) };
      },
      advance: (o) => {
        const r = stepOnce(o.opt, q, o.w, o.s);
        const out = Array.from(flattenTree(r.next));
        disposeTree(r.next);
        disposeState(r.state);
        return out;
      },
    });
  });

  it('damaged blobs are met with typed errors naming the field', () => {
    const { opt, w, s } = make(3, 0.9);
    const blob = samStateToJSON(s);
    const report = checkDamagedBlobs({
      blob,
      fromJSON: (json) => {
        const st = samStateFromJSON(json, opt, w);
        disposeState(st);
        return st;
      },
    });
    expect(report.tried).toBeGreaterThan(20);
    disposeTree(w);
    disposeState(s);
  });
});
