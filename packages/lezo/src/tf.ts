/**
 * The one place where @descent/lezo reaches the shared tf layer (decision D1).
 * @internal
 * @module
 */
export { tf } from '@descent/tensor/tf';
