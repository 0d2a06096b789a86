/**
 * The one place where @descent/nn reaches the shared tf layer (decision D1: it moves to
 * `@descent/tensor/tf`; only this file changes then).
 * @internal
 * @module
 */
export {
  tf,
  fastMatMul,
  safeLogSoftmax,
  safeLogSumExp,
  safeSigmoid,
  safeSoftmax,
  safeSoftplus,
  safeTanh,
  softmaxCrossEntropy,
  withTapeCleanup,
} from '@descent/tensor/tf';
