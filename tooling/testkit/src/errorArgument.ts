/**
 * The bad-input check of every package's tests: call, expect one of descent's typed errors, read
 * the argument it names.
 * @module
 */
import { isDescentError } from './bits';

/**
 * Calls `f` and returns the `argument` named by the DescentError it throws (`undefined` if the
 * error names none), or `'no error'` when it returns normally (so `expect(errorArgument(…)).toBe(
 * 'lambda')` fails readably). Any other thrown value is rethrown inside an Error saying so.
 *
 * ```ts
 * expect(errorArgument(() => ridgeProblem(data).hypergradient([1, 1]))).toBe('lambda');
 * ```
 */
export function errorArgument(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isDescentError(e)) return e.argument;
    throw new Error(`expected a DescentError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  return 'no error';
}
