/**
 * @descent/stein-es/tf: the tfjs part of stein-es. Importing it enables `kernelBackend: 'tensor'`
 * (SV-CMA-ES and SVGD kernel terms on float32 tensors, for many particles) and SVGD targets given
 * as a tensor log-density (`{ logDensityTensor }`, scores by autodiff). Re-exports `ready`.
 * @packageDocumentation
 */
import { grad, tf } from '@descent/tensor/tf';
import { registerTensorHooks } from '../tensorHooks';
import { rbfRepulsionTensor, svgdDirectionTensor } from './kernelTensor';

registerTensorHooks({
  rbfRepulsion: rbfRepulsionTensor,
  svgdDirection: svgdDirectionTensor,
  scores(logDensityTensor, flat, n, d) {
    return grad((v) => {
      const X = tf.reshape(v, [n, d]) as tf.Tensor2D;
      return tf.sum(logDensityTensor(X) as tf.Tensor);
    })(flat);
  },
});

export { rbfRepulsionTensor, svgdDirectionTensor };
export { type BackendInfo, type ReadyOptions, backendInfo, ready } from '@descent/tensor/tf';
