import * as core from '@descent/tensor';
import { DescentError, Rng, ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { disposeState, stateFromJSON, stateToJSON } from '../serialize';
import { type ParamTree, disposeTree, flattenTree, unflattenTree } from '../tree';
import { adam, adamw, scaleByAdam } from './adam';
import { clipByGlobalNorm } from './clip';
import { addDecayedWeights, kernelsOnly, scaleByLearningRate } from './scale';
import { sgd, trace } from './sgd';
import { type TreeTransformation, applyUpdates, chain, identity } from './transformation';

beforeAll(async () => {
  await ready();
});

const shapes = { dense0: { W: [3, 4], b: [4] }, dense1: { W: [4, 2], b: [2] } };
const D = 3 * 4 + 4 + 4 * 2 + 2;

/** Runs a tree optimizer and the float64 core optimizer on the same gradient sequence. */
function runBoth(
  tree: TreeTransformation,
  flat: core.GradientTransformation,
  steps: number,
  seed: number,
  gradFn?: (p: Float64Array, t: number) => Float64Array,
) {
  const rng = new Rng(seed);
  let x = rng.fold('x0').normalArray(D);
  let params = unflattenTree(x, shapes);
  let s = tree.init(params);
  let fs = flat.init(x);
  const before = tf.memory().numTensors;
  let maxRel = 0;
  for (let t = 0; t < steps; t++) {
    const g = gradFn ? gradFn(x, t) : rng.fold('g', t).normalArray(D);
    const grads = unflattenTree(g, shapes);
    const r = tree.update(grads, s, params);
    const next = applyUpdates(params, r.updates);
    disposeTree(grads);
    disposeTree(r.updates);
    disposeTree(params);
    disposeState(s);
    params = next;
    s = r.state;
    const fr = flat.update(g, fs, x);
    x = core.applyUpdates(x, fr.updates);
    fs = fr.state;
    const got = flattenTree(params);
    let num = 0;
    let den = 0;
    for (let i = 0; i < D; i++) {
      num += (got[i] - x[i]) ** 2;
      den += x[i] ** 2;
    }
    maxRel = Math.max(maxRel, Math.sqrt(num / den));
  }
  expect(tf.memory().numTensors).toBe(before);
  disposeTree(params);
  disposeState(s);
  return maxRel;
}

describe('tree optimizers follow the float64 optimizers of @descent/tensor step for step', () => {
  const lrDecay = core.exponentialDecay({ initValue: 0.05, transitionSteps: 10, decayRate: 0.5 });
  it.each([
    ['sgd', () => sgd({ learningRate: 0.1 }), () => core.sgd({ learningRate: 0.1 })],
    [
      'momentum',
      () => sgd({ learningRate: 0.05, momentum: 0.9 }),
      () => core.sgd({ learningRate: 0.05, momentum: 0.9 }),
    ],
    [
      'nesterov',
      () => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
      () => core.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    ],
    ['sgd with a schedule', () => sgd({ learningRate: lrDecay }), () => core.sgd({ learningRate: lrDecay })],
    ['adam', () => adam({ learningRate: 1e-2 }), () => core.adam({ learningRate: 1e-2 })],
    [
      'adam b1=0.5 b2=0.9 eps=1e-3',
      () => adam({ learningRate: 1e-2, b1: 0.5, b2: 0.9, eps: 1e-3 }),
      () => core.adam({ learningRate: 1e-2, b1: 0.5, b2: 0.9, eps: 1e-3 }),
    ],
    [
      'adamw',
      () => adamw({ learningRate: 1e-2, weightDecay: 0.1 }),
      () => core.adamw({ learningRate: 1e-2, weightDecay: 0.1 }),
    ],
    [
      'clip → adam',
      () => chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-2)),
      () => core.chain(core.clipByGlobalNorm(1), core.scaleByAdam(), core.scaleByLearningRate(1e-2)),
    ],
    [
      'trace',
      () => chain(trace({ decay: 0.5 }), scaleByLearningRate(0.1)),
      () => core.chain(core.trace({ decay: 0.5 }), core.scaleByLearningRate(0.1)),
    ],
    ['identity', () => identity(), () => core.identity()],
  ] as Array<[string, () => TreeTransformation, () => core.GradientTransformation]>)(
    '%s',
    (_name, makeTree, makeFlat) => {
      for (const seed of [1, 2]) expect(runBoth(makeTree(), makeFlat(), 30, seed)).toBeLessThan(2e-6);
    },
  );

  it('clipping rescales to the global norm (checked against the core on large gradients)', () => {
    const big = (_x: Float64Array, t: number) => new Rng(7).fold('big', t).normalArray(D, 0, 10);
    expect(
      runBoth(
        chain(clipByGlobalNorm(0.5), scaleByLearningRate(0.1)),
        core.chain(core.clipByGlobalNorm(0.5), core.scaleByLearningRate(0.1)),
        10,
        3,
        big,
      ),
    ).toBeLessThan(2e-6);
  });
});

describe('decoupled weight decay with a filter', () => {
  it('kernelsOnly decays the matrices and leaves the biases alone', () => {
    const params = unflattenTree(new Float64Array(D).fill(1), shapes);
    const zeros = unflattenTree(new Float64Array(D), shapes);
    const opt = chain(addDecayedWeights(0.5, { filter: kernelsOnly }), scaleByLearningRate(0.1));
    const s = opt.init(params);
    const r = opt.update(zeros, s, params);
    expect(Array.from(r.updates.dense0.W.dataSync()).every((u) => Math.abs(u + 0.05) < 1e-7)).toBe(true);
    expect(Array.from(r.updates.dense0.b.dataSync()).every((u) => u === 0)).toBe(true);
    // a filter by group
    const byGroup = addDecayedWeights(1, { filter: (p) => p.group === 'dense1' });
    const r2 = byGroup.update(zeros, byGroup.init(params), params);
    expect(r2.updates.dense0.W.dataSync()[0]).toBe(0);
    expect(r2.updates.dense1.b.dataSync()[0]).toBe(1);
    for (const t of [params, zeros, r.updates, r2.updates]) disposeTree(t);
    disposeState([s, r.state]);
  });

  it('needs params', () => {
    const zeros = unflattenTree(new Float64Array(D), shapes);
    const opt = addDecayedWeights(0.1);
    expect(() => opt.update(zeros, opt.init(zeros))).toThrow(/params is required/);
    disposeTree(zeros);
  });
});

describe('optimizer state serialisation', () => {
  function snapshot(p: ParamTree): number[] {
    return Array.from(flattenTree(p));
  }

  it('resumes bit for bit after toJSON → JSON.stringify → parse → fromJSON', () => {
    const rng = new Rng('resume');
    const opt = chain(
      clipByGlobalNorm(1),
      adamw({ learningRate: 1e-2, weightDecay: 0.1, weightDecayFilter: kernelsOnly }),
    );
    const grads = Array.from({ length: 20 }, (_, t) =>
      unflattenTree(rng.fold('g', t).normalArray(D), shapes),
    );
    const run = (params: ParamTree, state: unknown[], from: number, to: number) => {
      for (let t = from; t < to; t++) {
        const r = opt.update(grads[t], state, params);
        const next = applyUpdates(params, r.updates);
        disposeTree(r.updates);
        disposeTree(params);
        disposeState(state);
        params = next;
        state = r.state;
      }
      return { params, state };
    };
    const p0 = unflattenTree(rng.fold('x').normalArray(D), shapes);
    const a = run(p0, opt.init(p0), 0, 20);
    const p1 = unflattenTree(rng.fold('x').normalArray(D), shapes);
    const half = run(p1, opt.init(p1), 0, 10);
    const blob = JSON.parse(JSON.stringify(stateToJSON(half.state)));
    const template = opt.init(half.params);
    const restored = stateFromJSON(blob, template) as unknown[];
    disposeState(template);
    disposeState(half.state);
    const b = run(half.params, restored, 10, 20);
    expect(snapshot(b.params)).toEqual(snapshot(a.params));
    for (const g of grads) disposeTree(g);
    disposeTree(a.params);
    disposeTree(b.params);
    disposeState([a.state, b.state]);
  });

  it('rejects damaged blobs with typed errors naming the field, without leaking', () => {
    const params = unflattenTree(new Float64Array(D).fill(0.5), shapes);
    const opt = adam({ learningRate: 1e-3 });
    const state = opt.init(params);
    const good = JSON.parse(JSON.stringify(stateToJSON(state)));
    const template = opt.init(params);
    const before = tf.memory().numTensors;
    // biome-ignore lint/suspicious/noExplicitAny: damaging a parsed JSON blob on purpose
    const damage: Array<[string, (b: any) => void, RegExp]> = [
      [
        'count not an integer',
        (b) => {
          b[0].count = 1.5;
        },
        /state\[0\]\.count/,
      ],
      [
        'count negative',
        (b) => {
          b[0].count = -1;
        },
        /non-negative integer/,
      ],
      [
        'count a string',
        (b) => {
          b[0].count = '3';
        },
        /state\[0\]\.count/,
      ],
      [
        'missing nu',
        (b) => {
          delete b[0].nu;
        },
        /state\[0\]\.nu is missing/,
      ],
      [
        'extra field',
        (b) => {
          b[0].extra = 1;
        },
        /unexpected field/,
      ],
      [
        'wrong shape',
        (b) => {
          b[0].mu.$tree.dense0.W.shape = [4, 3];
        },
        /shape\[0\] must be 3 \(shape \[3,4\]\)/,
      ],
      [
        'truncated data',
        (b) => {
          b[0].mu.$tree.dense0.W.data = b[0].mu.$tree.dense0.W.data.slice(0, 8);
        },
        /float32 values/,
      ],
      [
        'not base64',
        (b) => {
          b[0].mu.$tree.dense0.b.data = '!!!!';
        },
        /base64/,
      ],
      [
        'missing group',
        (b) => {
          delete b[0].mu.$tree.dense1;
        },
        /missing group "dense1"/,
      ],
      [
        'wrong length',
        (b) => {
          b.pop();
        },
        /length 2/,
      ],
      [
        'null',
        (b) => {
          b[0] = null;
        },
        /state\[0\] must be a record/,
      ],
    ];
    for (const [_what, hurt, msg] of damage) {
      const blob = JSON.parse(JSON.stringify(good));
      hurt(blob);
      expect(() => stateFromJSON(blob, template)).toThrow(DescentError);
      expect(() => stateFromJSON(blob, template)).toThrow(msg);
    }
    // a NaN inside the float32 bytes
    const nanBlob = JSON.parse(JSON.stringify(good));
    const bytes = new Float32Array(12).fill(Number.NaN);
    let bin = '';
    for (const b of new Uint8Array(bytes.buffer)) bin += String.fromCharCode(b);
    nanBlob[0].mu.$tree.dense0.W.data = btoa(bin);
    expect(() => stateFromJSON(nanBlob, template)).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(params);
    disposeState([state, template]);
  });
});

describe('bad input', () => {
  it('gets typed errors naming the argument', () => {
    expect(() => chain(sgd({ learningRate: 1 }), 3 as never)).toThrow(
      /transforms\[1\] \(chain argument 1\) must be a TreeTransformation \{ init, update \}/,
    );
    expect(() => chain(sgd({ learningRate: 1 })).update({}, {} as never)).toThrow(/state must be an array of 1 inner states/);
    expect(() => sgd({} as never)).toThrow(/learningRate is required/);
    expect(() => sgd({ learningRate: -1 })).toThrow(ValueError);
    expect(() => sgd({ learningRate: 0.1, momentum: 1 })).toThrow(/momentum/);
    expect(() => sgd({ learningRate: 0.1, nesterov: true })).toThrow(/nesterov/);
    expect(() => adam({ learningRate: 0.1, b1: 1.5 })).toThrow(/b1/);
    expect(() => clipByGlobalNorm(0)).toThrow(/maxNorm/);
    expect(() => chain({} as never)).toThrow(/transforms\[0\]/);
    expect(() => addDecayedWeights(0.1, { filter: 3 as never })).toThrow(/filter/);
    const params = unflattenTree(new Float64Array(D), shapes);
    const opt = adam({ learningRate: 0.1 });
    const s = opt.init(params);
    const wrong = unflattenTree(new Float64Array(4 * 3 + 4 + 8 + 2), {
      dense0: { W: [4, 3], b: [4] },
      dense1: { W: [4, 2], b: [2] },
    });
    expect(() => opt.update(wrong, s, params)).toThrow(ShapeError);
    expect(() => opt.update(params, 'nope' as never, params)).toThrow(/state/);
    disposeTree(params);
    disposeTree(wrong);
    disposeState(s);
  });
});
