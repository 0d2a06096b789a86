/**
 * @descent/feature-averaging/tf: the tensor path for large sizes (the paper's d = 3072, n = 1000):
 * the two-layer nets as `@descent/nn` functional models, full-batch GD with nn's `sgd` and
 * `trainStep`, and PGD-ℓ₂ robust accuracy with the big products on tfjs (wasm). Needs
 * `@tensorflow/tfjs-core` and a backend (`await ready()` from `@descent/tensor/tf`).
 * @packageDocumentation
 */
export {
  fromParamTree,
  nnModel,
  toParamTree,
  trainGDTensor,
  type TrainGDTensorOptions,
} from './nnTwoLayer';
export { robustAccuracyTensor, type RobustAccuracyTensorOptions } from './tensorAttack';
