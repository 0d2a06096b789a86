import { Rng } from '@descent/tensor';
import { matrixToTensor, ready, tf } from '@descent/tensor/tf';
import { MultiIndexTarget } from './multiIndexTarget';
import { populationSquaredLoss } from './populationLoss';
import { SphericalOnlineSGD } from './sphericalOnlineSGD';

describe('memory', () => {
  it('creates no tfjs tensors: tf.memory().numTensors is unchanged by the whole pipeline', async () => {
    await ready();
    const before = tf.memory().numTensors;
    const target = new MultiIndexTarget({ d: 8, P: 2, seed: 0 });
    const net = new SphericalOnlineSGD({
      target,
      m: 4,
      schedule: [{ steps: 20, learningRate: 0.002, batch: 8 }],
    });
    net.run(target);
    net.fitSecondLayer(target, { n: 200 });
    net.predict(target.sample(10, new Rng(1)).X);
    populationSquaredLoss(net.a, net.W, target, net.activation);
    expect(tf.memory().numTensors).toBe(before);
    // tensor inputs are read, not disposed or leaked; predictions agree with the Matrix path
    const { X } = target.sample(3, new Rng(2));
    const Xt = matrixToTensor(X);
    const fromTensor = net.predict(Xt);
    const fromArrays = net.predict(X.toArray());
    expect(Array.from(fromTensor)).toEqual(Array.from(net.predict(X)).map((v) => expect.closeTo(v, 4)));
    expect(Array.from(fromArrays)).toEqual(Array.from(net.predict(X)));
    Xt.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
