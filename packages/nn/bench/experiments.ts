/**
 * The @descent/nn experiments run by `apps/bench` (`pnpm bench nn-throughput nn-mnist nn-curvature [--full]`).
 * Issue 12's bench: training throughput against tfjs-layers, MNIST accuracy within a time budget,
 * HVP cost and accuracy, Lanczos against an explicit Hessian.
 * @module
 */
import type { Experiment } from '@descent/tensor';
import { curvatureVerdict, runCurvature } from './curvature';
import { mnistVerdict, runMnist } from './mnistTraining';
import { runThroughput, throughputVerdict } from './throughput';

const ISSUE = '@descent/nn substrate (issue 12); tfjs 4.22 wasm';

/** The experiments `apps/bench` runs for @descent/nn. */
export const experiments: Experiment[] = [
  {
    name: 'nn-throughput',
    paper: ISSUE,
    claim:
      'Functional training on wasm is ≥ 3× faster than tfjs-layers for an MLP and trains a small CNN at ≥ 1,200 examples/s',
    seeds: { quick: 1, full: 3 },
    run: runThroughput,
    verdict: throughputVerdict,
  },
  {
    name: 'nn-mnist',
    paper: ISSUE,
    claim:
      'An MLP 784-128-10 reaches ≥ 95% test accuracy on the npm MNIST digits (80/20) within 60 s of training',
    seeds: { quick: 1, full: 3 },
    run: runMnist,
    verdict: mnistVerdict,
  },
  {
    name: 'nn-curvature',
    paper: ISSUE,
    claim: 'Exact HVPs cost ≤ 3 gradients and match a float64 reference; Lanczos matches an explicit Hessian',
    seeds: { quick: 1, full: 3 },
    run: runCurvature,
    verdict: curvatureVerdict,
  },
];
