import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectionParameter } from '@plugboard/client';
import { decodeEntities } from '../src/plugin/html-entities.js';
import { installCommandText, shellWord } from '../src/plugin/install-command.js';
import { safeUrl } from '../src/plugin/markdown-view.js';
import { formatBytes, shortDigest } from '../src/plugin/versions-table.js';
import {
  connectionConfigFrom,
  fieldKind,
  initialValues,
} from '../src/providers/connection-values.js';
import { pathParameter } from '../src/routing/page-paths.js';

test('install commands quote names a shell would interpret', () => {
  assert.equal(installCommandText('echo-plugin', '1.2.0'), 'plugboard install echo-plugin@1.2.0');
  assert.equal(installCommandText('echo-plugin', undefined), 'plugboard install echo-plugin');
  assert.equal(shellWord('a;rm -rf ~'), `'a;rm -rf ~'`);
  assert.equal(shellWord(`it's$(x)`), `'it'\\''s$(x)'`);
});

test('links keep http(s) and mailto only; images http(s) only', () => {
  const links = new Set(['http:', 'https:', 'mailto:']);
  assert.equal(safeUrl('https://example.com/a b', links), 'https://example.com/a%20b');
  assert.equal(safeUrl('mailto:a@example.com', links), 'mailto:a@example.com');
  assert.equal(safeUrl('javascript:alert(1)', links), undefined);
  assert.equal(safeUrl(' JaVaScRiPt:alert(1)', links), undefined);
  assert.equal(safeUrl('data:text/html,<script>x</script>', links), undefined);
  assert.equal(safeUrl('relative/path.md', links), undefined);
  assert.equal(safeUrl('#usage', links, true), '#usage');
  assert.equal(safeUrl('#usage', links), undefined);
});

test('character references decode to text, never to markup', () => {
  assert.equal(
    decodeEntities('a &amp; b &lt;img&gt; &#60;&#x3C; &nbsp;&copy;'),
    'a & b <img> << \u00a0©',
  );
  assert.equal(decodeEntities('&#0; &#xD800; &unknown;'), '\ufffd \ufffd &unknown;');
});

test('digests, sizes and path parameters', () => {
  assert.equal(shortDigest(`sha256:${'ab'.repeat(32)}`), 'sha256:abababababab…');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1_234_567), '1.2 MB');
  assert.equal(pathParameter('/plugins/a%2Fb', '/plugins/'), 'a/b');
  assert.equal(pathParameter('/plugins/a/b', '/plugins/'), undefined);
  assert.equal(pathParameter('/plugins/%E0%A4%A', '/plugins/'), undefined);
});

test('connection parameters become form fields and then connection_config', () => {
  const parameters: ConnectionParameter[] = [
    { name: 'password', type: 'string', required: true, secret: true },
    { name: 'count', type: 'integer', default: 3 },
    { name: 'ratio', type: 'number' },
    { name: 'verify_ssl', type: 'boolean' },
    { name: 'hosts', type: 'array' },
    { name: 'region', type: 'string', default: 'eu' },
  ];
  assert.deepEqual(
    parameters.map((p) => fieldKind(p)),
    ['password', 'number', 'number', 'checkbox', 'json', 'text'],
  );
  assert.deepEqual(initialValues(parameters), {
    password: '',
    count: '3',
    ratio: '',
    verify_ssl: false,
    hosts: '',
    region: 'eu',
  });
  const ok = connectionConfigFrom(parameters, {
    password: ' s3cret ',
    count: '7',
    ratio: '0.5',
    verify_ssl: true,
    hosts: '["a","b"]',
    region: ' us ',
  });
  assert.deepEqual(ok, {
    config: {
      password: ' s3cret ',
      count: 7,
      ratio: 0.5,
      verify_ssl: true,
      hosts: ['a', 'b'],
      region: 'us',
    },
    problems: [],
  });
  const bad = connectionConfigFrom(parameters, {
    password: '',
    count: '1.5',
    ratio: 'x',
    verify_ssl: false,
    hosts: '{"a":1}',
    region: '',
  });
  assert.deepEqual(bad.problems, [
    { name: 'password', message: 'is required' },
    { name: 'count', message: 'must be an integer' },
    { name: 'ratio', message: 'must be a number' },
    { name: 'hosts', message: 'must be a JSON array' },
  ]);
  assert.deepEqual(bad.config, { verify_ssl: false });
});
