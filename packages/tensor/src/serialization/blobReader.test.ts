import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { ShapeError, ValueError } from '../errors';
import type { Serializable } from '../protocols';
import { Rng } from '../rng';
import { encodeNumber, makeBlob, matrixToJSON, openBlob, vectorToJSON } from './index';
import { Matrix } from '../matrix';

/**
 * A small serialisable class written the way every descent class should be: `toJSON` writes a
 * versioned blob, `fromJSON` reads every field through `openBlob`.
 */
class NoisyWalk implements Serializable {
  constructor(
    readonly x: Float64Array,
    readonly rng: Rng,
    public best = Number.POSITIVE_INFINITY,
    readonly history: number[] = [],
    public pending: Float64Array | null = null,
  ) {}

  ask(): Float64Array {
    this.pending ??= this.x.map((v) => v + this.rng.normal());
    return this.pending.slice();
  }

  tell(f: number): void {
    const p = this.ask();
    if (f < this.best) {
      this.best = f;
      this.x.set(p);
    }
    this.history.push(f);
    this.pending = null;
  }

  toJSON() {
    return makeBlob('NoisyWalk', 1, {
      x: vectorToJSON(this.x),
      rng: this.rng.toJSON(),
      best: encodeNumber(this.best),
      history: this.history.slice(),
      pending: this.pending ? vectorToJSON(this.pending) : null,
    });
  }

  static fromJSON(json: unknown): NoisyWalk {
    const r = openBlob(json, { type: 'NoisyWalk', version: 1 });
    const x = r.vector('x', { minLength: 1 });
    return new NoisyWalk(
      x,
      r.rng('rng'),
      r.extendedNumber('best'),
      r.numbers('history'),
      r.nullable('pending', (p) => p.asVector({ length: x.length })),
    );
  }
}

const sphere = (v: Float64Array) => v.reduce((s, t) => s + t * t, 0);

function walk(seed: number, dim: number, steps: number, pending: boolean): NoisyWalk {
  const w = new NoisyWalk(new Float64Array(dim).fill(1), new Rng(seed));
  for (let k = 0; k < steps; k++) w.tell(sphere(w.ask()));
  if (pending) w.ask();
  return w;
}

describe('openBlob: the blob header', () => {
  it('accepts the blob or its JSON text', () => {
    const blob = walk(1, 2, 3, false).toJSON();
    expect(NoisyWalk.fromJSON(JSON.stringify(blob)).toJSON()).toEqual(blob);
  });

  it('rejects a wrong type, a wrong version and anything that is not a blob, naming what is wrong', () => {
    const blob = walk(1, 2, 3, false).toJSON();
    expect(() => NoisyWalk.fromJSON({ ...blob, type: 'CMAES' })).toThrow(
      new ValueError(`NoisyWalk.fromJSON: type must be 'NoisyWalk', got string "CMAES"`),
    );
    expect(() => NoisyWalk.fromJSON({ ...blob, version: 2 })).toThrow(/version must be 1 .*got 2/);
    expect(() => NoisyWalk.fromJSON(null)).toThrow(/json must be a NoisyWalk blob.*got null/);
    expect(() => NoisyWalk.fromJSON('{"type": "NoisyW')).toThrow(/not valid JSON/);
    expect(() => openBlob({ type: 'A', version: 3 }, { type: 'A', version: [1, 2] })).toThrow(
      'version must be 1 or 2',
    );
    expect(openBlob({ type: 'A', version: 2 }, { type: 'A', version: [1, 2] }).version).toBe(2);
  });
});

describe('BlobReader: every field checked, errors name the path', () => {
  const r = () =>
    openBlob(
      {
        type: 'T',
        version: 1,
        state: { C: [1, 2, 3, null], sigma: -1, n: 2.5, mode: 'x', M: [[1, 2], [3]] },
        inf: 'Infinity',
      },
      { type: 'T', version: 1 },
    );

  it('a null inside an array is a ValueError naming the element (never read as 0)', () => {
    expect(() => r().object('state').vector('C')).toThrow(
      new ValueError('T.fromJSON: state.C[3] must be a finite number, got null'),
    );
  });

  it('a wrong length is a ShapeError', () => {
    expect(() => r().object('state').at('C').asVector({ length: 3 })).toThrow(ShapeError);
    expect(() => r().object('state').matrix('M')).toThrow(ShapeError);
  });

  it('ranges, integers, enums, missing fields', () => {
    const s = r().object('state');
    expect(() => s.number('sigma', { gt: 0 })).toThrow('state.sigma must be a number > 0, got -1');
    expect(() => s.integer('n')).toThrow('state.n must be an integer, got 2.5');
    expect(() => s.oneOf('mode', ['a', 'b'])).toThrow(`state.mode must be one of 'a', 'b', got string "x"`);
    expect(() => s.number('missing')).toThrow('T.fromJSON: state.missing is missing');
    expect(s.optional('missing', (m) => m.asNumber(), 7)).toBe(7);
  });

  it('±Infinity only through the encoded strings', () => {
    expect(r().extendedNumber('inf')).toBe(Number.POSITIVE_INFINITY);
    expect(encodeNumber(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    const raw = openBlob({ type: 'T', version: 1, inf: Number.POSITIVE_INFINITY }, { type: 'T', version: 1 });
    expect(() => raw.extendedNumber('inf')).toThrow(ValueError);
  });

  it('matrices and rngs round-trip', () => {
    const M = Matrix.from([
      [1, 2],
      [3, 4.5],
    ]);
    const rng = new Rng('k');
    rng.normal();
    const b = openBlob(
      { type: 'T', version: 1, M: matrixToJSON(M), rng: rng.toJSON() },
      { type: 'T', version: 1 },
    );
    expect(b.matrix('M', { rows: 2, cols: 2 }).data).toEqual(M.data);
    expect(b.rng('rng').normal()).toBe(rng.normal());
    expect(() =>
      openBlob(
        { type: 'T', version: 1, rng: { key: [1, 2, 3], state: [1, 2, 3, 4] } },
        { type: 'T', version: 1 },
      ).rng('rng'),
    ).toThrow('rng.key must have length 4');
  });
});

describe('the testkit properties on a class written with openBlob', () => {
  it('round trip: random states continue bit for bit (pending batch included)', () => {
    checkRoundTrip({
      arbitrary: fc.record({
        seed: fc.integer(),
        dim: fc.integer({ min: 1, max: 4 }),
        steps: fc.nat(6),
        pending: fc.boolean(),
      }),
      make: ({ seed, dim, steps, pending }) => walk(seed, dim, steps, pending),
      fromJSON: NoisyWalk.fromJSON,
      advance: (w) => {
        const seen: Float64Array[] = [];
        for (let k = 0; k < 3; k++) {
          const x = w.ask();
          seen.push(x);
          w.tell(sphere(x));
        }
        return seen;
      },
    });
  });

  it('damaged blobs: a typed error naming the field, or a sound object', () => {
    const report = checkDamagedBlobs({
      blob: walk(3, 3, 4, true).toJSON(),
      fromJSON: NoisyWalk.fromJSON,
      probe: (w) => {
        const x = w.ask();
        w.tell(sphere(x));
        return [x, w.best];
      },
    });
    expect(report.tried).toBeGreaterThan(100);
    expect(report.typedErrors).toBeGreaterThan(report.tried / 2);
  });

  it('catches a fromJSON that does not validate', () => {
    const lax = (json: unknown) => {
      const j = json as ReturnType<NoisyWalk['toJSON']>;
      return new NoisyWalk(Float64Array.from(j.x), Rng.fromJSON(j.rng), Number(j.best), j.history, null);
    };
    expect(() => checkDamagedBlobs({ blob: walk(3, 2, 2, false).toJSON(), fromJSON: lax })).toThrow(
      /damaged blobs were not met/,
    );
  });
});
