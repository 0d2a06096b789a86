/**
 * @descent/bilevel-sgld/tf: the tensor path on `@descent/nn`. An nn model's training and
 * validation losses become a {@link BilevelProblem} whose oracles are nn/tfjs autodiff (gradients,
 * nn's `hvpTree`, nested mixed products), so every estimator of the main entry (SGLD covariance,
 * reconstructions A/B, pathwise, RMD/truncated RMD, FMD, IFT-CG/Neumann, T1–T2, DARTS) runs on an
 * nn parameter tree through the same `estimate(problem, λ, context)` call. Needs
 * `@tensorflow/tfjs-core` and a backend (`await ready()` from `@descent/tensor/tf`).
 * @packageDocumentation
 */
export {
  nnBilevelProblem,
  treeWeightDecay,
  weightDecayDim,
  type DecayLayout,
  type NnBilevelOptions,
  type NnBilevelProblem,
  type TreeBilevelLoss,
} from './nnProblem';
export {
  mlpMetaPrior,
  type MetaTestOptions,
  type MlpMetaPriorOptions,
  type MlpMetaPriorProblem,
  type SinusoidTask,
} from './mlpMetaPrior';
