/**
 * Versioned, validated serialisation: write blobs with `makeBlob`/`encodeNumber`, read them in
 * `fromJSON` with `openBlob` (typed errors naming the field path).
 * @module
 */
export * from './encode';
export * from './blobReader';
