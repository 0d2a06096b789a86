import { ready, tf } from '@descent/tensor/tf';
import { SymbolicAutomaton, box, compile, not } from './index';

/** The authors' one visible task (automatix tests/nfa/test_jax_automaton_operator.py): red, then green, then orange. */
function circleTask() {
  const red = box([0, -1], [0.9, -0.5], { name: 'red' });
  const green = box([0.2, 0.8], [0.7, 1.2], { name: 'green' });
  const orange = box([-1, -0.2], [-0.7, 0.5], { name: 'orange' });
  const aut = new SymbolicAutomaton()
    .addState(0, { initial: true })
    .addState(1)
    .addState(2)
    .addState(3, { accepting: true })
    .addEdge(0, 0, not(red))
    .addEdge(0, 1, red)
    .addEdge(1, 1, not(green))
    .addEdge(1, 2, green)
    .addEdge(2, 2, not(orange))
    .addEdge(2, 3, orange)
    .addEdge(3, 3, true);
  return aut;
}

/** 1500 points at angles −π/2 → 3π/2 (counter-clockwise from the bottom), or the same points reversed. */
function circle(radius: number, ccw: boolean, n = 1500): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const th = -Math.PI / 2 + (2 * Math.PI * i) / (n - 1);
    out.push([radius * Math.cos(th), radius * Math.sin(th)]);
  }
  return ccw ? out : out.reverse();
}

beforeAll(async () => {
  await ready();
});

describe('circle fixtures (paper code geometry, max-plus, violation weights)', () => {
  const aut = circleTask();
  const op = compile(aut, 'maxPlus');

  it('counter-clockwise unit circle is accepted with W = 0', () => {
    const xs = circle(1, true);
    expect(aut.accepts(xs)).toBe(true);
    expect(op.scoreValue(xs)).toBe(0);
    const w = op.score(xs);
    expect(w.dataSync()[0]).toBeCloseTo(0, 5);
    w.dispose();
  });

  it('clockwise is rejected (orange before green), W ≈ −1.0236', () => {
    const xs = circle(1, false);
    expect(aut.accepts(xs)).toBe(false);
    expect(op.scoreValue(xs)).toBeCloseTo(-1.0236, 3);
    const w = op.score(xs);
    expect(w.dataSync()[0]).toBeCloseTo(-1.0236, 3);
    w.dispose();
  });

  it('radius 0.75 just misses the boxes, W ≈ −0.0746', () => {
    const xs = circle(0.75, true);
    expect(aut.accepts(xs)).toBe(false);
    expect(op.scoreValue(xs)).toBeCloseTo(-0.0746, 3);
    const w = op.score(xs, { reduce: 'scan' });
    expect(w.dataSync()[0]).toBeCloseTo(-0.0746, 3);
    w.dispose();
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    tf.dispose(op.score(circle(1, false)));
    expect(tf.memory().numTensors).toBe(before);
  });
});
