/**
 * Checkpoints of the optimizers: round trips that continue bit for bit, and damaged blobs met by
 * typed errors naming the field (`@descent/testkit`).
 */
import {
  type Dataset,
  type ParamTree,
  adam,
  disposeTree,
  mlp,
  objective,
  sgd,
  softmaxCrossEntropyLoss,
} from '@descent/nn';
import { ready, tf } from '@descent/tensor/tf';
import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { FirstOrder } from './firstOrder';
import { batchOf, teacherData, treeValues } from './testing/fixtures';
import { LeZO, MeZO, ZoSgd } from './zoSgd';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [4, 6, 6, 3] });
let data: Dataset;
let params0: ParamTree;
beforeAll(() => {
  data = teacherData(64, 4, 3);
  params0 = model.init(1);
});
afterAll(() => {
  tf.dispose([data.x, data.y]);
  disposeTree(params0);
});

function steps(
  opt: { stepOn: ZoSgd['stepOn'] | FirstOrder['stepOn'] },
  count: number,
  offset: number,
): number[] {
  const out: number[] = [];
  for (let t = 0; t < count; t++) {
    const b = batchOf(data, ((offset + t) * 8) % 56, 8);
    const r = opt.stepOn(objective(model, softmaxCrossEntropyLoss, b.x, b.y));
    out.push(r.loss, 'projectedGrad' in r ? (r.projectedGrad as number) : 0);
    tf.dispose([b.x, b.y]);
  }
  return out;
}

const flatValues = (p: ParamTree) => Object.values(treeValues(p)).flatMap((a) => Array.from(a));

describe('ZoSgd checkpoints', () => {
  it('round-trip through JSON text and continue bit for bit (MeZO, LeZO, cyclic, n-SPSA, with and without log)', () => {
    checkRoundTrip({
      arbitrary: fc.record({
        variant: fc.constantFrom('MeZO', 'LeZO', 'cyclic'),
        keep: fc.integer({ min: 1, max: 3 }),
        directions: fc.integer({ min: 1, max: 2 }),
        steps: fc.nat(3),
        seed: fc.oneof(fc.nat(1000), fc.string({ maxLength: 4 })),
        log: fc.boolean(),
      }),
      make: (a) => {
        const common = {
          learningRate: 0.01,
          directions: a.directions,
          seed: a.seed,
          log: a.log,
          weightDecay: 0.01,
        };
        const opt =
          a.variant === 'MeZO'
            ? new MeZO(params0, common)
            : new LeZO(params0, {
                ...common,
                keep: a.keep,
                selection: a.variant === 'cyclic' ? 'cyclic' : 'uniform',
              });
        steps(opt, a.steps, 0);
        return opt;
      },
      fromJSON: (json) => ZoSgd.fromJSON(json),
      advance: (opt) => {
        const seen = steps(opt, 2, 5);
        return { seen, params: flatValues(opt.params), name: opt.name, variant: opt.variant };
      },
      numRuns: 12,
    });
  });

  it('meets damaged blobs with typed errors naming the field', () => {
    const opt = new LeZO(params0, { learningRate: 0.01, keep: 2, log: true, directions: 2 });
    steps(opt, 2, 0);
    const before = tf.memory().numTensors;
    const report = checkDamagedBlobs({
      blob: opt.toJSON(),
      fromJSON: (j) => {
        const o = ZoSgd.fromJSON(j);
        try {
          return flatValues(o.params);
        } finally {
          o.dispose();
        }
      },
    });
    expect(report.typedErrors).toBeGreaterThan(100);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
  });

  it('asks for a schedule function again', () => {
    const opt = new MeZO(params0, { learningRate: (t) => 0.01 / (1 + t) });
    const json = opt.toJSON();
    expect(json.learningRate).toBeNull();
    expect(() => ZoSgd.fromJSON(json)).toThrow(/pass it as extra.learningRate/);
    const back = ZoSgd.fromJSON(json, { learningRate: (t) => 0.01 / (1 + t) });
    expect(back).toBeInstanceOf(MeZO);
    back.dispose();
    opt.dispose();
  });
});

describe('FirstOrder checkpoints', () => {
  it('round-trip and continue bit for bit (SGD with momentum, Adam)', () => {
    const makeOpt = (kind: string) =>
      kind === 'adam' ? adam({ learningRate: 1e-2 }) : sgd({ learningRate: 0.05, momentum: 0.9 });
    checkRoundTrip({
      arbitrary: fc.record({ kind: fc.constantFrom('adam', 'sgd'), steps: fc.nat(3) }),
      make: (a) => {
        const fo = new FirstOrder(params0, { optimizer: makeOpt(a.kind), name: a.kind });
        steps(fo, a.steps, 0);
        return fo;
      },
      fromJSON: (json) => FirstOrder.fromJSON(json, makeOpt((json as { name: string }).name)),
      advance: (fo) => ({ seen: steps(fo, 2, 3), params: flatValues(fo.params) }),
      numRuns: 8,
    });
  });

  it('meets damaged blobs with typed errors naming the field', () => {
    const fo = new FirstOrder(params0, { optimizer: adam({ learningRate: 1e-2 }) });
    steps(fo, 1, 0);
    const report = checkDamagedBlobs({
      blob: fo.toJSON(),
      fromJSON: (j) => {
        const o = FirstOrder.fromJSON(j, adam({ learningRate: 1e-2 }));
        try {
          return flatValues(o.params);
        } finally {
          o.dispose();
        }
      },
    });
    expect(report.typedErrors).toBeGreaterThan(50);
    fo.dispose();
  });
});
