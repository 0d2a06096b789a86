import type { Experiment } from '../src/experiment';

/** The experiments `apps/bench` runs for @descent/tensor. */
export const experiments: Experiment[] = [];
