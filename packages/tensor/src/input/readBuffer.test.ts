import { ShapeError, ValueError } from '../errors';
import { readBuffer } from './readBuffer';

describe('readBuffer (caller-owned Float64Array buffers)', () => {
  it('returns the same object, never a copy', () => {
    const w = new Float64Array([1, 2, 3]);
    expect(readBuffer(w, 'w')).toBe(w);
    expect(readBuffer(w, 'w', { length: 3 })).toBe(w);
    expect(readBuffer(w, 'w', { minLength: 2 })).toBe(w);
    const out = new Float64Array([Number.NaN, 0]);
    expect(readBuffer(out, 'out', { length: 2, finite: false })).toBe(out);
  });

  it('anything but a Float64Array is a ValueError naming the argument (arrays are not converted)', () => {
    for (const bad of [[1, 2, 3], new Float32Array(3), null, undefined, 'abc', 3]) {
      expect(() => readBuffer(bad, 'W')).toThrow(ValueError);
      expect(() => readBuffer(bad, 'W')).toThrow(/^W must be a Float64Array, got /);
    }
  });

  it('wrong lengths are ShapeErrors, non-finite entries ValueErrors with the index', () => {
    const w = new Float64Array([1, 2, 3]);
    expect(() => readBuffer(w, 'W', { length: 4, lengthName: 'm·d' })).toThrow(
      new ShapeError('W must have length m·d = 4, got length 3', 'W'),
    );
    expect(() => readBuffer(w, 'a', { minLength: 5 })).toThrow('a must have length >= 5, got length 3');
    expect(() => readBuffer(new Float64Array([0, Number.POSITIVE_INFINITY]), 'X')).toThrow(
      'X must contain only finite numbers, got Infinity at index 1',
    );
    try {
      readBuffer(new Float64Array([Number.NaN]), 'y');
    } catch (e) {
      expect(e).toBeInstanceOf(ValueError);
      expect((e as ValueError).argument).toBe('y');
    }
  });

  it('checks its own options and name', () => {
    const w = new Float64Array(2);
    expect(() => readBuffer(w, 'w', { length: -1 })).toThrow(/options.length must be an integer >= 0/);
    expect(() => readBuffer(w, 'w', { minLength: 1.5 })).toThrow(/options.minLength/);
    expect(() => readBuffer(w, 'w', null as never)).toThrow(/options must be an options object/);
    expect(() => readBuffer(w, 42 as never)).toThrow(ValueError);
  });
});
