/**
 * The @descent/nn experiments run by `apps/bench` (`pnpm bench nn [--full]`).
 * @module
 */
import type { Experiment } from '@descent/tensor';

/** The experiments `apps/bench` runs for @descent/nn (throughput, MNIST, curvature: issue 12, milestone 4). */
export const experiments: Experiment[] = [];
