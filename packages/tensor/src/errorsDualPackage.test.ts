/**
 * The dual-package hazard: two copies of the errors module (as when the ESM and the CJS build of
 * @descent/tensor are both loaded) still recognise each other's errors with `instanceof`.
 */
import * as A from './errors';

let B: typeof A;
jest.isolateModules(() => {
  B = require('./errors');
});

describe('DescentError across module copies', () => {
  it('the two copies are different classes', () => {
    expect(B.ValueError).not.toBe(A.ValueError);
  });

  it('instanceof matches the class and its bases across copies, and nothing else', () => {
    const e = new B.ValueError('x must be > 0, got -1', 'x');
    expect(e instanceof A.ValueError).toBe(true);
    expect(e instanceof A.DescentError).toBe(true);
    expect(e instanceof Error).toBe(true);
    expect(e instanceof A.ShapeError).toBe(false);
    expect(new A.ShapeError('s') instanceof B.ValueError).toBe(false);
    expect(new A.NotSupportedError('n') instanceof B.NotSupportedError).toBe(true);
  });

  it('user subclasses: matched by their own name too; plain errors and look-alikes are not matched', () => {
    class MyError extends B.ValueError {}
    const m = new MyError('m');
    expect(m instanceof A.ValueError).toBe(true);
    expect(m instanceof MyError).toBe(true);
    expect(new Error('plain') instanceof A.DescentError).toBe(false);
    expect({ name: 'ValueError' } instanceof A.ValueError).toBe(false);
    expect((null as unknown as object) instanceof A.DescentError).toBe(false);
  });

  it('names are stable and the brand is not enumerable (JSON and spreading are unchanged)', () => {
    const e = new A.ConvergenceError('no', 'maxIter');
    expect(e.name).toBe('ConvergenceError');
    expect(A.ConvergenceError.name).toBe('ConvergenceError');
    expect(Object.keys(e).sort()).toEqual(['argument', 'name']);
    expect(e.argument).toBe('maxIter');
  });
});
