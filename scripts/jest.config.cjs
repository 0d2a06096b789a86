// Tests of the repository scripts (the README example convention of the consumer check).
const preset = require('../tooling/jest/preset.cjs')(__dirname);
module.exports = { ...preset, displayName: 'scripts', roots: ['<rootDir>'], testPathIgnorePatterns: ['/node_modules/'] };
