/**
 * Documented results: calls that return on bad-looking input by design. Each entry names the
 * export, the inputs it covers, why, and the test or document that pins the behaviour down.
 * @module
 */

/** One documented behaviour. */
export interface Documented {
  package: string;
  /** Export name (or `Class#method`, `ns.member`), or a pattern. */
  export: string | RegExp;
  /** Which inputs (the case label), default all. */
  input?: RegExp;
  /** Which outcomes (the failure detail), default all. */
  outcome?: RegExp;
  reason: string;
  /** Where the behaviour is tested or documented. */
  test: string;
}

export const DOCUMENTED: Documented[] = [
  {
    package: 'tensor',
    export: 'describe',
    reason: 'describe is total: it describes any value for an error message',
    test: 'packages/tensor/src/errors.ts (TSDoc); tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'tensor',
    export: /^(isTensorLike|isStopReason)\(/,
    reason: 'a predicate answers false for anything that is not a tensor / a stop reason',
    test: 'packages/tensor/src/input/input.test.ts, protocols/protocols.test.ts',
  },
  {
    package: 'tensor',
    export: /^(median|quantile|medianInPlace|quantileInPlace|coordinateQuantile|coordinateMedian)\(/,
    input: /Infinity/,
    reason: 'the shared median/quantile contract: ±Infinity are ordered values (NaN is a ValueError)',
    test: 'packages/tensor/src/robustStats.test.ts "the shared median/quantile contract"',
  },
  {
    package: 'tensor',
    export: /^(new Rng|rng|Rng#fold|Rng#split|readSeed)\(/,
    input: /'abc'|«42»/,
    reason: 'seeds and stream keys are numbers or strings (any string is a valid, distinct key)',
    test: 'packages/tensor/src/rng.test.ts; options/options.test.ts (readSeed)',
  },
  {
    package: 'tensor',
    export: 'encodeNumber',
    input: /NaN|Infinity/,
    reason: "encodeNumber writes NaN/±Infinity as the strings 'NaN'/'Infinity'/'-Infinity' (that is its job)",
    test: 'packages/tensor/src/serialization/blobReader.test.ts',
  },
  {
    package: 'tensor',
    export: 'restateError',
    input: /^restateError\(«/,
    reason:
      'restateError returns anything that is not a DescentError about `state…` unchanged (it only renames paths)',
    test: 'packages/tensor/src/optim/transformation.ts (TSDoc); tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'tensor',
    export: /^(new BlobReader|BlobReader#valueError|BlobReader#asNullable|BlobReader#childPath)\(/,
    input: /^new BlobReader\(«|BlobReader#valueError\('a', «|callback|BlobReader#childPath\(«42»\)/,
    reason:
      'a BlobReader wraps any value (reading it validates); valueError describes any received value; asNullable returns what your read function returns; childPath takes field names and array indices',
    test: 'packages/tensor/src/serialization/blobReader.test.ts',
  },
  {
    package: 'tensor',
    export: /^withTapeCleanup\(/,
    input: /callback/,
    reason: 'withTapeCleanup returns what its function returns (it only cleans up when that function throws)',
    test: 'packages/tensor/src/tf/tensorLeaks.test.ts',
  },
  {
    package: 'tensor',
    export: 'Rng#shuffle',
    reason:
      'shuffle permutes the elements of any array or typed array, whatever they are (an empty one stays empty)',
    test: 'packages/tensor/src/rng.test.ts',
  },
  {
    package: 'tensor',
    export: /^(assertSchedule|evaluateSchedule|scaleBySchedule)\(/,
    input: /«42»/,
    reason: 'a schedule is a number (a constant) or a function of the step',
    test: 'packages/tensor/src/optim/optim.test.ts (schedules)',
  },
  {
    package: 'tensor',
    export: /^(vectorToJSON|matrixToJSON)\(/,
    input: /«\[\]»/,
    reason: 'an empty vector or matrix is written as an empty array (a valid state, e.g. an empty history)',
    test: 'packages/tensor/src/serialization/encode.ts (TSDoc); tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'tensor',
    export: /^(selectRecords|recordValues|paramValues)\(/,
    input: /^\w+\(«\[\]»/,
    reason: 'no records select no records (an empty array)',
    test: 'packages/tensor/src/benchRecords.test.ts',
  },
  {
    package: 'tensor',
    export: 'assertAllFinite',
    input: /«\[\]»/,
    reason:
      "an empty array has no non-finite entry (checking emptiness is the caller's choice: readVector does)",
    test: 'packages/tensor/src/errors.ts (TSDoc); tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'tensor',
    export: /^(gram|det|slogdet|inv|lu|singularValues|pinv|rank|eigh|qr|svd|cholesky|logDetSpd)\(«\[\]»/,
    reason:
      'a 0×0 matrix is a valid matrix: its decompositions are empty, det = 1 (the empty product), log det = 0, rank 0 (as numpy/LAPACK)',
    test: 'packages/tensor/src/linalg/emptyMatrices.test.ts',
  },
  {
    package: 'tensor',
    export: /^rank\(/,
    input: /«42»/,
    outcome: /returned 0\)/,
    reason: 'rank(A, tol) counts the singular values above tol: a tol above all of them gives 0',
    test: 'packages/tensor/src/linalg/emptyMatrices.test.ts "rank(A, tol) with tol above every singular value"',
  },
  {
    package: 'tensor',
    export: /^(norm2|dot|scale|add|sub|axpy|KernelArena#copyF64|KernelArena#copyF32)\(/,
    input: /«\[\]»/,
    outcome: /returned (0|Float(64|32)Array of length 0)\)/,
    reason: 'an empty vector is a vector of length 0: norm 0, empty sums 0, empty results (as numpy)',
    test: 'packages/tensor/src/linalg/vector.test.ts "empty vectors"; blas/kernels.test.ts "copies check their values"',
  },
  {
    package: 'tensor',
    export: /^fitPowerLaw\(/,
    input: /Infinity/,
    outcome: /bad input accepted/,
    reason:
      'fitPowerLaw fits over the points with finite, positive x and y by contract (a zero excess risk or a budget never reached is skipped; `points` counts the used ones); NaN and non-numbers are ValueErrors',
    test: 'packages/tensor/src/powerLaw.ts (TSDoc), powerLaw.test.ts; tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'forks-okl',
    export: /^(xorStream|codRnaLike)\(/,
    input: /, «'abc'»\)$/,
    reason: 'the seed (second argument) is a number or a string, the shared Rng rule (any string is a valid, distinct seed)',
    test: 'packages/forks-okl/src/streams.ts (seed: number | string); streams.test.ts',
  },
  {
    package: 'nn',
    export: /^(disposeTree|disposeState|disposeDataset)\(/,
    input: /^\w+\(«null»\)$|^disposeState\(«\[\]»\)$/,
    outcome: /returned undefined/,
    reason:
      'disposing nothing is a no-op by contract (null/undefined, or the empty partly built chain state []), so the disposers are safe in finally/catch blocks',
    test: 'packages/nn/src/tree.ts, serialize.ts, data.ts (TSDoc); tree.test.ts "every tree function names the bad argument"; tooling/fuzz/src/documented.test.ts (every input)',
  },
  {
    package: 'nn',
    export: 'scaleBySchedule',
    input: /«42»/,
    reason: "a schedule is a number (a constant) or a function of the step (tensor's Schedule)",
    test: 'packages/tensor/src/optim/optim.test.ts (schedules); tooling/fuzz/src/documented.test.ts (nn scaleBySchedule(42))',
  },
  {
    package: 'nn',
    export: 'toRng',
    input: /«'abc'»/,
    reason: 'seeds are numbers or strings (any string is a valid, distinct seed), the shared Rng rule',
    test: 'packages/tensor/src/rng.test.ts; packages/nn/src/layer.ts (SeedLike); tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'stein-es',
    export: 'centeredRanks',
    input: /Infinity/,
    reason: 'a failed evaluation (+Infinity) ranks worst, as evosax does',
    test: 'packages/stein-es/src/svOpenAiEs.test.ts; fitness.ts (TSDoc)',
  },
  {
    package: 'stein-es',
    export: 'evaluateBatch',
    input: /callback|«null»|«42»/,
    outcome: /non-finite/,
    reason:
      'a throwing objective or a NaN/±Inf value gives +Infinity for that candidate and is counted in `failed` (the documented failed-evaluation rule)',
    test: 'packages/stein-es/README.md "Objectives are batch functions"; minimize/sample stop with a ValueError when every evaluation fails',
  },
  {
    package: 'stein-es',
    export: 'countHimmelblauMinima',
    input: /«\[\]»/,
    reason: 'no points find no minima: 0',
    test: 'packages/stein-es/src/objectives.ts (TSDoc); tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'automata-grad',
    export: /^maxPlus\.(plus|times)\(/,
    input: /«-Infinity»/,
    outcome: /bad input accepted|non-finite/,
    reason:
      "max-plus's own 0̄ = −∞ (a ⊕ 0̄ = a, a ⊗ 0̄ = 0̄); +∞ is outside its carrier and stays a ValueError",
    test: 'packages/automata-grad/src/semiring.test.ts "carriers"; tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'automata-grad',
    export: /^maxMin\.(plus|times)\(/,
    input: /«-?Infinity»/,
    outcome: /bad input accepted|non-finite/,
    reason:
      "max-min's own 0̄ = −∞ and 1̄ = +∞ (a ⊕ 0̄ = a, a ⊗ 0̄ = 0̄, a ⊗ 1̄ = a, a ⊕ 1̄ = 1̄)",
    test: 'packages/automata-grad/src/semiring.test.ts "carriers"; tooling/fuzz/src/documented.test.ts',
  },
  {
    package: 'automata-grad',
    export: /^SymbolicAutomaton#addState\(/,
    input: /^SymbolicAutomaton#addState\(«42»/,
    reason: 'state ids are strings or finite numbers (StateId = string | number); 42 is a valid id',
    test: 'packages/automata-grad/src/automaton.ts (TSDoc of StateId); compile.test.ts builds automata with numeric ids; tooling/fuzz/src/documented.test.ts',
  },
];

/** The reason a failing-looking outcome is documented, or null. */
export function documentedFor(pkg: string, exportName: string, label: string, detail: string): string | null {
  for (const d of DOCUMENTED) {
    if (d.package !== pkg) continue;
    const nameOk =
      typeof d.export === 'string'
        ? d.export === exportName || label.startsWith(`${d.export}(`) || label.startsWith(`new ${d.export}(`)
        : d.export.test(label);
    if (!nameOk) continue;
    if (d.input && !d.input.test(label)) continue;
    if (d.outcome && !d.outcome.test(detail)) continue;
    return `${d.reason} (${d.test})`;
  }
  return null;
}
