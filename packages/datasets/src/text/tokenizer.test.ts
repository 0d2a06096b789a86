import { ValueError } from '@descent/tensor';
import { checkDamagedBlobs } from '@descent/testkit';
import { SPECIAL_TOKENS, WordTokenizer, nextTokenBatch, wordTokens } from '../index';

const TEXTS = ['The cat sat.', "the dog didn't sit!", 'A cat, a dog', 'the end'];

describe('wordTokens', () => {
  it('splits words (with apostrophe suffixes) and single punctuation, lower-cased', () => {
    expect(wordTokens("Don't  STOP, now!!")).toEqual(["don't", 'stop', ',', 'now', '!', '!']);
    expect(wordTokens('Café 42x', false)).toEqual(['Café', '42x']);
    expect(wordTokens('')).toEqual([]);
  });
});

describe('WordTokenizer', () => {
  it('fits the most frequent tokens after the special ones (ties in code-unit order), deterministically', () => {
    const tok = WordTokenizer.fit(TEXTS);
    expect(tok.vocab.slice(0, 4)).toEqual([...SPECIAL_TOKENS]);
    // the ×3; a, cat, dog ×2; then the singletons in code-unit order
    expect(tok.vocab.slice(4, 8)).toEqual(['the', 'a', 'cat', 'dog']);
    expect(tok.vocab.slice(8)).toEqual(['!', ',', '.', "didn't", 'end', 'sat', 'sit']);
    expect(WordTokenizer.fit([...TEXTS].reverse()).vocab).toEqual(tok.vocab);
    const small = WordTokenizer.fit(TEXTS, { maxVocab: 6, minCount: 2 });
    expect(small.vocab).toEqual([...SPECIAL_TOKENS, 'the', 'a']);
    expect(WordTokenizer.fit(TEXTS, { minCount: 2 }).vocabSize).toBe(8);
  });

  it('encodes with <unk>, <bos>, <eos>, and decodes back', () => {
    const tok = WordTokenizer.fit(TEXTS);
    const ids = tok.encode('The cat flew.', { bos: true, eos: true });
    expect(Array.from(ids)).toEqual([tok.bosId, tok.idOf('the'), tok.idOf('cat'), tok.unkId, tok.idOf('.'), tok.eosId]);
    expect(tok.decode(ids)).toBe('<bos> the cat <unk> . <eos>');
  });

  it('encodeBatch pads at the end and truncates either end to maxLength', () => {
    const tok = WordTokenizer.fit(TEXTS);
    const b = tok.encodeBatch(['the cat', 'a cat , a dog'], { maxLength: 4 });
    expect(b.n).toBe(2);
    expect(b.length).toBe(4);
    expect(Array.from(b.lengths)).toEqual([2, 4]);
    expect(tok.decode(b.ids.subarray(0, 4))).toBe('the cat');
    expect(Array.from(b.ids.subarray(2, 4))).toEqual([0, 0]);
    expect(tok.decode(b.ids.subarray(4, 8))).toBe('a cat , a');
    const s = tok.encodeBatch(['a cat , a dog'], { maxLength: 3, truncation: 'start', eos: true });
    expect(tok.decode(s.ids)).toBe('a dog <eos>');
  });

  it('nextTokenBatch shifts by one and ignores padding targets', () => {
    const tok = WordTokenizer.fit(TEXTS);
    const lm = nextTokenBatch(tok.encodeBatch(['the cat'], { maxLength: 5, bos: true, eos: true }));
    const [the, cat] = [tok.idOf('the'), tok.idOf('cat')];
    expect(Array.from(lm.inputs)).toEqual([tok.bosId, the, cat, tok.eosId]);
    expect(Array.from(lm.targets)).toEqual([the, cat, tok.eosId, -1]);
    expect(lm.length).toBe(4);
    expect(Array.from(nextTokenBatch(tok.encodeBatch(['the'], { maxLength: 3 }), { ignoreId: 0 }).targets)).toEqual([0, 0]);
    expect(() => nextTokenBatch(tok.encodeBatch(['the'], { maxLength: 1 }))).toThrow(/length must be >= 2/);
  });

  it('round-trips through JSON and rejects damaged blobs with typed errors naming the field', () => {
    const tok = WordTokenizer.fit(TEXTS, { lowercase: false });
    const back = WordTokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(back.vocab).toEqual(tok.vocab);
    expect(back.lowercase).toBe(false);
    expect(back.encode('The cat')).toEqual(tok.encode('The cat'));
    const report = checkDamagedBlobs({ blob: tok.toJSON(), fromJSON: WordTokenizer.fromJSON, probe: (t) => Array.from(t.encode('the cat')) });
    expect(report.tried).toBeGreaterThan(20);
  });

  it('bad input', () => {
    expect(() => WordTokenizer.fit('abc' as unknown as string[])).toThrow(ValueError);
    expect(() => WordTokenizer.fit([1 as unknown as string])).toThrow(/texts\[0\] must be a string/);
    expect(() => WordTokenizer.fit(TEXTS, { maxVocab: 2 })).toThrow(/maxVocab/);
    expect(() => WordTokenizer.fit(TEXTS, { maxVocb: 9 } as never)).toThrow(/maxVocab/);
    expect(() => new WordTokenizer(['<pad>', '<unk>', '<bos>'])).toThrow(/vocab\[3\] must be <eos>/);
    expect(() => new WordTokenizer([...SPECIAL_TOKENS, 'a', 'a'])).toThrow(/vocab\[5\] repeats/);
    const tok = WordTokenizer.fit(TEXTS);
    expect(() => tok.encodeBatch(TEXTS, {} as { maxLength: number })).toThrow(/maxLength/);
    expect(() => tok.decode([99])).toThrow(/ids must be integers in \[0, 14\], got 99/);
  });
});
