import { readFileSync } from 'node:fs';
import { experiments } from './experiments';
const [dir, name] = process.argv.slice(2);
const d = JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8'));
const e = experiments.find((x) => x.name === name);
console.log(e?.verdict?.(d.records));
