/**
 * The learning-rate calibration of `lezo-text-fine-tune`, run by hand (not by the bench): builds
 * the bench's seed-0 run (same split, pre-training and batches), then runs every method over its
 * grid with the quick profile's budgets and prints one line per (method, rate): final and best
 * test accuracy, steps to the target, divergence. `TEXT_RATES` holds the chosen rates.
 *
 * From apps/bench: `pnpm exec tsx --conditions=@descent/source ../../packages/lezo/bench/calibrateText.ts [quick|full] [Method=r1,r2 ...]`
 * (default: every method over `TEXT_GRIDS`).
 * @module
 */
import { type BenchContext, type BenchRecord, Rng, recordMedian } from '@descent/tensor';
import { ready } from '@descent/tensor/tf';
import { type Arm, runArms } from './fineTuneArms';
import { METHODS, type Method } from './methods';
import { TEXT_RATES, disposePretrained, pretrainText, textArmsSetup, textPlan } from './textFineTune';

/** The grids of the calibration. */
export const TEXT_GRIDS: Record<Method, number[]> = {
  'FO-SGD': [0.01, 0.03, 0.1, 0.3],
  'FO-Adam': [3e-4, 1e-3, 3e-3],
  MeZO: [3e-5, 1e-4, 3e-4, 1e-3],
  'LeZO-½': [3e-5, 1e-4, 3e-4, 1e-3],
  'LeZO-¾': [3e-5, 1e-4, 3e-4, 1e-3],
  'cyclic-ZO': [3e-5, 1e-4, 3e-4, 1e-3],
};

async function main(): Promise<void> {
  await ready();
  const args = process.argv.slice(2);
  const profile = args[0] === 'full' ? 'full' : 'quick';
  const grids: Partial<Record<Method, number[]>> = {};
  for (const a of args.filter((x) => x.includes('='))) {
    const [m, list] = a.split('=');
    if (!(METHODS as readonly string[]).includes(m)) throw new Error(`unknown method ${m}`);
    grids[m as Method] = list.split(',').map(Number);
  }
  const chosen = Object.keys(grids).length ? grids : TEXT_GRIDS;
  const seed = 0;
  const ctx: BenchContext = {
    profile,
    seed,
    rng: new Rng(seed).fold('bench', 'lezo-text-fine-tune'),
    progress: () => {},
    log: () => {},
    artifact: () => {},
  };
  const plan = textPlan(profile);
  const pre = pretrainText(ctx, plan);
  console.log(
    `${profile}: pre-trained test accuracy ${pre.before.toFixed(3)}, target gain ${plan.targetGain}`,
  );
  try {
    const setup = textArmsSetup(pre, plan);
    for (const [m, grid] of Object.entries(chosen) as [Method, number[]][]) {
      for (const lr of grid) {
        const arm: Arm = { name: m, method: m, rates: { ...TEXT_RATES, [m]: lr } };
        const rs: BenchRecord[] = await runArms(ctx, setup, [arm]);
        const v = (metric: string) => recordMedian(rs, { method: m, metric }) ?? Number.NaN;
        console.log(
          `${m} lr ${lr}: final ${v('final accuracy').toFixed(3)} best ${v('best accuracy').toFixed(3)} steps-to-target ${v('steps to target')} diverged ${v('diverged')} ms/step ${v('ms/step').toFixed(1)}`,
        );
      }
    }
  } finally {
    disposePretrained(pre);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
