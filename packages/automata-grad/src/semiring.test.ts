import { ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import fc from 'fast-check';
import {
  booleanSemiring,
  counting,
  logSemiring,
  maxMin,
  maxPlus,
  softMaxMin,
  type Semiring,
} from './semiring';

const real = fc.double({ min: -50, max: 50, noNaN: true });
/** Elements of the carrier, including the exact zero (−∞) of the max-semirings. */
const elem = (s: Semiring) =>
  s.name === 'boolean'
    ? fc.constantFrom(0, 1)
    : s.name === 'counting'
      ? fc.integer({ min: -20, max: 20 })
      : fc.oneof({ weight: 8, arbitrary: real }, { weight: 1, arbitrary: fc.constant(s.zero) });

function close(a: number, b: number, tol = 1e-9): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

const laws: [string, Semiring][] = [
  ['maxPlus', maxPlus],
  ['maxMin', maxMin],
  ['boolean', booleanSemiring],
  ['counting', counting],
  ['log τ=1', logSemiring({ tau: 1 })],
  ['log τ=0.1', logSemiring({ tau: 0.1 })],
];

describe.each(laws)('%s satisfies the semiring laws (property tests, float64)', (_, s) => {
  it('⊕ and ⊗ are associative, ⊕ is commutative', () => {
    fc.assert(
      fc.property(elem(s), elem(s), elem(s), (a, b, c) => {
        return (
          close(s.plus(s.plus(a, b), c), s.plus(a, s.plus(b, c))) &&
          close(s.times(s.times(a, b), c), s.times(a, s.times(b, c))) &&
          close(s.plus(a, b), s.plus(b, a))
        );
      }),
    );
  });
  it('⊗ distributes over ⊕ on both sides', () => {
    fc.assert(
      fc.property(elem(s), elem(s), elem(s), (a, b, c) => {
        return (
          close(s.times(a, s.plus(b, c)), s.plus(s.times(a, b), s.times(a, c))) &&
          close(s.times(s.plus(b, c), a), s.plus(s.times(b, a), s.times(c, a)))
        );
      }),
    );
  });
  it('0̄ and 1̄ are identities and 0̄ annihilates', () => {
    fc.assert(
      fc.property(elem(s), (a) => {
        return (
          close(s.plus(a, s.zero), a) &&
          close(s.times(a, s.one), a) &&
          s.times(a, s.zero) === s.zero &&
          s.isTrueSemiring
        );
      }),
    );
  });
});

describe('soft max-min is not a semiring', () => {
  it('declares it, and distributivity fails by O(τ) (asserted, not skipped)', () => {
    for (const tau of [1, 0.1]) {
      const s = softMaxMin({ tau });
      expect(s.isTrueSemiring).toBe(false);
      // at a = b = c = 0: a ⊗ (b ⊕ c) = softmin(0, τ log 2) but (a ⊗ b) ⊕ (a ⊗ c) = −τ log 2 + τ log 2 = 0
      const a = 0;
      const b = 0;
      const c = 0;
      const lhs = s.times(a, s.plus(b, c));
      const rhs = s.plus(s.times(a, b), s.times(a, c));
      expect(Math.abs(lhs - rhs)).toBeGreaterThan(0.1 * tau);
      expect(Math.abs(lhs - rhs)).toBeLessThan(3 * tau);
    }
  });
  it('becomes max-min as τ → 0', () => {
    fc.assert(
      fc.property(real, real, (a, b) => {
        const s = softMaxMin({ tau: 1e-3 });
        return (
          Math.abs(s.times(a, b) - Math.min(a, b)) < 1e-3 && Math.abs(s.plus(a, b) - Math.max(a, b)) < 1e-3
        );
      }),
    );
  });
});

describe('log semiring temperature', () => {
  it('max ≤ a ⊕_τ b ≤ max + τ log 2 and rejects τ ≤ 0 with a typed error', () => {
    fc.assert(
      fc.property(real, real, fc.double({ min: 1e-3, max: 10, noNaN: true }), (a, b, tau) => {
        const v = logSemiring({ tau }).plus(a, b);
        return v >= Math.max(a, b) - 1e-12 && v <= Math.max(a, b) + tau * Math.log(2) + 1e-9;
      }),
    );
    expect(() => logSemiring({ tau: 0 })).toThrow(/tau must be > 0, got 0/);
    expect(() => softMaxMin({ tau: -1 })).toThrow(/tau must be > 0/);
  });
});

describe('tensor twins agree with the plain-number operations (float32)', () => {
  beforeAll(async () => {
    const { ready } = await import('@descent/tensor/tf');
    await ready();
  });
  const all: [string, Semiring][] = [...laws, ['softMaxMin τ=0.5', softMaxMin({ tau: 0.5 })]];
  it.each(all)('%s: plusT, timesT, sumT', async (_, s) => {
    const { tf } = await import('@descent/tensor/tf');
    const vals = s.name === 'boolean' ? [0, 1, 1, 0, 1] : [-3.5, 0.25, -0.75, 2, -1.25];
    const other = s.name === 'boolean' ? [1, 1, 0, 0, 1] : [1.5, -2, -0.75, 0.5, -4];
    const a = tf.tensor1d(vals);
    const b = tf.tensor1d(other);
    const plus = tf.tidy(() => Array.from(s.plusT(a, b).dataSync()));
    const times = tf.tidy(() => Array.from(s.timesT(a, b).dataSync()));
    const sum = tf.tidy(() => s.sumT(a, 0).dataSync()[0]);
    vals.forEach((v, i) => {
      expect(plus[i]).toBeCloseTo(s.plus(v, other[i]), 4);
      expect(times[i]).toBeCloseTo(s.times(v, other[i]), 4);
    });
    expect(sum).toBeCloseTo(
      vals.reduce((p, q) => s.plus(p, q)),
      4,
    );
    tf.dispose([a, b]);
  });
});

describe('carriers: plain operations accept exactly the semiring’s values', () => {
  it('±Infinity only where it is the semiring’s 0̄ (−∞) or 1̄ (+∞); NaN, non-numbers and other infinities are ValueErrors naming the argument', () => {
    // max-plus and log: ℝ ∪ {−∞}; −∞ = 0̄ annihilates ⊗ and is neutral for ⊕
    for (const s of [maxPlus, logSemiring({ tau: 0.5 })]) {
      expect(s.plus(-Infinity, 2)).toBe(2);
      expect(s.times(2, -Infinity)).toBe(-Infinity);
      expect(() => s.plus(Infinity, 2)).toThrow(/a must be a finite number or -Infinity, got Infinity/);
      expect(() => s.times(2, Number.NaN)).toThrow(ValueError);
    }
    // max-min and soft max-min: ℝ ∪ {±∞}; +∞ = 1̄ is neutral for ⊗
    for (const s of [maxMin, softMaxMin({ tau: 0.5 })]) {
      expect(s.times(Infinity, 2)).toBeCloseTo(2, 12);
      expect(s.plus(-Infinity, 2)).toBeCloseTo(2, 12);
      expect(() => s.plus(Number.NaN, 2)).toThrow(/a must be a finite number or ±Infinity, got NaN/);
    }
    // Boolean and counting: finite values only
    for (const s of [booleanSemiring, counting]) {
      expect(() => s.plus(Infinity, 1)).toThrow(/a must be a finite number, got Infinity/);
      expect(() => s.times(1, '1' as unknown as number)).toThrow(/b must be a finite number/);
    }
    try {
      maxPlus.plus(1, Infinity);
    } catch (e) {
      expect((e as ValueError).argument).toBe('b');
    }
  });

  it('tensor operations reject non-tensors, disposed tensors and bad axes with ValueErrors', async () => {
    await ready();
    const a = tf.tensor1d([1, 2]);
    const gone = tf.tensor1d([1, 2]);
    gone.dispose();
    expect(() => maxPlus.plusT(a, null as unknown as tf.Tensor)).toThrow(/b must be a tensor, got null/);
    expect(() => maxPlus.timesT(gone, a)).toThrow(/a must be a live tensor/);
    expect(() => counting.sumT(a, 1)).toThrow(/axis must be an integer in \[-1, 1\), got 1/);
    expect(() => maxMin.clampT(Number.NaN as unknown as tf.Tensor)).toThrow(/x must be a tensor, got NaN/);
    a.dispose();
  });
});
