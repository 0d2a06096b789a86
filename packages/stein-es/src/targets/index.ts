export type { Target } from './target';
export { padWithGaussian } from './target';
export { gaussianTarget, G2_MEAN, G2_PRECISION, g2Covariance } from './gaussian';
export { gmm4Target, GMM4_MODES, GMM4_WEIGHTS, type Gmm4Options } from './gmm4';
export { bananaTarget, type BananaOptions } from './banana';
export { funnelTarget } from './funnel';
export { doubleBananaTarget } from './doubleBanana';
export { mixture1dTarget } from './mixture1d';
export {
  gaussianMixtureTarget,
  mixtureFamily,
  modeDiagnostics,
  nearestComponent,
  type GaussianMixtureOptions,
  type GaussianMixtureTarget,
  type ModeDiagnostics,
} from './gaussianMixture';
