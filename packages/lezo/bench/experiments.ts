/**
 * The @descent/lezo experiments run by `apps/bench` (`pnpm bench lezo-step-time [--full]`).
 * Paper: Wang et al. 2024, LeZO, arXiv 2410.09823 (against MeZO, Malladi et al. 2023).
 * @module
 */
import type { Experiment } from '@descent/tensor';
import { fineTuneVerdict, runFineTune } from './fineTuneBench';
import { runStepTime, stepTimeVerdict } from './stepTime';
import { runTextFineTune, textFineTuneVerdict } from './textFineTune';

const PAPER = 'Wang et al. 2024 (LeZO), arXiv:2410.09823; MeZO: Malladi et al. 2023, arXiv:2305.17333';

/** The experiments `apps/bench` runs for @descent/lezo. */
export const experiments: Experiment[] = [
  {
    name: 'lezo-step-time',
    paper: PAPER,
    claim:
      'Perturbing and updating all parameters is over 50% of a MeZO step; LeZO removes that work for the dropped layers, so its steps are faster where parameters are large relative to batch × sequence',
    seeds: { quick: 1, full: 1 },
    plots: [{ metric: 'ms/step', x: 'width', title: 'CPU ms per step at batch 16', logX: true, logY: true }],
    run: runStepTime,
    verdict: stepTimeVerdict,
  },
  {
    name: 'lezo-fine-tune',
    paper: PAPER,
    claim:
      "LeZO keeps MeZO's accuracy and memory and reaches the same accuracy over 3× faster in run time (OPT-13B, SST-2: 3.4×)",
    seeds: { quick: 2, full: 5 },
    run: runFineTune,
    verdict: fineTuneVerdict,
  },
  {
    name: 'lezo-text-fine-tune',
    paper: PAPER,
    claim:
      "LeZO keeps MeZO's accuracy and memory and reaches the same accuracy over 3× faster in run time when fine-tuning a pre-trained transformer on text (OPT-13B, SST-2: 3.4×)",
    seeds: { quick: 1, full: 3 },
    run: runTextFineTune,
    verdict: textFineTuneVerdict,
  },
];
