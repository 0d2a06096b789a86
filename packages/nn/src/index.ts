/**
 * @descent/nn: functional neural networks over explicit parameter trees for tfjs (wasm),
 * with losses whose Hessian-vector products are exact and optax-style optimizers.
 * @packageDocumentation
 */
export * from './tree';
export {
  type Json,
  type TensorJson,
  type TreeJson,
  tensorToJSON,
  tensorFromJSON,
  treeToJSON,
  treeFromJSON,
  stateToJSON,
  stateFromJSON,
  disposeState,
} from './serialize';
export { type Initializer, assertInitializer, initTensor } from './init';
export * from './layer';
export { type Activation, assertActivation, activate, activation, flatten } from './layers/activation';
export * from './layers/dense';
export { type Conv2dOptions, conv2dStride1, conv2d } from './layers/conv2d';
export * from './layers/pool';
export { type LayerNormOptions, layerNorm } from './layers/layerNorm';
export * from './layers/embedding';
export { type SelfAttentionOptions, causalSelfAttention, selfAttention } from './layers/attention';
export * from './models/mlp';
export * from './models/cnn';
export * from './models/transformer';
export * from './losses';
export * from './optim';
export {
  type TreeObjective,
  type TreeValueAndGrad,
  type TreeGradOptions,
  valueAndGradTree,
  objective,
  rebuildTree,
} from './grad';
export * from './train';
export * from './curvature/hvp';
export * from './curvature/objective';
export * from './curvature/flatHvp';
export * from './curvature/hessianEigs';
export * from './curvature/powerIteration';
export * from './curvature/hutchinson';
export * from './curvature/lineLoss';
export * from './curvature/hessianMatrix';
export * from './data';
export * from './trainer';
export * from './adversarial';
