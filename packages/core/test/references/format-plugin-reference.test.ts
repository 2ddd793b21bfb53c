import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPluginReference, parsePluginReference, type PluginReference } from '@plugboard/core';

test('formatPluginReference writes hand-built references', () => {
  const table: [PluginReference, string][] = [
    [{ kind: 'registry', name: 'kubecost' }, 'kubecost'],
    [
      { kind: 'registry', registry: 'community', name: 'kubecost', spec: '~1.2' },
      'community:kubecost@~1.2',
    ],
    [{ kind: 'file', path: '/opt/my plugin/100%', form: 'url' }, 'file:///opt/my%20plugin/100%25'],
    [{ kind: 'file', path: '/tmp/a?b#c', form: 'url' }, 'file:///tmp/a%3Fb%23c'],
    [{ kind: 'file', path: '/tmp/ü', form: 'url' }, 'file:///tmp/%C3%BC'],
    [
      { kind: 'oci', registry: 'ghcr.io', repository: 'acme/kubecost' },
      'oci://ghcr.io/acme/kubecost',
    ],
    [{ kind: 'github', owner: 'acme', repo: 'kubecost' }, 'github://acme/kubecost'],
    [{ kind: 's3', bucket: 'my-plugins', key: 'a b/c.tgz' }, 's3://my-plugins/a b/c.tgz'],
  ];
  for (const [ref, text] of table) {
    assert.equal(formatPluginReference(ref), text);
  }
  // Reading a tag-less OCI reference back fills in the default tag.
  assert.equal(parsePluginReference('oci://ghcr.io/acme/kubecost').kind, 'oci');
  assert.deepEqual(
    parsePluginReference(formatPluginReference(table[2]?.[0] as PluginReference)),
    table[2]?.[0],
  );
});

test('formatPluginReference refuses references that would not read back the same', () => {
  const table: PluginReference[] = [
    { kind: 'registry', name: 'kubecost@1' },
    { kind: 'registry', name: 'Kubecost' },
    { kind: 'registry', name: 'kubecost', spec: 'not a spec' },
    { kind: 'file', path: 'plugins/kubecost', form: 'path' },
    { kind: 'file', path: 'relative/in/url', form: 'url' },
    { kind: 'file', path: '/lone/\ud800', form: 'url' },
    { kind: 'https', url: 'http://example.com/p' },
    { kind: 'oci', registry: 'ghcr.io', repository: 'acme/kubecost:1.0', tag: '2.0' },
    { kind: 'github', owner: 'acme', repo: 'kubecost@v1' },
    { kind: 's3', bucket: 'my-plugins/extra', key: 'k' },
    { kind: 'gs', bucket: 'x', key: 'k' },
  ];
  for (const ref of table) {
    assert.throws(
      () => formatPluginReference(ref),
      { code: 'REFERENCE_INVALID' },
      JSON.stringify(ref),
    );
  }
});
