/**
 * Float64 dense linear algebra on {@link Matrix} and `Float64Array` (see ./README.md for the
 * algorithms, their sources and the choices made).
 * @module
 */

export { type CholeskyOptions, cholesky, choleskySolve, logDetSpd } from './cholesky';
export { type EighDecomposition, type EighOptions, eigh } from './eigh';
export type { RhsLike, VectorLike } from './internal';
export {
  type EigWhich,
  type MatVec,
  type TopEigsOptions,
  type TopEigsResult,
  type TopSingularOptions,
  type TopSingularResult,
  topEigs,
  topSingular,
} from './lanczos';
export { type LstsqResult, lstsq } from './lstsq';
export { det, inv, type LUDecomposition, lu, luSolve, slogdet, solve } from './lu';
export { gram, matmul, matTvec, matvec } from './products';
export { type QrDecomposition, type QrOptions, qr } from './qr';
export {
  type LinearOperator,
  type RandomizedSvdOptions,
  randomizedSvd,
  randomOrthonormal,
} from './randomized';
export { cond, pinv, rank, type SvdDecomposition, type SvdOptions, singularValues, svd } from './svd';
export { type TriangularSolveOptions, triangularSolve } from './triangularSolve';
export { add, axpy, dot, norm2, scale, sub } from './vector';
