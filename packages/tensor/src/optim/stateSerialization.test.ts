import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { openBlob } from '../serialization';
import {
  type GradientTransformation,
  adam,
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  rmsprop,
  sgd,
} from './index';

// Transformation states are plain JSON (optax keeps no class): saving one is JSON.stringify, and
// `update` validates every field it reads. These properties hold for every optimizer here.
const makers: Record<string, () => GradientTransformation<unknown[]>> = {
  adam: () => adam({ learningRate: 0.05 }),
  adamw: () => adamw({ learningRate: 0.05, weightDecay: 0.01 }),
  sgdMomentum: () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
  rmsprop: () => rmsprop({ learningRate: 0.01, momentum: 0.5 }),
  clippedAdam: () => chain(clipByGlobalNorm(1), adam({ learningRate: 0.1 })),
};

const grad = (x: Float64Array) => x.map((v, i) => (i + 1) * v + Math.sin(v));

/** A tiny run wrapped as a serialisable object, so the testkit properties apply. */
class Run {
  constructor(
    readonly name: string,
    public x: Float64Array,
    public state: unknown,
  ) {}
  step(): Float64Array {
    const r = makers[this.name]().update(grad(this.x), this.state as unknown[], this.x);
    this.x = applyUpdates(this.x, r.updates);
    this.state = r.state;
    return r.updates;
  }
  toJSON() {
    return { type: 'OptimizerRun', version: 1, name: this.name, x: Array.from(this.x), state: this.state };
  }
  static fromJSON(json: unknown): Run {
    const r = openBlob(json, { type: 'OptimizerRun', version: 1 });
    const name = r.oneOf('name', Object.keys(makers));
    const run = new Run(name, r.vector('x'), r.at('state').asRaw());
    // validation happens where the state is used: one update on a throwaway copy
    makers[name]().update(grad(run.x), run.state as unknown[], run.x);
    return run;
  }
}

describe.each(Object.keys(makers))('%s state', (name) => {
  const start = (dim: number, steps: number) => {
    const x = Float64Array.from({ length: dim }, (_, i) => 1 - 0.3 * i);
    const run = new Run(name, x, makers[name]().init(x));
    for (let k = 0; k < steps; k++) run.step();
    return run;
  };

  it('round trip through JSON continues bit for bit', () => {
    checkRoundTrip({
      arbitrary: fc.record({ dim: fc.integer({ min: 1, max: 5 }), steps: fc.nat(8) }),
      make: ({ dim, steps }) => start(dim, steps),
      fromJSON: Run.fromJSON,
      advance: (run) => [run.step(), run.step(), run.step()],
      numRuns: 15,
    });
  });

  it('a damaged state is a typed error naming the entry, or gives finite updates', () => {
    const report = checkDamagedBlobs({
      blob: start(3, 4).toJSON(),
      fromJSON: Run.fromJSON,
      probe: (run) => run.step(),
    });
    expect(report.typedErrors).toBeGreaterThan(0);
  });
});
