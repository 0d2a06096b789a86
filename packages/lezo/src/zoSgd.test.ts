/**
 * MeZO / LeZO on tensors: restore, bit-exact equivalences, which layers move, leaks, errors,
 * convergence (the notes' §5.2, tests 5–8 and 11–12).
 */
import {
  type Dataset,
  type ParamTree,
  disposeTree,
  meanSquaredError,
  mlp,
  objective,
  softmaxCrossEntropyLoss,
  transformer,
} from '@descent/nn';
import { Rng } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { isDescentError } from '@descent/testkit';
import { noiseArray } from './noise';
import { noiseBlocks, spsaReference } from './reference';
import { batchOf, sameBits, teacherData, treeValues, ulp32 } from './testing/fixtures';
import { LeZO, MeZO, type ZoSgd } from './zoSgd';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [6, 12, 12, 12, 3] }); // groups dense0..dense3
let data: Dataset;
let params0: ParamTree;
beforeAll(() => {
  data = teacherData(256, 6, 1);
  params0 = model.init(3);
});
afterAll(() => {
  tf.dispose([data.x, data.y]);
  disposeTree(params0);
});

const f = (b: Dataset) => objective(model, softmaxCrossEntropyLoss, b.x, b.y);

function run(opt: ZoSgd, steps: number, batch = 32): number[] {
  const grads: number[] = [];
  for (let t = 0; t < steps; t++) {
    const b = batchOf(data, (t * batch) % (256 - batch), batch);
    try {
      grads.push(opt.stepOn(f(b)).projectedGrad);
    } finally {
      tf.dispose([b.x, b.y]);
    }
  }
  return grads;
}

describe('the perturbation cycle +ε, −2ε, +ε', () => {
  it('restores active tensors within 2 float32 ulps of |p| + 2ε|z| and leaves inactive ones bitwise unchanged', () => {
    const eps = 1e-2;
    const opt = new LeZO(params0, { learningRate: 0, eps, keep: 2, seed: 5 });
    const before = treeValues(opt.params);
    const b = batchOf(data, 0, 64);
    const r = opt.stepOn(f(b));
    tf.dispose([b.x, b.y]);
    const after = treeValues(opt.params);
    const seed = r.directions[0].seed;
    let exact = 0;
    let total = 0;
    Object.keys(before).forEach((key, index) => {
      const group = key.split('.')[0];
      const p = before[key];
      const q = after[key];
      if (!r.activeGroups.includes(group)) {
        expect(sameBits({ k: p }, { k: q })).toBe(true);
        return;
      }
      const z = noiseArray(seed, index, p.length);
      for (let i = 0; i < p.length; i++) {
        const bound = 2 * ulp32(Math.abs(p[i]) + 2 * eps * Math.abs(z[i]));
        expect(Math.abs(q[i] - p[i])).toBeLessThanOrEqual(bound);
        if (q[i] === p[i]) exact++;
        total++;
      }
    });
    expect(r.activeGroups).toHaveLength(2);
    // not bitwise in general (MeZO issue #42): some entries drift by an ulp
    expect(exact).toBeGreaterThan(0.5 * total);
    opt.dispose();
  });
});

describe('bit-exact equivalences', () => {
  it('LeZO with nothing dropped is MeZO bit for bit over 50 steps (weights and projected gradients)', () => {
    const o = { learningRate: 0.02, eps: 1e-3, weightDecay: 0.01, seed: 'eq' };
    const mezo = new MeZO(params0, o);
    const lezo = new LeZO(params0, { ...o, drop: 0 });
    const g1 = run(mezo, 50);
    const g2 = run(lezo, 50);
    expect(g2).toEqual(g1);
    expect(sameBits(treeValues(mezo.params), treeValues(lezo.params))).toBe(true);
    // and the run moved: not trivially equal
    expect(sameBits(treeValues(mezo.params), treeValues(params0))).toBe(false);
    mezo.dispose();
    lezo.dispose();
  });

  it('the same seed gives the same run; another seed another', () => {
    const a = new LeZO(params0, { learningRate: 0.02, drop: 2, seed: 1 });
    const b = new LeZO(params0, { learningRate: 0.02, drop: 2, seed: 1 });
    const c = new LeZO(params0, { learningRate: 0.02, drop: 2, seed: 2 });
    expect(run(b, 5)).toEqual(run(a, 5));
    expect(run(c, 5)).not.toEqual(run(new LeZO(params0, { learningRate: 0.02, drop: 2, seed: 1 }), 5));
    expect(sameBits(treeValues(a.params), treeValues(b.params))).toBe(true);
    for (const o of [a, b, c]) o.dispose();
  });
});

describe('which layers move', () => {
  it('after each LeZO step, exactly the tensors of the active groups have changed', () => {
    const opt = new LeZO(params0, { learningRate: 0.05, keep: 2, seed: 9 });
    for (let t = 0; t < 6; t++) {
      const before = treeValues(opt.params);
      const b = batchOf(data, 16 * t, 32);
      const r = opt.stepOn(f(b));
      tf.dispose([b.x, b.y]);
      const after = treeValues(opt.params);
      expect(r.activeGroups).toEqual(opt.activeGroupsAt(t));
      for (const key of Object.keys(before)) {
        const moved = !sameBits({ k: before[key] }, { k: after[key] });
        expect(moved).toBe(r.activeGroups.includes(key.split('.')[0]));
      }
    }
    opt.dispose();
  });

  it('transformer: embeddings, final norm and head are always active, k blocks are sampled', () => {
    const tm = transformer({
      vocab: 11,
      maxLength: 4,
      dim: 8,
      heads: 2,
      layers: 3,
      task: 'classify',
      classes: 2,
    });
    const p = tm.init(0);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32');
    const y = tf.tensor1d([0, 1], 'int32');
    const opt = new LeZO(p, { learningRate: 0.01, drop: 2, seed: 4 });
    const before = treeValues(opt.params);
    const r = opt.stepOn(objective(tm, softmaxCrossEntropyLoss, x, y));
    const after = treeValues(opt.params);
    expect(opt.selection.always).toEqual(['embed', 'norm', 'head']);
    expect(r.activeGroups.filter((g) => g.startsWith('block'))).toHaveLength(1);
    for (const g of ['embed', 'norm', 'head']) expect(r.activeGroups).toContain(g);
    for (const key of Object.keys(before)) {
      expect(!sameBits({ k: before[key] }, { k: after[key] })).toBe(
        r.activeGroups.includes(key.split('.')[0]),
      );
    }
    opt.dispose();
    disposeTree(p);
    tf.dispose([x, y]);
  });

  it('cyclic selection visits the blocks in turn', () => {
    const opt = new LeZO(params0, { learningRate: 0.01, keep: 1, selection: 'cyclic' });
    expect([0, 1, 2, 3, 4].map((t) => opt.activeGroupsAt(t))).toEqual([
      ['dense0'],
      ['dense1'],
      ['dense2'],
      ['dense3'],
      ['dense0'],
    ]);
    opt.dispose();
  });
});

describe('the estimator on tensors matches the float64 reference', () => {
  it('projected gradient of a linear least-squares loss within float32 accuracy', () => {
    const lin = mlp({ sizes: [5, 3] }); // dense0 { W [5,3], b [3] }
    const p = lin.init(1);
    const rng = new Rng(7);
    const x = tf.tensor2d(
      rng.uniformArray(80, { low: -1, high: 1, dtype: 'float32' }) as Float32Array,
      [16, 5],
    );
    const yT = tf.tensor2d(
      rng.uniformArray(48, { low: -1, high: 1, dtype: 'float32' }) as Float32Array,
      [16, 3],
    );
    const X = x.dataSync();
    const Y = yT.dataSync();
    const loss = (blocks: readonly Float64Array[]) => {
      const [W, b] = blocks;
      let s = 0;
      for (let i = 0; i < 16; i++)
        for (let c = 0; c < 3; c++) {
          let o = b[c];
          for (let j = 0; j < 5; j++) o += X[i * 5 + j] * W[j * 3 + c];
          s += (o - Y[i * 3 + c]) ** 2;
        }
      return s / 48;
    };
    const opt = new MeZO(p, { learningRate: 0, eps: 1e-2 });
    const theta = [Float64Array.from(p.dense0.W.dataSync()), Float64Array.from(p.dense0.b.dataSync())];
    const r = opt.stepOn(objective(lin, meanSquaredError, x, yT));
    const z = noiseBlocks(r.directions[0].seed, [15, 3]).map((b) => b.map((v) => Math.fround(v)));
    const ref = spsaReference(loss, theta, z, 1e-2);
    expect(Math.abs(r.projectedGrad - ref.projectedGrad)).toBeLessThan(
      1e-3 * Math.max(1, Math.abs(ref.projectedGrad)),
    );
    opt.dispose();
    disposeTree(p);
    tf.dispose([x, yT]);
  });
});

describe('n-SPSA', () => {
  it('draws n directions per step with distinct seeds and averages them', () => {
    const opt = new LeZO(params0, { learningRate: 0.01, directions: 3, keep: 1 });
    const b = batchOf(data, 0, 32);
    const r = opt.stepOn(f(b));
    tf.dispose([b.x, b.y]);
    expect(r.directions).toHaveLength(3);
    expect(new Set(r.directions.map((d) => d.seed)).size).toBe(3);
    expect(r.projectedGrad).toBeCloseTo(r.directions.reduce((s, d) => s + d.projectedGrad, 0) / 3, 12);
    const groupSize: Record<string, number> = { dense0: 84, dense1: 156, dense2: 156, dense3: 39 };
    expect(r.activeParams).toBe(
      r.directions.reduce((s, d) => s + d.groups.reduce((a, g) => a + groupSize[g], 0), 0),
    );
    expect(opt.name).toMatch(/3-SPSA/);
    opt.dispose();
  });
});

describe('tensors and errors', () => {
  it('does not leak over steps, and leaves the parameters restored when f throws or diverges', () => {
    const opt = new LeZO(params0, { learningRate: 0.01, drop: 1 });
    run(opt, 2);
    const n0 = tf.memory().numTensors;
    run(opt, 10);
    expect(tf.memory().numTensors).toBe(n0);
    const before = treeValues(opt.params);
    let calls = 0;
    const throwing = (p: ParamTree) => {
      calls++;
      if (calls === 2) throw new Error('boom');
      return tf.sum(p.dense0.W);
    };
    expect(() => opt.stepOn(throwing)).toThrow('boom');
    expect(opt.step).toBe(12);
    expect(tf.memory().numTensors).toBe(n0);
    const after = treeValues(opt.params);
    for (const k of Object.keys(before)) {
      for (let i = 0; i < before[k].length; i++) {
        expect(Math.abs(after[k][i] - before[k][i])).toBeLessThanOrEqual(
          2 * ulp32(Math.abs(before[k][i]) + 0.01),
        );
      }
    }
    const nan = () => tf.scalar(Number.NaN);
    let err: unknown;
    try {
      opt.stepOn(nan);
    } catch (e) {
      err = e;
    }
    expect(isDescentError(err) && (err as { argument?: string }).argument).toBe('f');
    expect(String(err)).toMatch(/f must return a finite loss, got NaN at step 12/);
    expect(() => opt.stepOn((p) => tf.add(p.dense0.W, 0))).toThrow(
      /f must return a scalar tensor, got shape \[6,12\]/,
    );
    expect(() => opt.stepOn(3 as never)).toThrow(/f must be a function/);
    expect(tf.memory().numTensors).toBe(n0);
    expect(opt.step).toBe(12);
    opt.dispose();
    expect(() => opt.params).toThrow(/disposed/);
  });

  it('rejects bad options with typed errors naming the option', () => {
    const bad = (o: unknown) => () => new LeZO(params0, o as never);
    expect(bad({})).toThrow(/learningRate is required/);
    expect(bad({ lr: 0.1 })).toThrow(/lr was renamed to learningRate/);
    expect(bad({ learningRate: -1 })).toThrow(/learningRate/);
    expect(bad({ learningRate: 0.1, eps: 0 })).toThrow(/eps must be > 0, got 0/);
    expect(bad({ learningRate: 0.1, directions: 0 })).toThrow(/directions/);
    expect(bad({ learningRate: 0.1, drop: 5 })).toThrow(/drop must be <= the number of blocks 4, got 5/);
    expect(bad({ learningRate: 0.1, weightDecay: -1 })).toThrow(/weightDecay/);
    expect(bad({ learningRate: 0.1, decayFilter: () => 1 })).toThrow(/decayFilter must return a boolean/);
    expect(bad({ learningRate: 0.1, dropp: 1 })).toThrow(/did you mean drop/);
    expect(() => new MeZO(params0, { learningRate: 0.1, drop: 1 } as never)).toThrow(/drop is a LeZO option/);
    expect(() => new MeZO({ a: 1 } as never, { learningRate: 0.1 })).toThrow(/params.a must be a group/);
    const ints = { g: { w: tf.tensor1d([1, 2], 'int32') } };
    expect(() => new MeZO(ints, { learningRate: 0.1 })).toThrow(
      /params.g.w must be a float32 tensor, got int32/,
    );
    tf.dispose(ints.g.w);
    const opt = new LeZO(params0, { learningRate: 0.1 });
    expect(() => opt.activeGroupsAt(0, 1)).toThrow(/direction/);
    opt.dispose();
  });

  it('evaluates a learning-rate schedule and rejects a non-finite value', () => {
    const opt = new MeZO(params0, { learningRate: (t) => (t < 1 ? 0.01 : Number.NaN) });
    const b = batchOf(data, 0, 32);
    expect(opt.stepOn(f(b)).learningRate).toBe(0.01);
    expect(() => opt.stepOn(f(b))).toThrow(/learningRate must evaluate to a finite number/);
    tf.dispose([b.x, b.y]);
    opt.dispose();
  });
});

describe('convergence smoke test', () => {
  it('MeZO and LeZO lower the training loss of a small MLP by 30% in 300 steps (3 seeds)', () => {
    const full = f(data);
    const lossAt = (p: ParamTree) => tf.tidy(() => full(p).dataSync()[0]);
    const l0 = lossAt(params0);
    for (const seed of [0, 1, 2]) {
      for (const make of [
        () => new MeZO(params0, { learningRate: 0.01, seed }),
        () => new LeZO(params0, { learningRate: 0.02, keep: 2, seed }),
      ]) {
        const opt = make();
        run(opt, 300);
        // measured: final/initial 0.41–0.59 for both (lr tuned per method, LeZO's k/N = 1/2 doubles it)
        expect(lossAt(opt.params)).toBeLessThan(0.7 * l0);
        opt.dispose();
      }
    }
  });
});
