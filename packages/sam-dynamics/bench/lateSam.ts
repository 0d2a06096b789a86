/**
 * The switching experiment on MNIST digits: SGD, SAM, ASAM, SGD→SAM late, SAM→SGD early,
 * momentum keep vs reset, SAM every k steps; test accuracy, train loss, Hessian top eigenvalues
 * and trace, SAM-sharpness, the interpolation barrier to the SGD endpoint, the escape curve.
 * @module
 */
import { piecewiseConstant } from '@descent/tensor';
import {
  type Dataset,
  type ParamTree,
  type TreeTransformation,
  batchesPerEpoch,
  datasetObjective,
  disposeDataset,
  disposeState,
  disposeTree,
  evaluate,
  mlp,
  sgd,
  softmaxCrossEntropyLoss,
  takeRows,
} from '@descent/nn';
import {
  type SamOptions,
  escapeRate,
  interpolationBarrier,
  sam,
  sharpnessMetrics,
  switchSchedule,
  trainRun,
} from '../src/index';
import { mnistSplit } from './mnistDigits';

/** The setting of one profile. */
export interface LateSamPlan {
  train: number;
  test: number;
  epochs: number;
  batchSize: number;
  hidden: number;
  learningRate: number;
  /** Learning-rate drops: at these fractions of the budget the rate is multiplied by `lrDropFactor`. */
  lrDrops: number[];
  lrDropFactor: number;
  rho: number;
  rho2: number;
  asamRho: number;
  labelNoise: number;
  lateEpochs: number[];
  probe: number;
  eigs: number;
  probes: number;
  extras: boolean;
}

/**
 * The step-decay learning rate (the notes' §3.2 setting: ×0.1 at 50% and 75% of the budget) or, with
 * no drops, a constant.
 */
export function learningRateSchedule(
  initValue: number,
  drops: number[],
  factor: number,
  totalSteps: number,
): number | ((step: number) => number) {
  if (drops.length === 0) return initValue;
  return piecewiseConstant({
    initValue,
    boundariesAndScales: Object.fromEntries(drops.map((f) => [Math.round(f * totalSteps), factor])),
  });
}

/** One arm of the experiment. */
export interface Arm {
  name: string;
  /** 'late' | 'early' | 'full' | 'none' (SGD). */
  kind: 'none' | 'full' | 'late' | 'early' | 'interval';
  samFraction: number;
  sam?: SamOptions;
  switchEpoch?: number;
  momentumAtSwitch?: 'keep' | 'reset';
}

export function arms(plan: LateSamPlan): Arm[] {
  const T = plan.epochs;
  const out: Arm[] = [
    { name: 'SGD', kind: 'none', samFraction: 0 },
    { name: `SAM ρ=${plan.rho}`, kind: 'full', samFraction: 1, sam: { rho: plan.rho } },
  ];
  if (plan.extras) {
    out.push({ name: `SAM ρ=${plan.rho2}`, kind: 'full', samFraction: 1, sam: { rho: plan.rho2 } });
    out.push({
      name: `ASAM ρ=${plan.asamRho}`,
      kind: 'full',
      samFraction: 1,
      sam: { mode: 'asam', rho: plan.asamRho },
    });
  }
  for (const K of plan.lateEpochs) {
    out.push({
      name: `SGD→SAM last ${K}`,
      kind: 'late',
      samFraction: K / T,
      sam: { rho: plan.rho },
      switchEpoch: T - K,
    });
  }
  for (const K of plan.lateEpochs) {
    out.push({
      name: `SAM→SGD at ${T - K}`,
      kind: 'early',
      samFraction: (T - K) / T,
      sam: { rho: plan.rho },
      switchEpoch: T - K,
    });
  }
  if (plan.extras) {
    const K = plan.lateEpochs.find((k) => k === 6) ?? plan.lateEpochs[plan.lateEpochs.length - 1];
    out.push({
      name: `SGD→SAM last ${K} (momentum kept)`,
      kind: 'late',
      samFraction: K / T,
      sam: { rho: plan.rho },
      switchEpoch: T - K,
      momentumAtSwitch: 'keep',
    });
    // compute-matched to "last K epochs": one SAM step every T/K steps costs the same gradients
    const k = Math.max(2, Math.round(T / K));
    out.push({
      name: `SAM every ${k} steps`,
      kind: 'interval',
      samFraction: 1 / k,
      sam: { rho: plan.rho, interval: k },
    });
  }
  return out;
}

/** What one arm's run measured. */
export interface ArmResult {
  arm: Arm;
  testAccuracy: number;
  trainLoss: number;
  lambda1: number;
  lambda2: number;
  trace: number;
  samSharpness: number;
  barrierToSgd: number;
  /** Growth factor per step of ‖w_t − w_switch‖ over the first epoch after the switch (late arms). */
  escapeFactor: number;
  /** ‖w_t − w_s‖ one epoch after s, over the same quantity for plain SGD from the same w_s (the escape arm only). */
  escapeRatio: number;
  /** ‖w_{s+j} − w_s‖ for j = 0..2 epochs (the escape arm, and SGD from the same step). */
  escapeCurve: Float64Array | null;
  gradEvals: number;
  seconds: number;
}

/**
 * Runs every arm on one seed. The SGD arm runs first; its endpoint is kept for the interpolation
 * barriers. Same seed → same initialisation and batch order in every arm, so a late arm follows the
 * SGD trajectory exactly up to its switch.
 */
export function runArms(
  plan: LateSamPlan,
  seed: number,
  progress: (fraction: number, message: string) => void,
): ArmResult[] {
  const { train, test } = mnistSplit({
    train: plan.train,
    test: plan.test,
    labelNoise: plan.labelNoise,
    seed,
  });
  const probeSet: Dataset = takeRows(
    train,
    Int32Array.from({ length: Math.min(plan.probe, plan.train) }, (_, i) => i),
  );
  const model = mlp({ sizes: [196, plan.hidden, 10] });
  const loss = softmaxCrossEntropyLoss;
  const perEpoch = batchesPerEpoch(plan.train, plan.batchSize);
  const total = plan.epochs * perEpoch;
  const lr = learningRateSchedule(plan.learningRate, plan.lrDrops, plan.lrDropFactor, total);
  const probeF = datasetObjective(model, loss, probeSet, { batchSize: 250 });
  const trainF = datasetObjective(model, loss, train, { batchSize: 500 });
  const list = arms(plan);
  // the late arm whose escape curve is compared with SGD's from the same step: K = 6 (20%) if run
  const escapeK = plan.lateEpochs.includes(6) ? 6 : plan.lateEpochs[plan.lateEpochs.length - 1];
  const escapeStep = (plan.epochs - escapeK) * perEpoch;
  const curveLength = Math.min(2 * perEpoch, escapeK * perEpoch) + 1;
  const results: ArmResult[] = [];
  let sgdEnd: ParamTree | null = null;
  let sgdCurve: Float64Array | null = null;
  try {
    list.forEach((arm, i) => {
      progress(i / list.length, arm.name);
      const t0 = performance.now();
      const base = sgd({ learningRate: lr, momentum: 0.9 });
      let optimizer: TreeTransformation<unknown> = base;
      if (arm.kind !== 'none' && arm.sam) {
        const schedule =
          arm.kind === 'late' || arm.kind === 'early'
            ? switchSchedule({
                epochs: plan.epochs,
                stepsPerEpoch: perEpoch,
                at: { epoch: arm.switchEpoch as number },
                direction: arm.kind,
                momentumAtSwitch: arm.momentumAtSwitch ?? 'reset',
              })
            : undefined;
        optimizer = sam(base, { ...arm.sam, schedule });
      }
      const r = trainRun({ model, loss, optimizer }, train, {
        epochs: plan.epochs,
        batchSize: plan.batchSize,
        seed,
        escape: arm.kind === 'none' ? { from: escapeStep } : arm.kind === 'late' || arm.kind === 'early',
      });
      const seconds = (performance.now() - t0) / 1000;
      const acc = evaluate(model, r.params, test.x, test.y).accuracy;
      const trainLoss = evaluate(model, r.params, train.x, train.y, { loss, accuracy: false }).loss;
      const s = sharpnessMetrics(probeF, r.params, {
        eigs: plan.eigs,
        probes: plan.probes,
        rho: plan.rho,
        seed,
      });
      let barrier = Number.NaN;
      if (arm.kind === 'none') sgdEnd = r.params;
      else if (sgdEnd) barrier = interpolationBarrier(trainF, sgdEnd, r.params).barrier;
      let escapeFactor = Number.NaN;
      let escapeRatio = Number.NaN;
      let escapeCurve: Float64Array | null = null;
      if (r.escape && arm.kind === 'none') {
        sgdCurve = r.escape.distance.slice(0, curveLength);
        escapeCurve = sgdCurve;
      }
      if (r.escape && arm.kind === 'late') {
        const window = Math.min(perEpoch + 1, r.escape.distance.length);
        if (window >= 3) escapeFactor = escapeRate(r.escape.distance, { from: 1, to: window }).factor;
        const mine = r.escape.distance;
        // the escape arm continues SGD's momentum (kept) when that arm runs, so that SAM is the only
        // difference to the SGD control from the same state
        const escapeArm = plan.extras ? arm.momentumAtSwitch === 'keep' : arm.momentumAtSwitch !== 'keep';
        if (arm.switchEpoch === plan.epochs - escapeK && escapeArm) {
          escapeCurve = mine.slice(0, curveLength);
          const j = Math.min(perEpoch, mine.length - 1);
          if (sgdCurve && sgdCurve[j] > 0) escapeRatio = mine[j] / sgdCurve[j];
        }
      }
      results.push({
        arm,
        testAccuracy: acc,
        trainLoss,
        lambda1: s.topEigenvalues[0],
        lambda2: s.topEigenvalues[1] ?? Number.NaN,
        trace: s.trace,
        samSharpness: s.samSharpness,
        barrierToSgd: barrier,
        escapeFactor,
        escapeRatio,
        escapeCurve,
        gradEvals: r.evaluations,
        seconds,
      });
      if (r.params !== sgdEnd) disposeTree(r.params);
      disposeState(r.optState);
    });
  } finally {
    disposeTree(sgdEnd);
    disposeDataset(train);
    disposeDataset(test);
    disposeDataset(probeSet);
  }
  return results;
}
