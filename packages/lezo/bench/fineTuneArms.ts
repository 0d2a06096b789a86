/**
 * The arms of a fine-tuning experiment, shared by `lezo-fine-tune` (digits MLP) and
 * `lezo-text-fine-tune` (tiny transformer on e-mails): every method starts from the same
 * pre-trained parameters, sees the same seeded minibatches and the same budgets (one for the ZO
 * methods, one for the first-order baselines), and reports accuracy, steps and CPU time to the
 * target accuracy, the per-step time split and the memory of one step above the live model.
 *
 * Time is process CPU time summed over the steps (evaluations excluded): the machine is shared.
 * @module
 */
import {
  type Dataset,
  type Model,
  objective,
  type ParamTree,
  softmaxCrossEntropyLoss,
  takeRows,
} from '@descent/nn';
import { type BenchContext, type BenchRecord, recordMedian, recordValues } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import { fineTune } from '../src/fineTune';
import { measureStep } from '../src/memory';
import { build, METHODS, type Method, type Rates, ZO_METHODS } from './methods';

/** One arm: a method at a set of learning rates, reported under `name`. */
export interface Arm {
  name: string;
  method: Method;
  rates: Rates;
}

/** What the arms share. */
export interface ArmsSetup {
  model: Model;
  /** The pre-trained parameters every arm starts from (not disposed here). */
  p0: ParamTree;
  train: Dataset;
  test: Dataset;
  /** LeZO's sampled groups and always-active groups (default: `block<i>` groups / the rest). */
  blocks?: string[];
  alwaysActive?: string[];
  zoSteps: number;
  foSteps: number;
  /** Steps between evaluations of the ZO arms (the first-order arms evaluate 5× as often). */
  evalEvery: number;
  target: number;
  batchSize: number;
  /** The `params` of every record. */
  params: Record<string, number | string>;
}

/** The arms of every method at `rates`, plus LeZO-¾ at MeZO's rate when `sameRateArm`. */
export function standardArms(rates: Rates, sameRateArm: boolean): Arm[] {
  const arms: Arm[] = METHODS.map((m) => ({ name: m, method: m, rates }));
  if (sameRateArm)
    arms.push({ name: SAME_RATE_ARM, method: 'LeZO-¾', rates: { ...rates, 'LeZO-¾': rates.MeZO } });
  return arms;
}

/** The extra arm of the full profiles: LeZO-¾ at MeZO's learning rate. */
export const SAME_RATE_ARM = 'LeZO-¾ at MeZO lr';

/** Runs every arm on the seed's batches; records per arm (see the module comment). */
export async function runArms(ctx: BenchContext, s: ArmsSetup, arms: Arm[]): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const p = s.params;
  const setup = { model: s.model, loss: softmaxCrossEntropyLoss };
  // one fixed batch for the memory measurement
  const memBatch = takeRows(
    s.train,
    Int32Array.from({ length: s.batchSize }, (_, i) => i),
  );
  try {
    for (let i = 0; i < arms.length; i++) {
      const { name: m, method, rates } = arms[i];
      ctx.progress(i / arms.length, m);
      const opt = build(method, s.p0, rates, {
        blocks: s.blocks,
        alwaysActive: s.alwaysActive,
        seed: ctx.seed,
      });
      try {
        const fo = !ZO_METHODS.includes(method);
        const cumCpu: number[] = [];
        let cpu = 0;
        const r = fineTune(opt, setup, s.train, {
          maxSteps: fo ? s.foSteps : s.zoSteps,
          batchSize: s.batchSize,
          seed: `batches-${ctx.seed}`,
          validation: s.test,
          evalEvery: fo ? Math.max(1, Math.round(s.evalEvery / 5)) : s.evalEvery,
          targetAccuracy: s.target,
          onStep: (st) => {
            cpu += st.timings.totalMs;
            cumCpu.push(cpu);
          },
        });
        const last = r.history[r.history.length - 1];
        const perStep = (ms: number) => ms / Math.max(1, r.steps);
        records.push(
          { method: m, metric: 'learning rate', value: rates[method], params: p },
          { method: m, metric: 'final accuracy', value: r.finalAccuracy, params: p },
          { method: m, metric: 'best accuracy', value: bestAccuracy(r.history), params: p },
          { method: m, metric: 'final test loss', value: last.validationLoss ?? Number.NaN, params: p },
          { method: m, metric: 'steps', value: r.steps, params: p },
          { method: m, metric: 'diverged', value: r.stopReason === 'diverged' ? 1 : 0, params: p },
          { method: m, metric: 'ms/step', value: perStep(cpu), unit: 'ms CPU', params: p },
          {
            method: m,
            metric: 'perturb ms/step',
            value: perStep(r.timings.perturbMs),
            unit: 'ms CPU',
            params: p,
          },
          {
            method: m,
            metric: 'forward ms/step',
            value: perStep(r.timings.forwardMs),
            unit: 'ms CPU',
            params: p,
          },
          {
            method: m,
            metric: 'update ms/step',
            value: perStep(r.timings.updateMs),
            unit: 'ms CPU',
            params: p,
          },
          { method: m, metric: 'reached target', value: r.stepsToTarget === null ? 0 : 1, params: p },
          { method: m, metric: 'steps to target', value: r.stepsToTarget ?? Number.NaN, params: p },
          {
            method: m,
            metric: 'CPU s to target',
            value: r.stepsToTarget ? cumCpu[r.stepsToTarget - 1] / 1000 : Number.NaN,
            unit: 's CPU',
            params: p,
          },
          { method: m, metric: 'perturb share', value: r.timings.perturbMs / r.timings.totalMs, params: p },
          { method: m, metric: 'update share', value: r.timings.updateMs / r.timings.totalMs, params: p },
        );
        const mem = await measureStep(
          opt,
          objective(s.model, softmaxCrossEntropyLoss, memBatch.x, memBatch.y),
        );
        records.push(
          {
            method: m,
            metric: 'peak MB',
            value: (mem.peakBytes + mem.hostBytes) / 2 ** 20,
            unit: 'MB',
            params: p,
          },
          { method: m, metric: 'RSS MB', value: mem.rssBytes / 2 ** 20, unit: 'MB', params: p },
        );
      } finally {
        opt.dispose();
      }
    }
  } finally {
    tf.dispose([memBatch.x, memBatch.y]);
  }
  return records;
}

function bestAccuracy(history: { validationAccuracy?: number }[]): number {
  let best = Number.NaN;
  for (const { validationAccuracy: a } of history) {
    if (a !== undefined && Number.isFinite(a) && !(a <= best)) best = a;
  }
  return best;
}

/**
 * The verdict of a fine-tuning experiment: does LeZO keep MeZO's accuracy (median final accuracy
 * within 2 points) and reach the target in less CPU time? Reports the speed-up to target split
 * into its per-step and steps factors, and whether it exceeds 3×.
 */
export function fineTuneArmsVerdict(records: BenchRecord[], targetLabel: string): string {
  const get = (method: string, metric: string) => recordMedian(records, { method, metric }) ?? Number.NaN;
  const acc = (m: string) => `${m} ${(100 * get(m, 'final accuracy')).toFixed(1)}%`;
  const mezoAcc = get('MeZO', 'final accuracy');
  const mezoT = get('MeZO', 'CPU s to target');
  const reached = (m: string) => {
    const v = recordValues(records, { method: m, metric: 'reached target' });
    return v.length ? `${v.filter((x) => x === 1).length}/${v.length} seeds` : 'n/a';
  };
  const parts: string[] = [`MeZO reached ${targetLabel} in ${reached('MeZO')}`];
  let ok = true;
  for (const m of ['LeZO-½', 'LeZO-¾']) {
    const a = get(m, 'final accuracy');
    const t = get(m, 'CPU s to target');
    const perStep = get('MeZO', 'ms/step') / get(m, 'ms/step');
    const speed = mezoT / t;
    if (!(a >= mezoAcc - 0.02) || !(speed > 1)) ok = false;
    parts.push(
      `${m} (reached in ${reached(m)}): accuracy ${(100 * a).toFixed(1)}% vs MeZO ${(100 * mezoAcc).toFixed(1)}%, speed-up to ${targetLabel} ${speed.toFixed(2)}× (per step ${perStep.toFixed(2)}×, steps ${(get('MeZO', 'steps to target') / get(m, 'steps to target')).toFixed(2)}×)`,
    );
  }
  const best = Math.max(mezoT / get('LeZO-½', 'CPU s to target'), mezoT / get('LeZO-¾', 'CPU s to target'));
  const claim = best > 3 ? 'the >3× claim is reproduced here' : 'the >3× claim is not reproduced here';
  const same = get(SAME_RATE_ARM, 'final accuracy');
  const sameNote = Number.isFinite(same)
    ? `; at MeZO's learning rate LeZO-¾ reaches ${(100 * same).toFixed(1)}% (speed-up to target ${(mezoT / get(SAME_RATE_ARM, 'CPU s to target')).toFixed(2)}×)`
    : '';
  return `${ok ? 'PASS' : 'FAIL'}: ${parts.join('; ')}; ${claim}${sameNote}. Final accuracies (median over seeds): ${['pre-trained', ...METHODS].map(acc).join(', ')}`;
}
