/**
 * Replay from the step log (the notes' §5.2 test 10): bit for bit with tensors, with typed arrays
 * and on another tfjs backend.
 */
import {
  type Dataset,
  type ParamTree,
  disposeTree,
  mlp,
  objective,
  softmaxCrossEntropyLoss,
  treeLeaves,
} from '@descent/nn';
import { ready, tf } from '@descent/tensor/tf';
import { checkDamagedBlobs } from '@descent/testkit';
import { replayArrays } from './reference';
import { replay } from './replay';
import { batchOf, sameBits, teacherData, treeValues } from './testing/fixtures';
import { type ZoLog, readZoLog } from './zoLog';
import { LeZO, MeZO, type ZoSgd } from './zoSgd';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [5, 10, 10, 3] });
let data: Dataset;
let params0: ParamTree;
beforeAll(() => {
  data = teacherData(128, 5, 2);
  params0 = model.init(8);
});
afterAll(() => {
  tf.dispose([data.x, data.y]);
  disposeTree(params0);
});

function run(opt: ZoSgd, steps: number): void {
  for (let t = 0; t < steps; t++) {
    const b = batchOf(data, (t * 16) % 112, 16);
    opt.stepOn(objective(model, softmaxCrossEntropyLoss, b.x, b.y));
    tf.dispose([b.x, b.y]);
  }
}

const variants: Array<[string, () => ZoSgd]> = [
  ['MeZO', () => new MeZO(params0, { learningRate: 0.02, log: true, seed: 1 })],
  [
    'LeZO with weight decay and 2-SPSA',
    () =>
      new LeZO(params0, { learningRate: 0.02, weightDecay: 0.1, directions: 2, keep: 1, log: true, seed: 2 }),
  ],
  [
    'cyclic block ZO',
    () => new LeZO(params0, { learningRate: 0.02, keep: 1, selection: 'cyclic', log: true }),
  ],
];

describe('replay(initialParams, log)', () => {
  it.each(variants)(
    '%s: rebuilds the weights bit for bit, from the log object and from its JSON text',
    (_, make) => {
      const opt = make();
      run(opt, 30);
      const n0 = tf.memory().numTensors;
      const a = replay(params0, opt.log as ZoLog);
      const b = replay(params0, JSON.stringify(opt.log));
      expect(sameBits(treeValues(a), treeValues(opt.params))).toBe(true);
      expect(sameBits(treeValues(b), treeValues(opt.params))).toBe(true);
      disposeTree(a);
      disposeTree(b);
      expect(tf.memory().numTensors).toBe(n0);
      opt.dispose();
    },
  );

  it('a typed-array replay without tfjs gives the same bits (float32 mirror of the tensor arithmetic)', () => {
    for (const [, make] of variants) {
      const opt = make();
      run(opt, 20);
      const initial: Record<string, Record<string, Float32Array>> = {};
      for (const l of treeLeaves(params0)) {
        initial[l.path.group] = initial[l.path.group] ?? {};
        initial[l.path.group][l.path.name] = l.tensor.dataSync() as Float32Array;
      }
      const out = replayArrays(initial, opt.log as ZoLog);
      const got: Record<string, Float32Array> = {};
      for (const g of Object.keys(out)) for (const k of Object.keys(out[g])) got[`${g}.${k}`] = out[g][k];
      expect(sameBits(got, treeValues(opt.params))).toBe(true);
      opt.dispose();
    }
  });

  it('replays bit for bit on the cpu backend a run made on wasm (noise regeneration is backend independent)', async () => {
    const opt = variants[1][1]();
    run(opt, 15);
    const want = treeValues(opt.params);
    const log = JSON.stringify(opt.log);
    const p0 = treeValues(params0);
    opt.dispose();
    const backend = tf.getBackend();
    expect(backend).toBe('wasm');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // tfjs's "install tfjs-node" hint
    await tf.setBackend('cpu');
    try {
      const init: ParamTree = {};
      for (const key of Object.keys(p0)) {
        const [g, k] = key.split('.');
        init[g] = init[g] ?? {};
        init[g][k] = tf.tensor(p0[key], params0[g][k].shape);
      }
      const out = replay(init, log);
      expect(sameBits(treeValues(out), want)).toBe(true);
      disposeTree(out);
      disposeTree(init);
    } finally {
      await tf.setBackend(backend);
      warn.mockRestore();
    }
  });

  it('continues from a snapshot with the rest of the log', () => {
    const opt = variants[0][1]();
    run(opt, 10);
    const mid = opt.snapshot();
    const cut = opt.log?.steps.length ?? 0;
    run(opt, 10);
    const rest = { ...(opt.log as ZoLog), steps: (opt.log as ZoLog).steps.slice(cut) };
    const out = replay(mid, rest);
    expect(sameBits(treeValues(out), treeValues(opt.params))).toBe(true);
    disposeTree(out);
    disposeTree(mid);
    opt.dispose();
  });

  it("rejects a tree that is not the log's and damaged logs, with typed errors naming the field", () => {
    const opt = new LeZO(params0, { learningRate: 0.01, keep: 1, log: true, directions: 2 });
    run(opt, 2);
    const log = JSON.parse(JSON.stringify(opt.log)) as ZoLog;
    const other = mlp({ sizes: [5, 10, 3] }).init(0);
    expect(() => replay(other, log)).toThrow(/initialParams must have the 6 tensors of the log, got 4/);
    disposeTree(other);
    expect(() => replay({ x: 1 } as never, log)).toThrow(/initialParams/);
    const bad = { ...log, steps: [log.steps[1], log.steps[0]] };
    expect(() => replay(params0, bad)).toThrow(/steps\[1\]\.step must be an integer >= 2, got 0/);
    const report = checkDamagedBlobs({ blob: log, fromJSON: readZoLog });
    expect(report.typedErrors).toBeGreaterThan(50);
    opt.dispose();
  });
});
