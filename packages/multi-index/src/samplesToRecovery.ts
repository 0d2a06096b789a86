/**
 * Samples needed by one-pass spherical SGD to (1) find the subspace span(V*) and (2) find every
 * direction v_k*, the two quantities whose scaling in d the paper's claim is about
 * (Ren & Lee 2024, arXiv 2410.09678: d·poly(P) samples for h₂ + h_{2L} versus d^{2L−1}·poly(P)
 * when only the degree-2L term is present). Constant step η = lrScale/d and stop at coverage >
 * threshold, as in the notes' calibration §3.2b.
 * @module
 */
import {
  ValueError,
  assertInRange,
  assertInteger,
  assertPositive,
  describe,
  type Seed,
} from '@descent/tensor';
import type { HermiteCoeffs, HermiteSeries } from './hermiteSeries';
import { MultiIndexTarget } from './multiIndexTarget';
import { type CheckRecord, SphericalOnlineSGD, type StudentInit } from './sphericalOnlineSGD';
import type { StudentLoss } from './studentGradient';

/** Options of {@link samplesToRecovery}. */
export interface SamplesToRecoveryOptions {
  d: number;
  P: number;
  /** Width (default 3P, the calibrated m = 12 at P = 4). */
  m?: number;
  /** Target link (default h₂ + h₄). */
  link?: HermiteCoeffs | HermiteSeries;
  /** Student activation (default σ = link). */
  activation?: HermiteCoeffs | HermiteSeries;
  /** Default `'squared'`. */
  loss?: StudentLoss;
  /** Default P/m (see README: keeps end-of-run coverage reliable). */
  a0?: number;
  /** Default `'sphere'`. */
  init?: StudentInit;
  /** Coverage threshold for "all directions found" (default 0.95). */
  threshold?: number;
  /** Median subspace-mass threshold for "subspace found" (default 0.9). */
  subspaceThreshold?: number;
  /** η = lrScale/d (default 0.02, notes §3.2b). */
  lrScale?: number;
  /** Samples per step (default 64). */
  batch?: number;
  /** Sample budget (default 5000·max(1, d/32)·batch samples: twice the calibrated 2500-step stage, scaled linearly in d). */
  maxSamples?: number;
  /** Steps between checks (default 20). */
  checkEvery?: number;
  /** Seed of the directions, initialisation and data (default 0). */
  seed?: Seed;
  /** Label noise (default 0). */
  noiseStd?: number;
  /** Stop as soon as the subspace is found (for Stage-1 measurements; default false). */
  stopAtSubspace?: boolean;
  /** Progress callback. */
  progress?: (fraction: number, message?: string) => void;
}

/** Result of {@link samplesToRecovery}. */
export interface SamplesToRecoveryResult {
  /** Samples until the median subspace mass first exceeded `subspaceThreshold` (Infinity if never). */
  samplesToSubspace: number;
  /** Samples until coverage first exceeded `threshold` (Infinity if never within the budget). */
  samplesToDirections: number;
  finalCoverage: number;
  finalSubspaceMass: number;
  /** Max over checks of the coverage. */
  bestCoverage: number;
  history: CheckRecord[];
  /** Samples consumed. */
  evaluations: number;
  timeMs: number;
}

/** Runs one recovery experiment (see the module comment). */
export function samplesToRecovery(options: SamplesToRecoveryOptions): SamplesToRecoveryResult {
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
  const start = performance.now();
  const {
    d,
    P,
    m = 3 * P,
    link = { 2: 1, 4: 1 },
    loss = 'squared',
    init = 'sphere',
    threshold = 0.95,
    subspaceThreshold = 0.9,
    lrScale = 0.02,
    batch = 64,
    checkEvery = 20,
    seed = 0,
    noiseStd = 0,
    stopAtSubspace = false,
    progress,
  } = options;
  assertInteger('P', P, 1);
  assertInteger('m', m, 1);
  const a0 = options.a0 ?? P / m;
  const maxSamples = options.maxSamples ?? 5000 * Math.max(1, d / 32) * batch;
  assertInRange('threshold', threshold, 0, 1);
  assertInRange('subspaceThreshold', subspaceThreshold, 0, 1);
  assertPositive('lrScale', lrScale);
  assertInteger('batch', batch, 1);
  assertPositive('maxSamples', maxSamples);
  const target = new MultiIndexTarget({ d, P, link, noiseStd, seed });
  const steps = Math.max(1, Math.floor(maxSamples / batch));
  const net = new SphericalOnlineSGD({
    d,
    m,
    activation: options.activation ?? target.link,
    loss,
    a0,
    init,
    seed,
    schedule: [{ steps, learningRate: lrScale / d, batch }],
  });
  let samplesToSubspace = Number.POSITIVE_INFINITY;
  let samplesToDirections = Number.POSITIVE_INFINITY;
  let bestCoverage = 0;
  const run = net.run(target, {
    checkEvery,
    progress,
    stopWhen: (r) => {
      bestCoverage = Math.max(bestCoverage, r.coverage);
      if (r.subspaceMass > subspaceThreshold && samplesToSubspace === Number.POSITIVE_INFINITY)
        samplesToSubspace = r.samples;
      if (r.coverage > threshold && samplesToDirections === Number.POSITIVE_INFINITY)
        samplesToDirections = r.samples;
      if (stopAtSubspace && samplesToSubspace < Number.POSITIVE_INFINITY) return true;
      return samplesToDirections < Number.POSITIVE_INFINITY && samplesToSubspace < Number.POSITIVE_INFINITY;
    },
  });
  const last = run.history[run.history.length - 1];
  return {
    samplesToSubspace,
    samplesToDirections,
    finalCoverage: last.coverage,
    finalSubspaceMass: last.subspaceMass,
    bestCoverage,
    history: run.history,
    evaluations: run.evaluations,
    timeMs: performance.now() - start,
  };
}
