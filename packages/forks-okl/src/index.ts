/**
 * @descent/forks-okl: FORKS second-order online kernel learning (Wen et al., arXiv 2410.11188,
 * IJCAI 2025) with its baselines, building blocks, evaluation and data.
 * @packageDocumentation
 */
export * from './types';
export * from './loss';
export * from './kernel';
export * from './onlineLearner';
export * from './supportSet';
export * from './countSketch';
export * from './shermanMorrison';
export * from './onsStep';
export * from './randomFourierFeatures';
export * from './nystromFeatureMap';
export * from './fastSpsdFeatureMap';
export * from './truncatedIncrementalSvd';
export * from './symmetricIncrementalEig';
export * from './frequentDirections';
export * from './decompositions';
export * from './incrementalPseudoInverse';
export * from './kernelWidth';
export * from './sketchedKernelLearner';
export * from './forks';
export * from './baselines/skeGd';
export * from './baselines/kernelOgd';
export * from './baselines/kernelPegasos';
export * from './baselines/bogd';
export * from './baselines/rbp';
export * from './baselines/bpaS';
export * from './baselines/projectron';
export * from './baselines/fogd';
export * from './baselines/ons';
export * from './streams';
export * from './baselines/nogd';
export * from './baselines/prosNKons';
export * from './evaluate';
export * from './libsvm';
export * from './datasets';
