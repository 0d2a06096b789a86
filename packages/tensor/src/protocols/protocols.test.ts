import { adam } from '../optim';
import type {
  AskTellStrategy,
  GradientTransformation,
  RunResult,
  Serializable,
  StopReason,
  StreamingLearner,
} from './index';
import { STOP_REASONS, isStopReason } from './index';

/** A toy random search written against the protocol, as package classes are. */
class RandomSearch implements AskTellStrategy, Serializable {
  evaluations = 0;
  fBest = Number.POSITIVE_INFINITY;
  xBest: Float64Array | null = null;
  private k = 0;
  constructor(private readonly maxEvals: number) {}
  ask(): Float64Array[] {
    this.k++;
    return [Float64Array.of(Math.sin(this.k)), Float64Array.of(Math.cos(this.k))];
  }
  tell(xs: Float64Array[], values: ArrayLike<number>): void {
    xs.forEach((x, i) => {
      if (values[i] < this.fBest) [this.fBest, this.xBest] = [values[i], x];
    });
    this.evaluations += xs.length;
  }
  stop(): StopReason | null {
    return this.evaluations >= this.maxEvals ? 'maxEvals' : null;
  }
  toJSON() {
    return { type: 'RandomSearch', version: 1, k: this.k };
  }
}

class Perceptron implements StreamingLearner<ArrayLike<number>, 1 | -1, { mistake: boolean }> {
  private w = [0, 0];
  predictOne(x: ArrayLike<number>): 1 | -1 {
    return this.w[0] * x[0] + this.w[1] * x[1] >= 0 ? 1 : -1;
  }
  learnOne(x: ArrayLike<number>, y: 1 | -1) {
    const mistake = this.predictOne(x) !== y;
    if (mistake) this.w = [this.w[0] + y * x[0], this.w[1] + y * x[1]];
    return { mistake };
  }
}

describe('protocols', () => {
  it('an ask/tell strategy runs with the generic loop and reports a stop reason of the vocabulary', () => {
    const es: AskTellStrategy = new RandomSearch(10);
    while (!es.stop()) {
      const xs = es.ask();
      es.tell(
        xs,
        xs.map((x) => x[0] ** 2),
      );
    }
    const r: RunResult = {
      history: [{ step: 0 }],
      evaluations: es.evaluations,
      timeMs: 0,
      stopReason: es.stop() as StopReason,
    };
    expect(r.stopReason).toBe('maxEvals');
    expect(isStopReason(r.stopReason)).toBe(true);
    expect(isStopReason('maxIter')).toBe(false); // the step budget is 'maxSteps' everywhere
    expect(new Set(STOP_REASONS).size).toBe(STOP_REASONS.length);
  });

  it('a streaming learner predicts before it learns', () => {
    const p: StreamingLearner<ArrayLike<number>, 1 | -1, { mistake: boolean }> = new Perceptron();
    expect(p.learnOne([1, 0], -1).mistake).toBe(true);
    expect(p.predictOne([1, 0])).toBe(-1);
  });

  it('the float64 optimizers are GradientTransformations over Float64Array; P generalises the parameter type', () => {
    const opt: GradientTransformation<unknown[]> = adam({ learningRate: 0.1 });
    const s = opt.init(new Float64Array(2));
    expect(opt.update(Float64Array.of(1, -1), s).updates).toHaveLength(2);
    type Tree = Record<string, number[]>;
    const treeSgd: GradientTransformation<null, Tree> = {
      init: () => null,
      update: (g) => ({
        updates: Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v.map((t) => -0.1 * t)])),
        state: null,
      }),
    };
    expect(treeSgd.update({ w: [1] }, null).updates).toEqual({ w: [-0.1] });
  });
});
