import { ValueError } from '../errors';
import { option, readEnum, readInteger, readNumber, readSeed, resolveOptions } from './index';

describe('scalar option readers: ValueError naming the option', () => {
  it('numbers: finite, within the bounds', () => {
    expect(() => readNumber(-1, 'sigma0', { gt: 0 })).toThrow(new ValueError('sigma0 must be > 0, got -1'));
    expect(() => readNumber(Number.NaN, 'tol')).toThrow('tol must be a finite number, got NaN');
    expect(() => readNumber('1', 'tol')).toThrow('tol must be a finite number, got string "1"');
    expect(readNumber(Number.POSITIVE_INFINITY, 'maxEvals', { allowInfinity: true })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('integers: negative and fractional sizes are rejected', () => {
    expect(() => readInteger(2.5, 'popSize', { min: 2 })).toThrow('popSize must be an integer >= 2, got 2.5');
    expect(() => readInteger(-3, 'dim', { min: 1 })).toThrow(ValueError);
    expect(() => readInteger(Number.POSITIVE_INFINITY, 'dim', { min: 1 })).toThrow(ValueError);
    expect(readInteger(Number.POSITIVE_INFINITY, 'maxSteps', { min: 1, allowInfinity: true })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('enums are a ValueError (never NotSupportedError), seeds are number | string', () => {
    expect(() => readEnum('gpu', 'backend', ['wasm', 'cpu'])).toThrow(
      new ValueError(`backend must be one of 'wasm', 'cpu', got string "gpu"`),
    );
    expect(readSeed('run-7')).toBe('run-7');
    expect(readSeed(0.5)).toBe(0.5);
    expect(() => readSeed(Number.NaN)).toThrow('seed must be a finite number or a string, got NaN');
    expect(() => readSeed(null)).toThrow(ValueError);
  });
});

describe('resolveOptions', () => {
  const schema = {
    sigma0: option.number({ gt: 0, required: true }),
    popSize: option.integer({ min: 2 }),
    preset: option.oneOf(['pycma', 'tutorial'], { default: 'pycma' }),
    maxEvals: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
    learningRate: option.number({ min: 0, default: 1e-3 }),
    seed: option.seed(),
    onStep: option.func<(step: number) => void>(),
    mean0: option.vector({ length: 2 }),
  };

  it('fills defaults, keeps optional options undefined, and types the result', () => {
    const o = resolveOptions({ sigma0: 0.5, mean0: [1, 2] }, schema);
    expect(o).toEqual({
      sigma0: 0.5,
      popSize: undefined,
      preset: 'pycma',
      maxEvals: Number.POSITIVE_INFINITY,
      learningRate: 1e-3,
      seed: 0,
      onStep: undefined,
      mean0: Float64Array.from([1, 2]),
    });
    const sigma: number = o.sigma0; // required → number
    const pop: number | undefined = o.popSize; // optional → number | undefined
    const preset: 'pycma' | 'tutorial' = o.preset;
    expect([sigma, pop, preset]).toEqual([0.5, undefined, 'pycma']);
  });

  it('a missing required option, a bad value, a typo and a renamed option are ValueErrors naming them', () => {
    expect(() => resolveOptions({}, schema)).toThrow(new ValueError('sigma0 is required, got undefined'));
    expect(() => resolveOptions({ sigma0: 1, preset: 'x' }, schema)).toThrow(
      `preset must be one of 'pycma', 'tutorial'`,
    );
    expect(() => resolveOptions({ sigma0: 1, popsize: 4 }, schema)).toThrow(
      /popsize is not an option of options \(did you mean popSize\?\)/,
    );
    expect(() => resolveOptions({ sigma0: 1, lr: 0.1 }, schema, { renamed: { lr: 'learningRate' } })).toThrow(
      'lr was renamed to learningRate: pass learningRate instead',
    );
    expect(() => resolveOptions({ sigma0: 1, mean0: [1, 2, 3] }, schema)).toThrow(
      'mean0 must have length 2, got 3',
    );
    expect(() => resolveOptions(null, schema, { name: 'CMAES options' })).toThrow(
      'CMAES options must be an object, got null',
    );
    expect(resolveOptions({ sigma0: 1, extra: 1 }, schema, { allowUnknown: true }).sigma0).toBe(1);
  });

  it('undefined counts as absent', () => {
    expect(resolveOptions({ sigma0: 1, preset: undefined }, schema).preset).toBe('pycma');
  });
});
