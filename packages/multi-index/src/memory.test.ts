import { Rng, ready, tf } from '@descent/tensor';
import { MultiIndexTarget } from './multiIndexTarget';
import { populationSquaredLoss } from './populationLoss';
import { SphericalOnlineSGD } from './sphericalOnlineSGD';

describe('memory', () => {
  it('creates no tfjs tensors: tf.memory().numTensors is unchanged by the whole pipeline', async () => {
    await ready();
    const before = tf.memory().numTensors;
    const target = new MultiIndexTarget({ d: 8, P: 2, seed: 0 });
    const net = new SphericalOnlineSGD({ d: 8, m: 4, schedule: [{ steps: 20, lr: 0.002, batch: 8 }] });
    net.run(target);
    net.fitSecondLayer(target, { n: 200 });
    net.predict(target.sample(10, new Rng(1)).X);
    populationSquaredLoss(net.a, net.W, target, net.activation);
    expect(tf.memory().numTensors).toBe(before);
  });
});
