const config = require('@descent/jest-preset')(__dirname);

// Same swc options as the preset, through a wrapper that binds `Math` per module (see the file).
const [[pattern, [, swcOptions]]] = Object.entries(config.transform);
config.transform = { [pattern]: [require.resolve('./jest.mathTransform.cjs'), swcOptions] };

module.exports = config;
