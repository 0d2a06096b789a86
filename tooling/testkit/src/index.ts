/**
 * @descent/testkit: test helpers shared by every descent package (never published).
 *
 * - {@link checkRoundTrip}: random state → toJSON → JSON text → fromJSON continues bit for bit;
 * - {@link checkDamagedBlobs}: every damaged blob gives a typed error naming the field, or a sound object;
 * - {@link expectSameBits}, {@link isDescentError};
 * - {@link errorArgument}: the argument a bad-input call's DescentError names.
 * @packageDocumentation
 */
export * from './bits';
export * from './roundTrip';
export * from './damage';
export * from './errorArgument';
export { default as fc } from 'fast-check';
