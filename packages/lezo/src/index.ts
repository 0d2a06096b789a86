/**
 * @descent/lezo: MeZO and LeZO zeroth-order fine-tuning for `@descent/nn` models —
 * seed-regenerated two-point SPSA on named parameters, layer-wise sparse perturbation, n-SPSA,
 * bit-exact replay from the step log, first-order baselines behind the same step interface, a
 * step-time split and honest tfjs memory measurement.
 * @packageDocumentation
 */
export * from './noise';
export * from './layerSelection';
export * from './perturb';
export * from './stepOptimizer';
export * from './zoLog';
export * from './zoSgd';
export * from './replay';
export * from './reference';
export * from './firstOrder';
export * from './memory';
export * from './fineTune';
