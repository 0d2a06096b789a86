/**
 * @descent/nn: functional neural networks over explicit parameter trees for tfjs (wasm),
 * with losses whose Hessian-vector products are exact and optax-style optimizers.
 * @packageDocumentation
 */
export * from './tree';
export * from './serialize';
export * from './init';
export * from './layer';
export * from './layers/activation';
export * from './layers/dense';
export * from './layers/conv2d';
export * from './layers/pool';
export * from './layers/layerNorm';
export * from './layers/embedding';
export * from './layers/attention';
export * from './models/mlp';
export * from './models/cnn';
export * from './models/transformer';
export * from './losses';
export * from './optim';
export * from './grad';
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
