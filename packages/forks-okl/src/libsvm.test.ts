import { ValueError } from '@descent/tensor';
import { formatLibsvm, parseLibsvm } from './libsvm';
import { codRnaLike } from './streams';

describe('parseLibsvm', () => {
  it('parses labels, sparse indices, comments and blank lines', () => {
    const s = parseLibsvm('+1 1:0.5 3:-2 # a comment\n\n-1 2:1\n2 1:1\n');
    expect(s.dim).toBe(3);
    expect(s.y).toEqual([1, -1, 1]);
    expect(Array.from(s.X[0])).toEqual([0.5, 0, -2]);
    expect(Array.from(s.X[1])).toEqual([0, 1, 0]);
  });

  it('maps labels with positiveLabel (e.g. german.numer 1/2)', () => {
    expect(parseLibsvm('1 1:1\n2 1:2\n', { positiveLabel: 1 }).y).toEqual([1, -1]);
  });

  it('round-trips with formatLibsvm', () => {
    const s = codRnaLike(20, 1);
    const back = parseLibsvm(formatLibsvm(s), { dim: 8 });
    expect(back.y).toEqual(s.y);
    for (let i = 0; i < 20; i++) expect(Array.from(back.X[i])).toEqual(Array.from(s.X[i]));
  });

  it('reports malformed lines with their line number', () => {
    expect(() => parseLibsvm('+1 1:1\n+1 2:x\n')).toThrow('line 2: value must be a finite number, got "x"');
    expect(() => parseLibsvm('+1 1:1\nfoo 1:1\n')).toThrow('line 2: label must be a number');
    expect(() => parseLibsvm('+1 3:1 2:1\n')).toThrow('line 1: indices must be strictly increasing, got 2 after 3');
    expect(() => parseLibsvm('\n+1 0:1\n')).toThrow('line 2: index must be an integer >= 1, got 0');
    expect(() => parseLibsvm('+1 1-1\n')).toThrow(ValueError);
    expect(() => parseLibsvm('+1 5:1\n', { dim: 3 })).toThrow('line 1: index must be <= dim (3), got 5');
  });
});
