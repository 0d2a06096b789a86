import { readFileSync } from 'node:fs';
import { NotSupportedError, ShapeError, ValueError } from '@descent/tensor';
import { datasetInfo, datasetNames, datasets, decodeDataset, parseDataset, parseLabelFirstCsv } from './index';
import { dataDir, datasetPath, loadDataset } from './node';

describe('the shipped data sets', () => {
  it.each(datasetNames.map((n) => [n]))('%s loads with the size and provenance its info declares', (name) => {
    const info = datasets[name];
    const d = loadDataset(name);
    expect(d.name).toBe(name);
    expect(d.X.length).toBe(info.rows);
    expect(d.labels.length).toBe(info.rows);
    expect(d.X.every((x) => x.length === info.features && x.every(Number.isFinite))).toBe(true);
    for (const k of ['source', 'originalFile', 'conversion', 'licence', 'citation'] as const) {
      expect(info.provenance[k].length).toBeGreaterThan(5);
    }
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
    expect(() => loadDataset('digits', null as unknown as {})).toThrow(ValueError);
  });
  it('malformed CSV text', () => {
    expect(() => parseLabelFirstCsv('y,a,b\n1,2\n')).toThrow(ShapeError);
    expect(() => parseLabelFirstCsv('y,a\n1,x\n')).toThrow(/line 2: cell 2 must be a number/);
    expect(() => parseLabelFirstCsv('y,a\n1,\n')).toThrow(ValueError);
    expect(() => parseLabelFirstCsv('')).toThrow(ShapeError);
    expect(() => parseLabelFirstCsv(3 as unknown as string)).toThrow(ValueError);
    expect(() => parseDataset('digits', 'y,a\n1,2\n')).toThrow(/digits must have 1797 rows × 64 features, got 1 × 1/);
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
