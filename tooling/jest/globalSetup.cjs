// Jest global setup of every package: run @descent/tensor's generation step (tfjs
// registrations, and whatever else packages/tensor/scripts/generate.mjs lists). Each step
// regenerates only when its inputs' hash changed, so this costs ~0.1 s when nothing changed.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = function globalSetup() {
  const script = path.resolve(__dirname, '../../packages/tensor/scripts/generate.mjs');
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status ?? r.signal})`);
};
