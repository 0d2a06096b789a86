import type { Experiment } from '../src/experiment';
import { linalgExperiment } from './linalg';

/** The experiments `apps/bench` runs for @descent/tensor. */
export const experiments: Experiment[] = [linalgExperiment];
