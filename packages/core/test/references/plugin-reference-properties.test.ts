import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  PlugboardError,
  formatPluginReference,
  gsBucketProblem,
  parsePluginReference,
  s3BucketProblem,
} from '@plugboard/core';

const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';

function word(chars: string, min: number, max: number): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...chars.split('')), { minLength: min, maxLength: max })
    .map((parts) => parts.join(''));
}

const alnum = word(lower + digits, 1, 1);
const pluginName = fc
  .tuple(alnum, word(`${lower}${digits}._-`, 0, 12), alnum)
  .map(([a, mid, b]) => `${a}${mid}${b}`);
const registryName = fc
  .tuple(word(lower, 1, 1), word(`${lower}${digits}-`, 0, 8))
  .map(([a, rest]) => a + rest)
  .filter((name) => !['http', 'https', 'file', 'oci', 'github', 's3', 'gs'].includes(name));
const version = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom('beta.1', 'rc.2', 'alpha')))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === null ? '' : `-${pre}`}`);
const spec = fc.oneof(
  version,
  version.map((v) => `v${v}`),
  version.map((v) => `^${v}`),
  version.map((v) => `~${v}`),
  fc.tuple(version, version).map(([a, b]) => `>=${a} <${b}`),
  fc.tuple(version, version).map(([a, b]) => `^${a} || ${b}`),
  fc.nat(9).map((m) => `${m}.x`),
  fc.constantFrom('*', 'latest', 'beta', 'next', 'rc2'),
);
const registryRef = fc
  .tuple(fc.option(registryName), pluginName, fc.option(spec))
  .map(
    ([registry, name, s]) =>
      `${registry === null ? '' : `${registry}:`}${name}${s === null ? '' : `@${s}`}`,
  );

const label = fc
  .tuple(word(lower + digits, 1, 1), word(`${lower}${digits}-`, 0, 10), word(lower + digits, 1, 1))
  .map(([a, mid, b]) => `${a}${mid}${b}`);
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.'));
const port = fc.option(fc.integer({ min: 1, max: 65535 }));
const urlSegment = word(`${lower}${digits}-._~!$&'()*+,;=:@`, 1, 10);
const urlPath = fc
  .array(urlSegment, { maxLength: 4 })
  .map((segments) => segments.map((s) => `/${s}`).join(''));
const httpsRef = fc
  .tuple(host, port, urlPath, fc.option(word(`${lower}=&`, 0, 8)))
  .map(
    ([h, p, path, query]) =>
      `https://${h}${p === null ? '' : `:${p}`}${path}${query === null ? '' : `?${query}`}`,
  );

const fileSegment = word(`${lower}${digits}-._~`, 1, 10).filter((s) => s !== '.' && s !== '..');
const filePath = fc
  .array(fileSegment, { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('/'));
const fileRef = fc.oneof(
  filePath.map((p) => `./${p}`),
  filePath.map((p) => `../${p}`),
  filePath.map((p) => `/${p}`),
  filePath.map((p) => `file:///${p}`),
);

const repoComponent = fc
  .tuple(
    word(lower + digits, 1, 6),
    fc.option(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), word(lower + digits, 1, 6))),
  )
  .map(([a, rest]) => (rest === null ? a : `${a}${rest[0]}${rest[1]}`));
const repository = fc
  .array(repoComponent, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'));
const ociTag = fc
  .tuple(word(`${lower}${digits}_ABC`, 1, 1), word(`${lower}${digits}._-`, 0, 20))
  .map(([a, rest]) => a + rest);
const digest = word('0123456789abcdef', 64, 64).map((hex) => `sha256:${hex}`);
const ociRef = fc
  .tuple(host, port, repository, fc.option(ociTag), fc.option(digest))
  .filter(([, , , tag, d]) => tag !== null || d !== null)
  .map(
    ([h, p, repo, tag, d]) =>
      `oci://${h}${p === null ? '' : `:${p}`}/${repo}${tag === null ? '' : `:${tag}`}${d === null ? '' : `@${d}`}`,
  );

const owner = fc
  .array(word(`${lower}${digits}ABC`, 1, 6), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('-'))
  .filter((o) => o.length <= 39);
const repo = word(`${lower}${digits}._-ABC`, 1, 20).filter(
  (r) => r !== '.' && r !== '..' && !r.toLowerCase().endsWith('.git'),
);
const githubTag = fc
  .tuple(word(`${lower}${digits}`, 1, 1), word(`${lower}${digits}-_+`, 0, 10), fc.option(version))
  .map(([a, b, v]) => `${a}${b}${v === null ? '' : `/${v}`}`);
const githubRef = fc
  .tuple(owner, repo, fc.option(githubTag))
  .map(([o, r, t]) => `github://${o}/${r}${t === null ? '' : `@${t}`}`);

const bucket = fc
  .tuple(word(lower + digits, 1, 1), word(`${lower}${digits}-`, 1, 20), word(lower + digits, 1, 1))
  .map(([a, mid, b]) => `${a}${mid}${b}`);
const objectKey = fc
  .array(word(`${lower}${digits}-._ `, 1, 10), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'))
  // A reference is never trimmed, so a key cannot start or end with a space.
  .filter((key) => key.trim() === key);
const s3Ref = fc
  .tuple(
    bucket.filter((b) => s3BucketProblem(b) === undefined),
    objectKey,
  )
  .map(([b, k]) => `s3://${b}/${k}`);
const gsRef = fc
  .tuple(
    bucket.filter((b) => gsBucketProblem(b) === undefined),
    objectKey,
  )
  .filter(([, k]) => k !== '.' && k !== '..')
  .map(([b, k]) => `gs://${b}/${k}`);

const validReference = fc.oneof(registryRef, httpsRef, fileRef, ociRef, githubRef, s3Ref, gsRef);

test('property: generated valid references parse and format back to the same text', () => {
  fc.assert(
    fc.property(validReference, (text) => {
      const ref = parsePluginReference(text);
      assert.equal(formatPluginReference(ref), text);
      assert.deepEqual(parsePluginReference(formatPluginReference(ref)), ref);
    }),
    { numRuns: 3000 },
  );
});

test('property: file URLs with any path characters round-trip through percent-encoding', () => {
  const anyPath = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
    .filter((s) => [...s].every((c) => c >= ' ' && c !== '\u007f'))
    .map((s) => `/${s}`);
  fc.assert(
    fc.property(anyPath, (path) => {
      const text = formatPluginReference({ kind: 'file', path, form: 'url' });
      assert.ok(text.startsWith('file:///'));
      assert.deepEqual(parsePluginReference(text), { kind: 'file', path, form: 'url' });
    }),
    { numRuns: 1000 },
  );
});

function mutate(text: string, position: number, action: number, char: string): string {
  const at = text.length === 0 ? 0 : position % (text.length + 1);
  if (action === 0) return text.slice(0, at) + char + text.slice(at);
  if (action === 1) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + char + text.slice(at + 1);
}

const noisyChar = fc.oneof(
  fc.constantFrom(
    ':',
    '/',
    '@',
    '.',
    '-',
    '_',
    '%',
    '?',
    '#',
    ' ',
    '\u0000',
    'A',
    'é',
    '\ud800',
    '|',
    '^',
  ),
  fc.string({ minLength: 1, maxLength: 1 }),
);

test('property: random and mutated references throw nothing but REFERENCE_INVALID', () => {
  const candidate = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc
      .tuple(validReference, fc.nat(), fc.integer({ min: 0, max: 2 }), noisyChar)
      .map(([text, position, action, char]) => mutate(text, position, action, char)),
  );
  fc.assert(
    fc.property(candidate, (text) => {
      let ref;
      try {
        ref = parsePluginReference(text);
      } catch (error) {
        assert.ok(
          error instanceof PlugboardError,
          `threw ${String(error)} for ${JSON.stringify(text)}`,
        );
        assert.equal(error.code, 'REFERENCE_INVALID');
        return;
      }
      // Whatever parses must survive format → parse unchanged.
      assert.deepEqual(parsePluginReference(formatPluginReference(ref)), ref, JSON.stringify(text));
    }),
    { numRuns: 5000 },
  );
});
