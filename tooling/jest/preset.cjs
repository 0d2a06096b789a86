// Shared Jest preset for every package of the monorepo.
// - TypeScript sources are compiled by @swc/jest (no type checking: `pnpm typecheck` does that),
//   then wrapped so that hot built-ins are local bindings (fastGlobalsTransformer.cjs: Jest's vm
//   context makes global lookups ~20x slower).
// - `@descent/<pkg>` imports (and subpaths such as `@descent/tensor/tf`, and package.json
//   "imports" such as `#tfjs-registrations`) resolve to the workspace sources through the
//   `@descent/source` export condition, so tests never run against a stale dist.
// - globalSetup runs @descent/tensor's generation step (cheap when nothing changed), so one
//   package's tests run alone on a fresh clone (`pnpm --filter @descent/<pkg> test`).
// - Tests are colocated: `src/**/*.test.ts` beside the code they document.
const path = require('node:path');

const packagesDir = path.resolve(__dirname, '../../packages');

/** @type {(dir: string) => import('jest').Config} */
module.exports = function preset(dir) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['@descent/source', 'node', 'node-addons'] },
    globalSetup: require.resolve('./globalSetup.cjs'),
    roots: ['<rootDir>/src', ...(require('node:fs').existsSync(path.join(dir, 'bench')) ? ['<rootDir>/bench'] : [])],
    testMatch: ['**/*.test.ts'],
    moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
    transform: {
      '^.+\\.ts$': [
        require.resolve('./fastGlobalsTransformer.cjs'),
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@descent/testkit$': path.resolve(__dirname, '../testkit/src/index.ts'),
      '^@descent/([a-z0-9-]+)$': `${packagesDir}/$1/src/index.ts`,
    },
    testTimeout: 120000,
  };
};
