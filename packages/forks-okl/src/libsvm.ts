/**
 * A LIBSVM / svmlight format parser: `label index:value index:value ...` with 1-based
 * increasing indices, `#` comments and blank lines allowed. Labels are mapped to ±1
 * (`> 0` → +1, else −1, or by `positiveLabel`). Malformed lines raise a {@link ValueError}
 * naming the line number.
 * @module
 */
import { ValueError, assertInteger, describe, readNumber, readOptions, readVector } from '@descent/tensor';
import type { Stream } from './streams';
import type { Label } from './types';

/** Options of {@link parseLibsvm}. */
export interface LibsvmOptions {
  /** Feature dimension (default: the largest index seen). */
  dim?: number;
  /** The raw label that maps to +1 (default: any label > 0). */
  positiveLabel?: number;
  /** Stream name (default 'libsvm'). */
  name?: string;
}

/** Parses LIBSVM text into a dense {@link Stream}. */
export function parseLibsvm(text: string, o: LibsvmOptions = {}): Stream {
  if (typeof text !== 'string') throw new ValueError(`text must be a string, got ${describe(text)}`, 'text');
  readOptions(o);
  if (o.dim !== undefined) assertInteger('dim', o.dim, 1);
  if (o.positiveLabel !== undefined) readNumber(o.positiveLabel, 'positiveLabel');
  if (o.name !== undefined && typeof o.name !== 'string') throw new ValueError(`name must be a string, got ${describe(o.name)}`, 'name');
  const rows: { label: Label; idx: number[]; val: number[] }[] = [];
  let maxIdx = 0;
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].replace(/#.*$/, '').trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    const raw = Number(parts[0]);
    if (!Number.isFinite(raw) || parts[0] === '') throw new ValueError(`line ${ln + 1}: label must be a number, got ${JSON.stringify(parts[0])}`, 'text');
    const label: Label = o.positiveLabel !== undefined ? (raw === o.positiveLabel ? 1 : -1) : raw > 0 ? 1 : -1;
    const idx: number[] = [];
    const val: number[] = [];
    let prev = 0;
    for (let p = 1; p < parts.length; p++) {
      const m = /^(\d+):(.+)$/.exec(parts[p]);
      if (!m) throw new ValueError(`line ${ln + 1}: expected index:value, got ${JSON.stringify(parts[p])}`, 'text');
      const i = Number(m[1]);
      const v = Number(m[2]);
      if (!Number.isInteger(i) || i < 1) throw new ValueError(`line ${ln + 1}: index must be an integer >= 1, got ${m[1]}`, 'text');
      if (i <= prev) throw new ValueError(`line ${ln + 1}: indices must be strictly increasing, got ${i} after ${prev}`, 'text');
      if (!Number.isFinite(v)) throw new ValueError(`line ${ln + 1}: value must be a finite number, got ${JSON.stringify(m[2])}`, 'text');
      if (o.dim !== undefined && i > o.dim) throw new ValueError(`line ${ln + 1}: index must be <= dim (${o.dim}), got ${i}`, 'text');
      prev = i;
      idx.push(i - 1);
      val.push(v);
    }
    if (prev > maxIdx) maxIdx = prev;
    rows.push({ label, idx, val });
  }
  const dim = o.dim ?? Math.max(1, maxIdx);
  const X = rows.map((r) => {
    const x = new Float64Array(dim);
    for (let t = 0; t < r.idx.length; t++) x[r.idx[t]] = r.val[t];
    return x;
  });
  return { name: o.name ?? 'libsvm', dim, X, y: rows.map((r) => r.label) };
}

/** Writes a stream in LIBSVM format (zeros omitted). */
export function formatLibsvm(s: { X: ArrayLike<ArrayLike<number>>; y: ArrayLike<number> }): string {
  readOptions(s, 's');
  const Xs = s.X as unknown;
  const ys = s.y as unknown;
  if (Xs == null || typeof (Xs as ArrayLike<unknown>).length !== 'number' || typeof Xs === 'string') throw new ValueError(`s.X must be an array of rows, got ${describe(Xs)}`, 's.X');
  const labels = readVector(ys, 's.y', { length: s.X.length, allowEmpty: true });
  const out: string[] = [];
  for (let t = 0; t < s.X.length; t++) {
    const x = readVector(s.X[t], `s.X[${t}]`, { allowEmpty: true });
    const parts = [String(labels[t] > 0 ? '+1' : '-1')];
    for (let j = 0; j < x.length; j++) if (x[j] !== 0) parts.push(`${j + 1}:${x[j]}`);
    out.push(parts.join(' '));
  }
  return `${out.join('\n')}\n`;
}
