/**
 * A typed error instead of tfjs's raw one when a tensor entry point runs before `ready()`.
 * @module
 */
import { NotSupportedError } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';

/**
 * Throws a {@link NotSupportedError} naming `ready()` unless a tfjs backend is initialised (tfjs
 * throws a raw `Error` from the first tensor op otherwise).
 */
export function requireBackend(what: string): void {
  try {
    tf.backend();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new NotSupportedError(
      `${what} needs an initialised tfjs backend: call \`await ready()\` from @descent/tensor/tf first (${reason})`,
      'ready()',
    );
  }
}
