import type { Experiment } from '../src/experiment';
import { autodiffExperiment } from './autodiff';
import { linalgExperiment } from './linalg';
import { robustKernelsExperiment } from './robustKernels';

/** The experiments `apps/bench` runs for @descent/tensor. */
export const experiments: Experiment[] = [linalgExperiment, autodiffExperiment, robustKernelsExperiment];
