/**
 * A small word-level tokenizer for the tiny transformers of `@descent/nn`: words (letters and
 * digits, with an apostrophe suffix such as "don't") and single punctuation characters,
 * lower-cased by default; a vocabulary of the most frequent tokens fitted on training texts
 * (ties broken by code-unit order, so the same texts always give the same ids); fixed-length
 * int32 id batches with padding and truncation. Four special ids come first:
 * `<pad>` 0, `<unk>` 1, `<bos>` 2, `<eos>` 3.
 * @module
 */
import {
  type Serializable,
  ValueError,
  describe,
  makeBlob,
  openBlob,
  option,
  readBoolean,
  resolveOptions,
} from '@descent/tensor';

/** The special tokens, in id order. */
export const SPECIAL_TOKENS = ['<pad>', '<unk>', '<bos>', '<eos>'] as const;

const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}]+)?|[^\s\p{L}\p{N}]/gu;

/** The tokens of `text` (words with an optional apostrophe suffix, single punctuation characters). */
export function wordTokens(text: string, lowercase = true): string[] {
  if (typeof text !== 'string') throw new ValueError(`text must be a string, got ${describe(text)}`, 'text');
  readBoolean(lowercase, 'lowercase');
  return (lowercase ? text.toLowerCase() : text).match(TOKEN) ?? [];
}

/** Options of {@link WordTokenizer.fit}. */
export interface TokenizerFitOptions {
  /** Largest vocabulary, special tokens included (default 5000). */
  maxVocab?: number;
  /** Least number of occurrences of a kept token (default 1). */
  minCount?: number;
  /** Lower-case before splitting (default true). */
  lowercase?: boolean;
}

/** Options of {@link WordTokenizer.encode}. */
export interface EncodeOptions {
  /** Prepend `<bos>` (default false). */
  bos?: boolean;
  /** Append `<eos>` (default false). */
  eos?: boolean;
}

/** Options of {@link WordTokenizer.encodeBatch}. */
export interface EncodeBatchOptions extends EncodeOptions {
  /** Length of every row: longer sequences are cut, shorter ones padded with `<pad>` at the end. */
  maxLength: number;
  /** Which end a long sequence loses (default `'end'`: keep its beginning). */
  truncation?: 'end' | 'start';
}

/** Fixed-length token ids of a batch of texts. */
export interface EncodedBatch {
  /** The ids, row after row (`ids[i * length + t]`), padded with {@link WordTokenizer.padId}. */
  ids: Int32Array;
  /** Number of rows (texts). */
  n: number;
  /** Length of every row. */
  length: number;
  /** Non-pad tokens of each row (≥ 0, ≤ length). */
  lengths: Int32Array;
}

/** The blob of {@link WordTokenizer.toJSON}. */
export interface WordTokenizerJSON {
  type: 'WordTokenizer';
  version: 1;
  lowercase: boolean;
  vocab: string[];
}

/**
 * A word-level tokenizer with a fixed vocabulary.
 *
 * ```ts
 * const tok = WordTokenizer.fit(train.texts, { maxVocab: 2000 });
 * const { ids, n, length } = tok.encodeBatch(train.texts, { maxLength: 64 });
 * const x = tf.tensor2d(ids, [n, length], 'int32'); // for transformer({ vocab: tok.vocabSize, padId: tok.padId, ... })
 * ```
 */
export class WordTokenizer implements Serializable<WordTokenizerJSON> {
  /** Id of `<pad>` (0). */
  readonly padId = 0;
  /** Id of `<unk>`, given to tokens outside the vocabulary (1). */
  readonly unkId = 1;
  /** Id of `<bos>` (2). */
  readonly bosId = 2;
  /** Id of `<eos>` (3). */
  readonly eosId = 3;
  /** Lower-case before splitting. */
  readonly lowercase: boolean;
  private readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  /**
   * A tokenizer over `vocab` (id = index; the first four entries must be the special tokens).
   * Use {@link WordTokenizer.fit} to build the vocabulary from texts.
   */
  constructor(vocab: readonly string[], options: { lowercase?: boolean } = {}) {
    if (!Array.isArray(vocab)) throw new ValueError(`vocab must be an array of strings, got ${describe(vocab)}`, 'vocab');
    vocab.forEach((t, i) => {
      if (typeof t !== 'string' || t === '') throw new ValueError(`vocab[${i}] must be a non-empty string, got ${describe(t)}`, `vocab[${i}]`);
    });
    SPECIAL_TOKENS.forEach((s, i) => {
      if (vocab[i] !== s) throw new ValueError(`vocab[${i}] must be ${s}, got ${describe(vocab[i])}`, 'vocab');
    });
    const { lowercase } = resolveOptions(options, { lowercase: option.boolean({ default: true }) });
    this.lowercase = lowercase;
    this.tokens = Object.freeze([...vocab]);
    this.ids = new Map();
    vocab.forEach((t, i) => {
      if (this.ids.has(t)) throw new ValueError(`vocab[${i}] repeats the token ${JSON.stringify(t)}`, `vocab[${i}]`);
      this.ids.set(t, i);
    });
  }

  /**
   * Fits a vocabulary on `texts`: the special tokens, then the tokens seen at least `minCount`
   * times, most frequent first (ties in code-unit order), up to `maxVocab` entries in all.
   */
  static fit(texts: readonly string[], options: TokenizerFitOptions = {}): WordTokenizer {
    if (!Array.isArray(texts)) throw new ValueError(`texts must be an array of strings, got ${describe(texts)}`, 'texts');
    const o = resolveOptions(options, {
      maxVocab: option.integer({ min: SPECIAL_TOKENS.length, default: 5000 }),
      minCount: option.integer({ min: 1, default: 1 }),
      lowercase: option.boolean({ default: true }),
    });
    const counts = new Map<string, number>();
    texts.forEach((text, i) => {
      if (typeof text !== 'string') throw new ValueError(`texts[${i}] must be a string, got ${describe(text)}`, `texts[${i}]`);
      for (const t of wordTokens(text, o.lowercase)) counts.set(t, (counts.get(t) ?? 0) + 1);
    });
    for (const s of SPECIAL_TOKENS) counts.delete(s);
    const kept = [...counts.entries()]
      .filter(([, c]) => c >= o.minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, o.maxVocab - SPECIAL_TOKENS.length)
      .map(([t]) => t);
    return new WordTokenizer([...SPECIAL_TOKENS, ...kept], { lowercase: o.lowercase });
  }

  /** Number of ids (special tokens included): the `vocab` of an embedding. */
  get vocabSize(): number {
    return this.tokens.length;
  }

  /** The vocabulary, id order. */
  get vocab(): readonly string[] {
    return this.tokens;
  }

  /** The id of `token` (`<unk>`'s id when it is not in the vocabulary). */
  idOf(token: string): number {
    return this.ids.get(token) ?? this.unkId;
  }

  /** The ids of `text` (unknown words → `<unk>`). */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const o = resolveOptions(options, { bos: option.boolean({ default: false }), eos: option.boolean({ default: false }) });
    const words = wordTokens(text, this.lowercase);
    const out = new Int32Array(words.length + (o.bos ? 1 : 0) + (o.eos ? 1 : 0));
    let k = 0;
    if (o.bos) out[k++] = this.bosId;
    for (const w of words) out[k++] = this.idOf(w);
    if (o.eos) out[k++] = this.eosId;
    return out;
  }

  /**
   * The ids of every text as one `[n, maxLength]` int32 block: each sequence (with its optional
   * `<bos>`/`<eos>`) is cut to `maxLength` (losing its end, or its start with
   * `truncation: 'start'`) and padded with `<pad>` at the end.
   */
  encodeBatch(texts: readonly string[], options: EncodeBatchOptions): EncodedBatch {
    if (!Array.isArray(texts)) throw new ValueError(`texts must be an array of strings, got ${describe(texts)}`, 'texts');
    const o = resolveOptions(options, {
      maxLength: option.integer({ min: 1, required: true }),
      truncation: option.oneOf(['end', 'start'], { default: 'end' }),
      bos: option.boolean({ default: false }),
      eos: option.boolean({ default: false }),
    });
    const T = o.maxLength;
    const ids = new Int32Array(texts.length * T); // <pad> = 0
    const lengths = new Int32Array(texts.length);
    texts.forEach((text, i) => {
      if (typeof text !== 'string') throw new ValueError(`texts[${i}] must be a string, got ${describe(text)}`, `texts[${i}]`);
      const seq = this.encode(text, { bos: o.bos, eos: o.eos });
      const kept = seq.length <= T ? seq : o.truncation === 'end' ? seq.subarray(0, T) : seq.subarray(seq.length - T);
      ids.set(kept, i * T);
      lengths[i] = kept.length;
    });
    return { ids, n: texts.length, length: T, lengths };
  }

  /** The text of `ids` (tokens joined by spaces; `<pad>` left out). */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
        throw new ValueError(`ids must be integers in [0, ${this.tokens.length - 1}], got ${describe(id)} at index ${i}`, 'ids');
      }
      if (id !== this.padId) out.push(this.tokens[id]);
    }
    return out.join(' ');
  }

  /** The vocabulary and settings as a versioned blob. */
  toJSON(): WordTokenizerJSON {
    return makeBlob('WordTokenizer', 1, { lowercase: this.lowercase, vocab: [...this.tokens] }) as WordTokenizerJSON;
  }

  /** A tokenizer from {@link WordTokenizer.toJSON}'s blob (or its JSON text), every field validated. */
  static fromJSON(json: unknown): WordTokenizer {
    const r = openBlob(json, { type: 'WordTokenizer', version: 1 });
    const lowercase = r.boolean('lowercase');
    const vocab = r.array('vocab', (e) => e.asString(), { minLength: SPECIAL_TOKENS.length });
    return new WordTokenizer(vocab, { lowercase });
  }
}

/** Inputs and targets of next-token prediction. */
export interface NextTokenBatch {
  /** ids[:, :-1], row after row (`[n, length]`). */
  inputs: Int32Array;
  /** ids[:, 1:]: the token after each input position; `ignoreId` where that token is `<pad>`. */
  targets: Int32Array;
  /** Number of rows. */
  n: number;
  /** Length of every row (the batch's length − 1). */
  length: number;
}

/**
 * Shifts an encoded batch for next-token prediction (causal language modelling): the input at
 * position t is token t, its target token t + 1. Targets that are padding get `ignoreId`
 * (default −1, for a loss with `ignoreIndex: -1`; pass `padId` to train on padding instead).
 *
 * ```ts
 * const lm = nextTokenBatch(tok.encodeBatch(texts, { maxLength: 33, bos: true, eos: true }));
 * // x = tf.tensor2d(lm.inputs, [lm.n, lm.length], 'int32'), y likewise from lm.targets
 * ```
 */
export function nextTokenBatch(batch: EncodedBatch, options: { ignoreId?: number; padId?: number } = {}): NextTokenBatch {
  if (batch == null || !(batch.ids instanceof Int32Array) || !Number.isInteger(batch.n) || !Number.isInteger(batch.length)) {
    throw new ValueError(`batch must be an EncodedBatch, got ${describe(batch)}`, 'batch');
  }
  const { n, length: T } = batch;
  if (batch.ids.length !== n * T) throw new ValueError(`batch.ids must hold n × length = ${n * T} ids, got ${batch.ids.length}`, 'batch');
  if (T < 2) throw new ValueError(`batch.length must be >= 2 to predict a next token, got ${T}`, 'batch');
  const o = resolveOptions(options, { ignoreId: option.integer({ default: -1 }), padId: option.integer({ min: 0, default: 0 }) });
  const L = T - 1;
  const inputs = new Int32Array(n * L);
  const targets = new Int32Array(n * L);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < L; t++) {
      inputs[i * L + t] = batch.ids[i * T + t];
      const next = batch.ids[i * T + t + 1];
      targets[i * L + t] = next === o.padId ? o.ignoreId : next;
    }
  return { inputs, targets, n, length: L };
}
