module.exports = require('@descent/tsup-config')();
