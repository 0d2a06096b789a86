/**
 * A small convolutional classifier builder: [conv k×k → activation → maxPool 2] × n → dense.
 * @module
 */
import { ValueError, assertInteger, describe } from '@descent/tensor';
import { type Layer, type Model, sequential } from '../layer';
import { type Activation, activation, assertActivation, flatten } from '../layers/activation';
import { conv2d } from '../layers/conv2d';
import { dense } from '../layers/dense';
import { maxPool2d } from '../layers/pool';

/** Options of {@link cnn}. */
export interface CnnOptions {
  /** Input shape [H, W, C] (NHWC without the batch), e.g. `[28, 28, 1]`. */
  inputShape: [number, number, number];
  /** Output channels of each conv block, e.g. `[8, 16]`. */
  channels: number[];
  /** Number of classes (the dense head's width). */
  classes: number;
  /** Kernel size of every conv (default 3, odd; 'same' padding). */
  kernelSize?: number;
  /** Activation after each conv (default `'relu'`). */
  activation?: Activation;
}

/**
 * `[conv(k×k, 'same') → activation → maxPool(2)] × channels.length → flatten → dense(classes)`,
 * groups `conv0 …, dense0`. The default `{ inputShape: [28, 28, 1], channels: [8, 16],
 * classes: 10 }` is the small MNIST CNN (conv 3×3×8 → pool → conv 3×3×16 → pool →
 * dense 10).
 *
 * ```ts
 * const model = cnn({ inputShape: [28, 28, 1], channels: [8, 16], classes: 10 });
 * ```
 */
export function cnn(options: CnnOptions): Model {
  const {
    inputShape,
    channels,
    classes,
    kernelSize = 3,
    activation: act = 'relu',
  } = options ?? ({} as CnnOptions);
  if (!Array.isArray(inputShape) || inputShape.length !== 3) {
    throw new ValueError(`inputShape must be [H, W, C], got ${describe(inputShape)}`, 'inputShape');
  }
  inputShape.forEach((s, i) => {
    assertInteger(`inputShape[${i}]`, s, 1);
  });
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new ValueError(
      `channels must be a non-empty array of channel counts, got ${describe(channels)}`,
      'channels',
    );
  }
  channels.forEach((c, i) => {
    assertInteger(`channels[${i}]`, c, 1);
  });
  assertInteger('classes', classes, 1);
  assertActivation('activation', act);
  let [h, w, c] = inputShape;
  const layers: Layer[] = [];
  for (const out of channels) {
    layers.push(conv2d({ inChannels: c, outChannels: out, kernelSize }), activation(act), maxPool2d(2));
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
    c = out;
    if (h < 1 || w < 1)
      throw new ValueError(
        `inputShape ${inputShape} is too small for ${channels.length} pooling stages`,
        'channels',
      );
  }
  layers.push(flatten(), dense({ inputs: h * w * c, units: classes }));
  return sequential(layers, {
    name: `cnn(${inputShape.join('×')}, conv${kernelSize}x${kernelSize} ${channels.join('-')}, ${classes})`,
  });
}
