/**
 * Accuracy, steps and time to a target, and memory of every method on a CPU-sized fine-tuning
 * task (the paper's Table 1 and Figure 1 at our scale): the block MLP is pre-trained in-process
 * with Adam on digits 0–4, then fine-tuned on digits 5–9 (`digitsTask.ts`) by FO-SGD, FO-Adam,
 * MeZO, LeZO (½ and ¾ of the blocks dropped) and cyclic block ZO, all on the same seeded
 * minibatches, over several seeds (`fineTuneArms.ts`).
 *
 * Time is process CPU time summed over the steps (evaluations excluded): the machine is shared.
 * "Speed-up to target" is MeZO's CPU time to the target accuracy over the method's (the paper's
 * run-time speed-up), split into the per-step factor and the steps factor.
 * @module
 */
import { adam, disposeTree, evaluate, softmaxCrossEntropyLoss, Trainer } from '@descent/nn';
import type { BenchContext, BenchRecord } from '@descent/tensor';
import { ready } from '@descent/tensor/tf';
import { DIGITS_FEATURES, digitsTransfer, disposeTask } from './digitsTask';
import { fineTuneArmsVerdict, runArms, standardArms } from './fineTuneArms';
import type { Rates } from './methods';
import { blockMlp } from './models';

/**
 * Learning rates, calibrated once on seed 0 (width 64, 1500 ZO / 300 FO steps) over the grids
 * FO-SGD {0.02, 0.05, 0.1}, FO-Adam {3e-4, 1e-3, 3e-3}, ZO {3e-5, 1e-4, 2e-4, 3e-4, 5e-4}: the
 * best final accuracy that did not diverge. The stable ZO rate grows as the active parameters
 * shrink (MeZO diverged at 3e-4, LeZO-¾ did not at 5e-4), as ZO step sizes scale like
 * 1/(active parameters).
 */
export const FINE_TUNE_RATES: Rates = {
  'FO-SGD': 0.05,
  'FO-Adam': 1e-3,
  MeZO: 1e-4,
  'LeZO-½': 2e-4,
  'LeZO-¾': 3e-4,
  'cyclic-ZO': 3e-4,
};

interface Plan {
  /** Also run LeZO-¾ at MeZO's learning rate (how much of the steps factor is the larger rate). */
  sameRateArm: boolean;
  width: number;
  pretrainEpochs: number;
  zoSteps: number;
  foSteps: number;
  evalEvery: number;
  target: number;
}

/** The protocol per profile (quick fits the bench budget; full is the README's). */
export function fineTunePlan(profile: 'quick' | 'full'): Plan {
  return profile === 'quick'
    ? {
        sameRateArm: false,
        width: 64,
        pretrainEpochs: 5,
        zoSteps: 1500,
        foSteps: 300,
        evalEvery: 50,
        target: 0.65,
      }
    : {
        sameRateArm: true,
        width: 64,
        pretrainEpochs: 5,
        zoSteps: 4000,
        foSteps: 600,
        evalEvery: 50,
        target: 0.75,
      };
}

/** Runs every method on one seed's split and pre-training. */
export async function runFineTune(ctx: BenchContext): Promise<BenchRecord[]> {
  await ready();
  const plan = fineTunePlan(ctx.profile);
  const task = digitsTransfer(ctx.seed);
  const { model, blocks, alwaysActive } = blockMlp(plan.width, DIGITS_FEATURES, 5);
  const p = { width: plan.width, target: plan.target };
  const trainer = new Trainer(
    { model, loss: softmaxCrossEntropyLoss, optimizer: adam({ learningRate: 1e-3 }) },
    { seed: ctx.rng.fold('init').nextUint32() },
  );
  trainer.fit(task.source, { batchSize: 32, epochs: plan.pretrainEpochs });
  const p0 = trainer.snapshot();
  trainer.dispose();
  try {
    const before = evaluate(model, p0, task.test.x, task.test.y, { loss: softmaxCrossEntropyLoss });
    const records: BenchRecord[] = [
      { method: 'pre-trained', metric: 'final accuracy', value: before.accuracy, params: p },
    ];
    const arms = standardArms(FINE_TUNE_RATES, plan.sameRateArm);
    const setup = { model, p0, train: task.train, test: task.test, blocks, alwaysActive, batchSize: 16 };
    records.push(...(await runArms(ctx, { ...setup, ...plan, params: p }, arms)));
    ctx.progress(1);
    return records;
  } finally {
    disposeTree(p0);
    disposeTask(task);
  }
}

/**
 * The verdict: does LeZO keep MeZO's accuracy (median final accuracy within 2 points) and reach
 * the target in less CPU time? Reports the speed-up to target and whether it exceeds 3×.
 */
export function fineTuneVerdict(records: BenchRecord[]): string {
  return fineTuneArmsVerdict(records, 'target');
}
