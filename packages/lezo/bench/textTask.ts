/**
 * The text fine-tuning task of the lezo bench (reconstructed recipe, see the README): the
 * SpamAssassin corpus (`@descent/datasets`, 6,046 e-mails, ham/spam), split by corpus group into
 * a source task and a shifted target task, as MeZO/LeZO fine-tune a pre-trained model on a new
 * task (ZO fine-tuning works from a good initialisation, not from scratch).
 *
 * - source (pre-training, Adam): `easy-ham-1` (2,500 ham) + `spam-1` (500 spam), the 2002
 *   first half of the corpus;
 * - target (fine-tuning): `easy-ham-2` (1,400 ham) + `hard-ham-1` (250 ham that resembles spam)
 *   + `spam-2` (1,396 spam), the later half: other senders, other spam campaigns and a class
 *   balance of 46% spam instead of 17%. Its rows are split (seeded) into a training part and a
 *   held-out test part.
 *
 * The word tokenizer (`WordTokenizer` of `@descent/datasets`) is fitted on the source texts only
 * (a pre-trained model's vocabulary does not know the target either); every e-mail is its
 * subject and body cut to `seq` tokens and padded with `<pad>` (left out of the mean pooling).
 * @module
 */
import { WordTokenizer } from '@descent/datasets';
import { loadText } from '@descent/datasets/node';
import type { Dataset } from '@descent/nn';
import { Rng } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';

/** Corpus groups of the source task. */
export const SOURCE_GROUPS = ['easy-ham-1', 'spam-1'] as const;
/** Corpus groups of the target task. */
export const TARGET_GROUPS = ['easy-ham-2', 'hard-ham-1', 'spam-2'] as const;

/** The data sets of the text task (tensors owned by the caller; x = int32 token ids [n, seq]). */
export interface TextTask {
  /** Pre-training data: every source e-mail. */
  source: Dataset;
  /** Fine-tuning data: target e-mails not in the test part. */
  train: Dataset;
  /** Held-out target e-mails. */
  test: Dataset;
  /** The tokenizer (fitted on the source texts). */
  tokenizer: WordTokenizer;
  /** Tokens per e-mail. */
  seq: number;
}

/** Options of {@link spamTransfer}. */
export interface TextTaskOptions {
  /** Tokens per e-mail (default 32). */
  seq?: number;
  /** Vocabulary size, special tokens included (default 1000). */
  vocab?: number;
  /** Fraction of the target held out for testing (default 1/3). */
  testFraction?: number;
}

function encode(
  tok: WordTokenizer,
  texts: string[],
  labels: Int32Array,
  rows: number[],
  seq: number,
): Dataset {
  const { ids, n } = tok.encodeBatch(
    rows.map((r) => texts[r]),
    { maxLength: seq },
  );
  const y = Int32Array.from(rows, (r) => labels[r]);
  return { x: tf.tensor2d(ids, [n, seq], 'int32'), y: tf.tensor1d(y, 'int32') };
}

/** The spam transfer task; `seed` draws the target's train/test split. */
export function spamTransfer(seed: number, options: TextTaskOptions = {}): TextTask {
  const { seq = 32, vocab = 1000, testFraction = 1 / 3 } = options;
  const data = loadText('spam-assassin');
  const src: number[] = [];
  const tgt: number[] = [];
  for (let i = 0; i < data.n; i++) {
    const g = data.groups[i];
    if ((SOURCE_GROUPS as readonly string[]).includes(g)) src.push(i);
    else if ((TARGET_GROUPS as readonly string[]).includes(g)) tgt.push(i);
  }
  const tokenizer = WordTokenizer.fit(
    src.map((i) => data.texts[i]),
    { maxVocab: vocab },
  );
  const perm = new Rng(seed).fold('spam-target-split').permutation(tgt.length);
  const nTest = Math.round(testFraction * tgt.length);
  const testRows = Array.from(perm.subarray(0, nTest), (i) => tgt[i]);
  const trainRows = Array.from(perm.subarray(nTest), (i) => tgt[i]);
  return {
    source: encode(tokenizer, data.texts, data.y, src, seq),
    train: encode(tokenizer, data.texts, data.y, trainRows, seq),
    test: encode(tokenizer, data.texts, data.y, testRows, seq),
    tokenizer,
    seq,
  };
}

/** Disposes the task's tensors. */
export function disposeTextTask(t: TextTask): void {
  tf.dispose([t.source.x, t.source.y, t.train.x, t.train.y, t.test.x, t.test.y]);
}
