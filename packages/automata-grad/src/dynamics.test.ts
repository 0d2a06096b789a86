import { ready, tf } from '@descent/tensor/tf';
import {
  adaptiveCruiseControl,
  doubleIntegrator,
  singleIntegrator,
  unicycle,
  type Dynamics,
} from './dynamics';

beforeAll(async () => {
  await ready();
});

/** The loop-free rollout equals iterating the plain-number step (and the batched tensor step). */
describe.each<[string, Dynamics, number[]]>([
  ['single integrator', singleIntegrator({ dt: 0.1 }), [0.5, -1]],
  ['double integrator', doubleIntegrator({ dt: 0.1 }), [0.5, -1, 0.2, 0.3]],
  ['unicycle', unicycle({ dt: 0.1 }), [0.5, -1, 0.4]],
  [
    'adaptive cruise control',
    adaptiveCruiseControl({ dt: 0.1, vLead: Array.from({ length: 7 }, (_, t) => 20 + t) }),
    [30, 18],
  ],
])('%s', (_, sys, x0) => {
  it('rollout = iterated step', () => {
    const T = 7;
    const u = Array.from({ length: T }, (_, t) =>
      Array.from({ length: sys.controlDim }, (_, i) => Math.sin(t + 2 * i)),
    );
    const got = tf.tidy(() => sys.rollout(tf.tensor1d(x0), tf.tensor2d(u)).arraySync()) as number[][];
    expect(got.length).toBe(T + 1);
    let x: ArrayLike<number> = x0;
    let xb = tf.tensor2d([x0]);
    for (let t = 0; t <= T; t++) {
      for (let i = 0; i < sys.stateDim; i++) expect(got[t][i]).toBeCloseTo(x[i], 4);
      const b = xb.arraySync()[0];
      for (let i = 0; i < sys.stateDim; i++) expect(b[i]).toBeCloseTo(x[i], 4);
      if (t < T) {
        x = sys.stepValue(x, u[t], t);
        const next = tf.tidy(() => sys.step(xb, tf.tensor2d([u[t]]), t));
        xb.dispose();
        xb = next;
      }
    }
    xb.dispose();
  });
});
