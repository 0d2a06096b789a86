import type { Experiment } from '@descent/tensor';

/** The experiments `apps/bench` runs for this package. */
export const experiments: Experiment[] = [];
