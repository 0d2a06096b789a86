module.exports = require('@descent/jest-preset')(__dirname);
