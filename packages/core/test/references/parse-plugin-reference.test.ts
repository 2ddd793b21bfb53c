import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PlugboardError,
  formatPluginReference,
  isValidPluginReference,
  parsePluginReference,
  type PluginReference,
} from '@plugboard/core';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const valid: [string, PluginReference][] = [
  ['kubecost', { kind: 'registry', name: 'kubecost' }],
  ['kubecost@1.2.3', { kind: 'registry', name: 'kubecost', spec: '1.2.3' }],
  ['kubecost@v1.2.3', { kind: 'registry', name: 'kubecost', spec: 'v1.2.3' }],
  ['kubecost@^1.2', { kind: 'registry', name: 'kubecost', spec: '^1.2' }],
  ['kubecost@>=1 <2', { kind: 'registry', name: 'kubecost', spec: '>=1 <2' }],
  ['kubecost@beta', { kind: 'registry', name: 'kubecost', spec: 'beta' }],
  ['kubecost@latest', { kind: 'registry', name: 'kubecost', spec: 'latest' }],
  ['aws.ec2_collector-2', { kind: 'registry', name: 'aws.ec2_collector-2' }],
  [
    'community:kubecost@1.2',
    { kind: 'registry', registry: 'community', name: 'kubecost', spec: '1.2' },
  ],
  ['enterprise:kubecost', { kind: 'registry', registry: 'enterprise', name: 'kubecost' }],
  [
    'https://releases.example.com/plugins/my-plugin/1.0.0/manifest.json',
    {
      kind: 'https',
      url: 'https://releases.example.com/plugins/my-plugin/1.0.0/manifest.json',
    },
  ],
  [
    'https://example.com:8443/p.tgz?sig=a%2Fb#x',
    { kind: 'https', url: 'https://example.com:8443/p.tgz?sig=a%2Fb#x' },
  ],
  ['http://localhost:8080/p.tgz', { kind: 'https', url: 'http://localhost:8080/p.tgz' }],
  ['http://127.0.0.1/p.tgz', { kind: 'https', url: 'http://127.0.0.1/p.tgz' }],
  ['http://[::1]:9000/p.tgz', { kind: 'https', url: 'http://[::1]:9000/p.tgz' }],
  ['file:///opt/plugins/kubecost', { kind: 'file', path: '/opt/plugins/kubecost', form: 'url' }],
  ['file:///opt/my%20plugin', { kind: 'file', path: '/opt/my plugin', form: 'url' }],
  ['./plugins/kubecost', { kind: 'file', path: './plugins/kubecost', form: 'path' }],
  ['../kubecost.tgz', { kind: 'file', path: '../kubecost.tgz', form: 'path' }],
  ['/abs/kubecost', { kind: 'file', path: '/abs/kubecost', form: 'path' }],
  [
    'oci://registry.example.com/pulumicost/plugins/kubecost:1.2.3',
    {
      kind: 'oci',
      registry: 'registry.example.com',
      repository: 'pulumicost/plugins/kubecost',
      tag: '1.2.3',
    },
  ],
  [
    'oci://localhost:5000/kubecost',
    { kind: 'oci', registry: 'localhost:5000', repository: 'kubecost', tag: 'latest' },
  ],
  [
    `oci://ghcr.io/acme/kubecost@${DIGEST}`,
    { kind: 'oci', registry: 'ghcr.io', repository: 'acme/kubecost', digest: DIGEST },
  ],
  [
    `oci://ghcr.io/acme/kube__cost.x-y:v1.2.3_rc@${DIGEST}`,
    {
      kind: 'oci',
      registry: 'ghcr.io',
      repository: 'acme/kube__cost.x-y',
      tag: 'v1.2.3_rc',
      digest: DIGEST,
    },
  ],
  [
    'github://pulumicost/kubecost-plugin@v1.2.3',
    { kind: 'github', owner: 'pulumicost', repo: 'kubecost-plugin', tag: 'v1.2.3' },
  ],
  ['github://Acme-Corp/Plugin.JS', { kind: 'github', owner: 'Acme-Corp', repo: 'Plugin.JS' }],
  [
    'github://acme/plugins@kubecost/v2.0.0',
    { kind: 'github', owner: 'acme', repo: 'plugins', tag: 'kubecost/v2.0.0' },
  ],
  [
    's3://my-plugins/kubecost/1.2.3/plugin.tgz',
    { kind: 's3', bucket: 'my-plugins', key: 'kubecost/1.2.3/plugin.tgz' },
  ],
  [
    'gs://acme_plugins.example.com/kubecost.tgz',
    { kind: 'gs', bucket: 'acme_plugins.example.com', key: 'kubecost.tgz' },
  ],
];

test('table: every reference kind parses, and formats back to the same text', () => {
  for (const [text, expected] of valid) {
    const parsed = parsePluginReference(text);
    assert.deepEqual(parsed, expected, text);
    assert.equal(isValidPluginReference(text), true, text);
    const written = formatPluginReference(parsed);
    if (text === 'oci://localhost:5000/kubecost') {
      assert.equal(written, 'oci://localhost:5000/kubecost:latest', 'the default tag is explicit');
    } else {
      assert.equal(written, text);
    }
    assert.deepEqual(parsePluginReference(written), parsed, text);
  }
});

const invalid: [string, RegExp][] = [
  ['', /is empty/],
  [' kubecost', /leading or trailing spaces/],
  ['kubecost\n', /leading or trailing spaces/],
  ['Kubecost', /plugin names are lower-case/],
  ['-kubecost', /is not a plugin name/],
  ['kubecost@', /nothing follows "@"/],
  ['kubecost@Beta', /version spec "Beta" is not a version, range or channel name/],
  ['kubecost@^1 ||', /empty alternative/],
  ['@scope/kubecost', /plugin name is missing/],
  ['Community:kubecost', /registry name "Community" is not a lower-case word/],
  ['https:kubecost', /looks like a URL without "\/\/"/],
  ['file:plugin.tgz', /host part must be empty/],
  ['C:\\plugins\\x', /registry name "C"/],
  ['ftp://example.com/x', /"ftp:\/\/" is not a supported scheme/],
  ['HTTPS://example.com/x', /write the scheme in lower case \("https:\/\/"\)/],
  ['http://example.com/p.tgz', /only accepted for localhost, 127\.0\.0\.1 and \[::1\]/],
  ['https://user:pw@example.com/p.tgz', /credentials do not belong/],
  ['https:///p.tgz', /host is missing/],
  ['https://exa mple.com/p', /write spaces and non-ASCII as %XX/],
  ['https://example.com/ü', /write spaces and non-ASCII as %XX/],
  ['https://example.com/%zz', /must start a %XX escape/],
  ['https://example.com:0/p', /port "0"/],
  ['https://-bad-.com/p', /is not a host name/],
  ['file://server/share/p', /host part must be empty/],
  ['file:///p?x=1', /no query or fragment/],
  ['file:///p%E0%A4%A', /not a %XX escape of UTF-8/],
  ['file:///p%00', /control character/],
  ['oci://ghcr.io', /repository is missing/],
  ['oci://ghcr.io/', /repository is missing/],
  ['oci://ghcr.io/Acme/kubecost', /repository "Acme\/kubecost" is not lower-case/],
  ['oci://ghcr.io/acme//kubecost', /is not lower-case path components/],
  ['oci://ghcr.io/acme/kubecost:.tag', /tag "\.tag"/],
  [`oci://ghcr.io/acme/kubecost:${'t'.repeat(129)}`, /tag "t+…" is not 1 to 128/],
  ['oci://ghcr.io/acme/kubecost@sha256:abc', /a sha256 digest is 64 lower-case hex digits/],
  [`oci://ghcr.io/acme/kubecost@${DIGEST.toUpperCase()}`, /is not sha256:<hex>/],
  [`oci://ghcr.io/acme/kubecost@md5:${'0'.repeat(32)}`, /is not sha256:<hex> or sha512:<hex>/],
  ['oci://bad_host/acme', /is not a host name/],
  [`oci://ghcr.io/${'a'.repeat(250)}`, /longer than 255 characters/],
  ['github://acme', /needs exactly owner\/repo/],
  ['github://acme/kubecost/extra', /needs exactly owner\/repo/],
  ['github://-acme/kubecost', /owner "-acme"/],
  ['github://ac--me/kubecost', /owner "ac--me"/],
  [`github://${'a'.repeat(40)}/kubecost`, /owner "a+" is not 1 to 39/],
  ['github://acme/kube cost', /repository "kube cost"/],
  ['github://acme/..', /repository "\.\."/],
  ['github://acme/kubecost.git', /drop "\.git"/],
  ['github://acme/kubecost@', /nothing follows "@"/],
  ['github://acme/kubecost@v1..2', /tag "v1\.\.2" is not a release tag/],
  ['github://acme/kubecost@v1.lock', /is not a release tag/],
  ['s3://my-plugins', /object key after the bucket is missing/],
  ['s3://my-plugins/', /object key after the bucket is missing/],
  ['s3://ab/key', /bucket "ab" is not 3 to 63 characters/],
  ['s3://My-Plugins/key', /not lower-case letters/],
  ['s3://my..plugins/key', /two adjacent periods/],
  ['s3://192.168.1.1/key', /looks like an IP address/],
  ['s3://xn--plugins/key', /may not start with "xn--"/],
  ['s3://plugins-s3alias/key', /may not end with "-s3alias"/],
  ['s3://my_plugins/key', /not lower-case letters, digits, "\." and "-"/],
  [`s3://my-plugins/${'é'.repeat(513)}`, /longer than 1024 UTF-8 bytes/],
  ['s3://my-plugins/a\u0007b', /control character/],
  ['gs://my-google-plugins/key', /may not contain "google"/],
  ['gs://goog-plugins/key', /may not start with "goog"/],
  ['gs://my-plugins/..', /may not be named "\." or "\.\."/],
  ['gs://my-plugins/.well-known/acme-challenge/x', /acme-challenge/],
  [`gs://${'a'.repeat(64)}/key`, /is not 3 to 63 characters/],
  [`gs://${'a'.repeat(64)}.example.com/key`, /longer than 63 character part/],
];

test('table: invalid references throw REFERENCE_INVALID saying what is wrong and what was expected', () => {
  for (const [text, why] of invalid) {
    assert.throws(
      () => parsePluginReference(text),
      (error: unknown) => {
        assert.ok(error instanceof PlugboardError, text);
        assert.equal(error.code, 'REFERENCE_INVALID', text);
        assert.match(error.message, why, text);
        assert.match(error.message, /; expected /, text);
        assert.equal(typeof error.details?.['reference'], 'string');
        return true;
      },
      JSON.stringify(text),
    );
    assert.equal(isValidPluginReference(text), false, text);
  }
});

test('the OCI name length limit counts host and repository together', () => {
  const repository = 'a'.repeat(255 - 'ghcr.io/'.length);
  assert.equal(parsePluginReference(`oci://ghcr.io/${repository}`).kind, 'oci');
  assert.throws(() => parsePluginReference(`oci://ghcr.io/${repository}b`), /longer than 255/);
});

test('S3 keys are limited in UTF-8 bytes, not characters', () => {
  assert.equal(parsePluginReference(`s3://my-plugins/${'é'.repeat(512)}`).kind, 's3');
  assert.equal(parsePluginReference(`s3://my-plugins/${'a'.repeat(1024)}`).kind, 's3');
  assert.throws(() => parsePluginReference(`s3://my-plugins/${'a'.repeat(1025)}`), /1024/);
});

test('a dotted GCS bucket may be up to 222 characters', () => {
  const bucket = [`${'a'.repeat(63)}`, 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(30)].join('.');
  assert.equal(bucket.length, 222);
  assert.equal(parsePluginReference(`gs://${bucket}/k`).kind, 'gs');
  assert.throws(() => parsePluginReference(`gs://${bucket}d/k`), /3 to 222/);
});
