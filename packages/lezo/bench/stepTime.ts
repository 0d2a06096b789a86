/**
 * Where the time of a step goes (the paper's mechanism, §2.3 of the notes): per-step time split
 * into perturbation, forward and update for every method, on an MLP with 8 sampled blocks, in a
 * sweep over the width at batch 16 and over the batch at a fixed width. Steps are interleaved
 * method by method in rounds and timed in process CPU time (the machine is shared); the numbers
 * are medians over rounds.
 *
 * What to expect: a ZO step costs two forwards (∝ batch × parameters) plus four noise+axpy passes
 * over the active parameters (∝ parameters, independent of the batch). LeZO only shrinks the
 * second part, so its per-step gain is (F + U)/(F + ρU) with ρ the active fraction: large when
 * parameters are large relative to batch × sequence, small otherwise.
 * @module
 */
import { type ParamTree, disposeTree, objective, softmaxCrossEntropyLoss, transformer } from '@descent/nn';
import { type BenchContext, type BenchRecord, median, paramValues, recordMedian } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { measureStep } from '../src/memory';
import type { StepOptimizer, StepResult } from '../src/stepOptimizer';
import type { ZoStepResult } from '../src/zoSgd';
import { METHODS, type Method, type Rates, ZO_METHODS, build } from './methods';
import { blockMlp } from './models';

const TIMING_RATES: Rates = {
  'FO-SGD': 1e-4,
  'FO-Adam': 1e-5,
  MeZO: 1e-6,
  'LeZO-½': 1e-6,
  'LeZO-¾': 1e-6,
  'cyclic-ZO': 1e-6,
};

interface Setting {
  /** MLP width, or the transformer's model dimension. */
  width: number;
  batch: number;
  sweep: 'width' | 'batch' | 'transformer';
  /** Sequence length (transformer only). */
  seq?: number;
}

/** The transformer of the step-time sweep: 8 blocks (the groups LeZO samples), 2 classes. */
function blockTransformer(dim: number, seq: number) {
  const model = transformer({
    vocab: TRANSFORMER_VOCAB,
    maxLength: seq,
    dim,
    heads: 4,
    layers: 8,
    classes: 2,
  });
  // default selection: the block<i> groups are sampled, embeddings, final norm and head always active
  return { model, blocks: undefined, alwaysActive: undefined };
}

const TRANSFORMER_VOCAB = 512;

function settings(profile: 'quick' | 'full'): Setting[] {
  if (profile === 'quick') {
    return [
      { width: 64, batch: 16, sweep: 'width' },
      { width: 256, batch: 16, sweep: 'width' },
      { width: 256, batch: 256, sweep: 'batch' },
      { width: 64, batch: 16, seq: 32, sweep: 'transformer' },
    ];
  }
  const widths = [64, 128, 256, 512, 1024].map((width) => ({ width, batch: 16, sweep: 'width' as const }));
  const batches = [1, 4, 64, 256].map((batch) => ({ width: 512, batch, sweep: 'batch' as const }));
  const transformers = [
    { width: 64, batch: 16, seq: 32, sweep: 'transformer' as const },
    { width: 128, batch: 16, seq: 32, sweep: 'transformer' as const },
    { width: 128, batch: 4, seq: 8, sweep: 'transformer' as const },
  ];
  return [...widths, ...batches, ...transformers];
}

/** Runs the sweep for one seed. */
export async function runStepTime(ctx: BenchContext): Promise<BenchRecord[]> {
  await ready();
  const records: BenchRecord[] = [];
  const plan = settings(ctx.profile);
  const rounds = ctx.profile === 'quick' ? 3 : 5;
  for (let s = 0; s < plan.length; s++) {
    const { width, batch, sweep, seq = 1 } = plan[s];
    const isTransformer = sweep === 'transformer';
    ctx.progress(
      s / plan.length,
      `${isTransformer ? `transformer d${width} T${seq}` : `width ${width}`}, batch ${batch}`,
    );
    const { model, blocks, alwaysActive } = isTransformer ? blockTransformer(width, seq) : blockMlp(width);
    const params = model.init(ctx.rng.fold('init', width, seq));
    const rng = ctx.rng.fold('data', width, batch, seq);
    const x = isTransformer
      ? tf.tensor2d(
          Int32Array.from({ length: batch * seq }, () => rng.int(TRANSFORMER_VOCAB)),
          [batch, seq],
          'int32',
        )
      : normalTensor(rng, [batch, 196]);
    const y = tf.tensor1d(
      Int32Array.from({ length: batch }, () => rng.int(isTransformer ? 2 : 10)),
      'int32',
    );
    const f = objective(model, softmaxCrossEntropyLoss, x, y);
    const opts: Record<string, StepOptimizer> = {};
    for (const m of METHODS)
      opts[m] = build(m, params, TIMING_RATES, { blocks, alwaysActive, seed: ctx.seed });
    const size = countParams(params);
    // steps per round: about 0.3 s of MeZO work per round at this size (at least 2)
    const stepsPerRound = Math.max(2, Math.min(20, Math.round(3e6 / (size * (1 + batch / 16)))));
    const results: Record<string, StepResult[]> = {};
    for (const m of METHODS) {
      opts[m].stepOn(f); // warm-up (kernel registration, buffers)
      results[m] = [];
    }
    for (let r = 0; r < rounds; r++) {
      const order = METHODS.map((_, i) => METHODS[(i + r) % METHODS.length]);
      for (const m of order) for (let k = 0; k < stepsPerRound; k++) results[m].push(opts[m].stepOn(f));
    }
    // the batch sweep names its width `atWidth` so that the width plot only sees the width sweep
    const p: Record<string, number | string> =
      sweep === 'width'
        ? { width, batch, params: size }
        : sweep === 'batch'
          ? { atWidth: width, batch, params: size }
          : { model: 'transformer', dim: width, seq, batch, params: size };
    const total: Record<string, number> = {};
    for (const m of METHODS) {
      const rs = results[m];
      total[m] = median(rs.map((r) => r.timings.totalMs));
      const perturb = median(rs.map((r) => r.timings.perturbMs));
      const forward = median(rs.map((r) => r.timings.forwardMs));
      const update = median(rs.map((r) => r.timings.updateMs));
      records.push(
        { method: m, metric: 'ms/step', value: total[m], unit: 'ms CPU', params: p },
        { method: m, metric: 'perturb ms', value: perturb, unit: 'ms CPU', params: p },
        { method: m, metric: 'forward ms', value: forward, unit: 'ms CPU', params: p },
        { method: m, metric: 'update ms', value: update, unit: 'ms CPU', params: p },
      );
      if (ZO_METHODS.includes(m as Method)) {
        records.push({
          method: m,
          metric: 'perturb+update share',
          value: (perturb + update) / total[m],
          params: p,
        });
        const active = median(rs.map((r) => (r as ZoStepResult).activeParams));
        records.push({ method: m, metric: 'active fraction', value: active / size, params: p });
      }
      const mem = await measureStep(opts[m], f);
      records.push(
        { method: m, metric: 'peak MB', value: mem.peakBytes / 2 ** 20, unit: 'MB', params: p },
        { method: m, metric: 'host MB', value: mem.hostBytes / 2 ** 20, unit: 'MB', params: p },
        { method: m, metric: 'live MB', value: mem.liveBytes / 2 ** 20, unit: 'MB', params: p },
        { method: m, metric: 'RSS MB', value: mem.rssBytes / 2 ** 20, unit: 'MB', params: p },
      );
    }
    // LeZO's predicted per-step time from MeZO's split: F + ρ·(P + U)
    const mezo = results.MeZO;
    const F = median(mezo.map((r) => r.timings.forwardMs));
    const PU = median(mezo.map((r) => r.timings.perturbMs + r.timings.updateMs));
    for (const m of ZO_METHODS) {
      records.push({ method: m, metric: 'speed-up/step vs MeZO', value: total.MeZO / total[m], params: p });
      const rho = median(results[m].map((r) => (r as ZoStepResult).activeParams)) / size;
      records.push({
        method: m,
        metric: 'predicted speed-up/step',
        value: (F + PU) / (F + rho * PU),
        params: p,
      });
    }
    for (const m of METHODS) opts[m].dispose();
    disposeTree(params);
    tf.dispose([x, y]);
  }
  ctx.progress(1);
  return records;
}

function countParams(p: ParamTree): number {
  let n = 0;
  for (const g of Object.keys(p)) for (const k of Object.keys(p[g])) n += p[g][k].size;
  return n;
}

/** The verdict: is the per-step speed-up there, where, and does it match (F + U)/(F + ρU)? */
export function stepTimeVerdict(records: BenchRecord[]): string {
  const get = (method: string, metric: string, width: number, batch: number) =>
    recordMedian(records, { method, metric, params: { width, batch } }) ?? Number.NaN;
  const widths = paramValues(records, 'width') as number[];
  const parts = widths.map((w) => {
    const s = get('LeZO-¾', 'speed-up/step vs MeZO', w, 16);
    const share = get('MeZO', 'perturb+update share', w, 16);
    return `w${w}: ${s.toFixed(2)}× (MeZO perturb+update ${(100 * share).toFixed(0)}%)`;
  });
  const wMax = widths[widths.length - 1];
  const best = get('LeZO-¾', 'speed-up/step vs MeZO', wMax, 16);
  const pred = get('LeZO-¾', 'predicted speed-up/step', wMax, 16);
  const share = get('MeZO', 'perturb+update share', wMax, 16);
  const verdict = share > 0.5 && best > 1.5 ? 'PASS' : 'FAIL';
  return `${verdict}: LeZO-¾ per-step speed-up over MeZO at batch 16 — ${parts.join(', ')}; predicted (F+U)/(F+ρU) at w${wMax}: ${pred.toFixed(2)}× (claim: perturb+update > 50% of a MeZO step, which LeZO removes for dropped layers; the per-step gain alone is bounded by 1/(1−share))`;
}
