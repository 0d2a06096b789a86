/**
 * Late adversarial training on MNIST digits (Zhou et al.'s ERM_to_Adv.py protocol): clean SGD,
 * PGD adversarial training for the last K epochs, and for the whole run; clean and PGD accuracy.
 * @module
 */
import {
  type PgdOptions,
  batchesPerEpoch,
  disposeDataset,
  disposeState,
  disposeTree,
  evaluate,
  mlp,
  pgdAttack,
  sgd,
  softmaxCrossEntropyLoss,
} from '@descent/nn';
import { switchSchedule, trainRun } from '../src/index';
import { learningRateSchedule } from './lateSam';
import { mnistSplit } from './mnistDigits';

/** The setting of one profile. */
export interface LateAdvPlan {
  train: number;
  test: number;
  epochs: number;
  batchSize: number;
  hidden: number;
  learningRate: number;
  lrDrops: number[];
  epsilon: number;
  trainSteps: number;
  evalSteps: number;
  lateEpochs: number[];
}

/** What one arm measured. */
export interface AdvResult {
  arm: string;
  advFraction: number;
  clean: number;
  robust: number;
  gradEvals: number;
  seconds: number;
}

export function runAdversarialArms(
  plan: LateAdvPlan,
  seed: number,
  progress: (fraction: number, message: string) => void,
): AdvResult[] {
  const { train, test } = mnistSplit({ train: plan.train, test: plan.test, seed });
  const model = mlp({ sizes: [196, plan.hidden, 10] });
  const loss = softmaxCrossEntropyLoss;
  const perEpoch = batchesPerEpoch(plan.train, plan.batchSize);
  const total = plan.epochs * perEpoch;
  const lr = learningRateSchedule(plan.learningRate, plan.lrDrops, 0.1, total);
  const attack: Omit<PgdOptions, 'seed'> = { epsilon: plan.epsilon, steps: plan.trainSteps, clip: [0, 1] };
  const arms: Array<{ name: string; fraction: number; K: number | null }> = [
    { name: 'clean SGD', fraction: 0, K: null },
    ...plan.lateEpochs.map((K) => ({ name: `AT last ${K}`, fraction: K / plan.epochs, K })),
    { name: 'AT full', fraction: 1, K: plan.epochs },
  ];
  const out: AdvResult[] = [];
  try {
    arms.forEach((arm, i) => {
      progress(i / arms.length, arm.name);
      const t0 = performance.now();
      const adversarial =
        arm.K === null
          ? undefined
          : {
              attack,
              schedule: switchSchedule({
                epochs: plan.epochs,
                stepsPerEpoch: perEpoch,
                at: { lastEpochs: arm.K },
                momentumAtSwitch: 'reset',
              }),
            };
      const r = trainRun({ model, loss, optimizer: sgd({ learningRate: lr, momentum: 0.9 }) }, train, {
        epochs: plan.epochs,
        batchSize: plan.batchSize,
        seed,
        adversarial,
      });
      const seconds = (performance.now() - t0) / 1000;
      const clean = evaluate(model, r.params, test.x, test.y).accuracy;
      // evaluation attack: PGD-L∞ without random start (Zhou et al.'s evaluation)
      const adv = pgdAttack(model, loss, r.params, test.x, test.y, {
        epsilon: plan.epsilon,
        steps: plan.evalSteps,
        randomStart: false,
        clip: [0, 1],
      });
      const robust = evaluate(model, r.params, adv.x, test.y).accuracy;
      adv.x.dispose();
      out.push({
        arm: arm.name,
        advFraction: arm.fraction,
        clean,
        robust,
        gradEvals: r.evaluations,
        seconds,
      });
      disposeTree(r.params);
      disposeState(r.optState);
    });
  } finally {
    disposeDataset(train);
    disposeDataset(test);
  }
  return out;
}
