import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPlugboardError, type Capability } from '@plugboard/core';
import { CapabilityRegistry, type DiscoveredPlugin } from '../../src/index.js';

function plugin(
  name: string,
  version: string | undefined,
  capabilities: Capability[],
): DiscoveredPlugin {
  const path = `/plugins/${name}/${version ?? 'bare'}/manifest.json`;
  return {
    id: version === undefined ? name : `${name}@${version}`,
    name,
    ...(version === undefined ? {} : { version }),
    source: 'manifest',
    path,
    root: '/plugins',
    launch: { command: path, args: [], cwd: '/plugins', entrypoint: path },
    entrypointSha256: '0'.repeat(64),
    manifest: { name, capabilities },
    capabilities,
    warnings: [],
  };
}

const vcenter: Capability = {
  type: 'provider',
  name: 'vcenter',
  vendor: 'vmware',
  provider_type: 'vcenter',
  endpoints: ['collect'],
};
const ocm: Capability = {
  type: 'componentVersionRepository',
  name: 'OCIRepository/v1',
  aliases: ['oci'],
};

describe('CapabilityRegistry', () => {
  test('finds by type, name, alias and vendor:provider_type, preferring the highest version', () => {
    const registry = new CapabilityRegistry();
    registry.setPlugins([
      plugin('vc', '1.2.0', [vcenter]),
      plugin('vc', '1.10.0', [vcenter]),
      plugin('oci', '0.1.0', [ocm]),
    ]);
    const found = (type: string, name?: string, versionRange?: string) => {
      const registration = registry.resolve(type, { name, versionRange });
      assert.equal(registration.kind, 'plugin');
      return registration.kind === 'plugin' ? registration.plugin.id : '';
    };
    assert.equal(found('provider'), 'vc@1.10.0'); // semver order, not string order
    assert.equal(found('provider', 'vcenter'), 'vc@1.10.0');
    assert.equal(found('provider', 'vmware:vcenter'), 'vc@1.10.0');
    assert.equal(found('provider', 'vcenter', '~1.2'), 'vc@1.2.0');
    assert.equal(found('componentVersionRepository', 'oci'), 'oci@0.1.0');
    assert.equal(found('componentVersionRepository', 'OCIRepository/v1'), 'oci@0.1.0');
  });

  test('unknown type or name is PLUGIN_NOT_FOUND; no version in range is VERSION_NOT_FOUND', () => {
    const registry = new CapabilityRegistry();
    registry.setPlugins([plugin('vc', '1.2.0', [vcenter])]);
    assert.throws(() => registry.resolve('cost'), { code: 'PLUGIN_NOT_FOUND' });
    assert.throws(() => registry.resolve('provider', { name: 'aws' }), {
      code: 'PLUGIN_NOT_FOUND',
    });
    assert.throws(
      () => registry.resolve('provider', { versionRange: '^2' }),
      (error) => {
        assert.ok(isPlugboardError(error, 'VERSION_NOT_FOUND'));
        assert.match(error.message, /vc@1\.2\.0/);
        return true;
      },
    );
  });

  test('version specs are core version specs: ranges, exact versions, and errors for nonsense', () => {
    const registry = new CapabilityRegistry();
    registry.setPlugins([
      plugin('vc', '1.2.0', [vcenter]),
      plugin('vc', '2.0.0-beta.1', [vcenter]),
      plugin('vc', '1.3.0', [vcenter]),
    ]);
    const id = (versionRange: string) => {
      const found = registry.resolve('provider', { versionRange });
      return found.kind === 'plugin' ? found.plugin.id : '';
    };
    const unspecified = registry.resolve('provider');
    assert.equal(unspecified.kind === 'plugin' && unspecified.plugin.id, 'vc@1.3.0');
    assert.equal(id('*'), 'vc@1.3.0'); // a range never picks a pre-release
    assert.equal(id('1.2.0'), 'vc@1.2.0');
    assert.equal(id('beta'), 'vc@2.0.0-beta.1');
    assert.throws(() => registry.resolve('provider', { versionRange: '>>1 !' }), {
      code: 'VERSION_SPEC_INVALID',
    });
  });

  test('two plugins with the same type, name and version are a CAPABILITY_CONFLICT naming both paths', () => {
    const registry = new CapabilityRegistry();
    const a = plugin('vc-community', '1.0.0', [vcenter]);
    const b = plugin('vc-vendor', '1.0.0', [vcenter]);
    registry.setPlugins([a, b, plugin('vc-old', '0.9.0', [vcenter])]);
    assert.throws(
      () => registry.resolve('provider', { name: 'vcenter' }),
      (error) => {
        assert.ok(isPlugboardError(error, 'CAPABILITY_CONFLICT'));
        assert.ok(error.message.includes(a.path) && error.message.includes(b.path), error.message);
        assert.deepEqual(error.details?.['paths'], [a.path, b.path]);
        return true;
      },
    );
    assert.deepEqual(registry.conflicts(), [
      { type: 'provider', name: 'vcenter', version: '1.0.0', paths: [a.path, b.path] },
    ]);
    // A range that excludes the tie resolves.
    const old = registry.resolve('provider', { name: 'vcenter', versionRange: '<1' });
    assert.equal(old.kind === 'plugin' && old.plugin.id, 'vc-old@0.9.0');
  });

  test('an unnamed lookup that matches several differently named capabilities asks for a name', () => {
    const registry = new CapabilityRegistry();
    registry.setPlugins([
      plugin('vc', '1.0.0', [vcenter]),
      plugin('aws', '1.0.0', [{ type: 'provider', name: 'ec2' }]),
    ]);
    assert.throws(() => registry.resolve('provider'), { code: 'INVALID_ARGUMENT' });
    assert.equal(registry.conflicts().length, 0);
  });

  test('in-process handlers win over plugins and can be replaced', () => {
    const registry = new CapabilityRegistry();
    registry.setPlugins([plugin('vc', '1.0.0', [vcenter])]);
    const first = { collect: () => 'first' };
    const second = { collect: () => 'second' };
    registry.registerInProcess('provider', 'vcenter', first);
    const resolved = registry.resolve('provider', { name: 'vcenter' });
    assert.equal(resolved.kind, 'in-process');
    registry.registerInProcess('provider', 'vcenter', second);
    const replaced = registry.resolve('provider', { name: 'vcenter' });
    assert.equal(replaced.kind === 'in-process' && replaced.handlers, second);
    // Another name still goes to plugins.
    assert.throws(() => registry.resolve('provider', { name: 'other' }), {
      code: 'PLUGIN_NOT_FOUND',
    });
  });
});
