/**
 * Every experiment the harness knows, in one place. A package registers its experiments by
 * exporting `experiments` from its `bench/experiments.ts` (the `@descent/<pkg>/bench` entry).
 */
import type { Experiment } from '@descent/tensor';
import { experiments as automataGrad } from '@descent/automata-grad/bench';
import { experiments as bilevelSgld } from '@descent/bilevel-sgld/bench';
import { experiments as featureAveraging } from '@descent/feature-averaging/bench';
import { experiments as forksOkl } from '@descent/forks-okl/bench';
import { experiments as lezo } from '@descent/lezo/bench';
import { experiments as multiIndex } from '@descent/multi-index/bench';
import { experiments as nn } from '@descent/nn/bench';
import { experiments as robustPhase } from '@descent/robust-phase/bench';
import { experiments as samDynamics } from '@descent/sam-dynamics/bench';
import { experiments as stability } from '@descent/stability/bench';
import { experiments as steinEs } from '@descent/stein-es/bench';
import { experiments as tensor } from '@descent/tensor/bench';
import { automataSteinEs } from './compositions/automataSteinEs';
import { automataSuiteSteinEs } from './compositions/automataSuiteSteinEs';
import { numpyParity } from './compositions/numpyParity';

/** Registered experiments, with the package each comes from. */
export const registry: { pkg: string; experiment: Experiment }[] = [
  ...tensor.map((experiment) => ({ pkg: '@descent/tensor', experiment })),
  ...steinEs.map((experiment) => ({ pkg: '@descent/stein-es', experiment })),
  ...robustPhase.map((experiment) => ({ pkg: '@descent/robust-phase', experiment })),
  ...automataGrad.map((experiment) => ({ pkg: '@descent/automata-grad', experiment })),
  ...multiIndex.map((experiment) => ({ pkg: '@descent/multi-index', experiment })),
  ...forksOkl.map((experiment) => ({ pkg: '@descent/forks-okl', experiment })),
  ...nn.map((experiment) => ({ pkg: '@descent/nn', experiment })),
  ...stability.map((experiment) => ({ pkg: '@descent/stability', experiment })),
  ...lezo.map((experiment) => ({ pkg: '@descent/lezo', experiment })),
  ...samDynamics.map((experiment) => ({ pkg: '@descent/sam-dynamics', experiment })),
  ...featureAveraging.map((experiment) => ({ pkg: '@descent/feature-averaging', experiment })),
  ...bilevelSgld.map((experiment) => ({ pkg: '@descent/bilevel-sgld', experiment })),
  { pkg: '@descent/automata-grad + @descent/stein-es', experiment: automataSteinEs },
  { pkg: '@descent/automata-grad + @descent/stein-es', experiment: automataSuiteSteinEs },
  { pkg: '@descent/tensor + robust-phase + multi-index + stein-es (vs numpy)', experiment: numpyParity },
];
