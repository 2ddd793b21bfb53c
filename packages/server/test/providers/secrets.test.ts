import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import {
  SECRET_MASK,
  maskedConnectionConfig,
  splitConnectionConfig,
} from '../../src/providers/connection-config.js';
import {
  SECRET_KEY_FILE,
  SecretBox,
  keyFromText,
  loadSecretKey,
} from '../../src/secrets/secret-box.js';

describe('SecretBox', () => {
  it('round-trips a value bound to its context, and refuses another context or key', () => {
    const box = new SecretBox(keyFromText('a passphrase of some length'));
    const sealed = box.seal({ password: 'hunter2' }, 'provider-1');
    assert.match(sealed, /^v1:/);
    assert.equal(sealed.includes('hunter2'), false);
    assert.notEqual(
      box.seal({ password: 'hunter2' }, 'provider-1'),
      sealed,
      'a fresh nonce each time',
    );
    assert.deepEqual(box.open(sealed, 'provider-1'), { password: 'hunter2' });
    assert.throws(() => box.open(sealed, 'provider-2'), { code: 'INTERNAL' });
    const other = new SecretBox(keyFromText('b'.repeat(64)));
    assert.throws(
      () => other.open(sealed, 'provider-1'),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'INTERNAL');
        assert.equal(error.message.includes('hunter2'), false);
        return true;
      },
    );
  });

  it('reads hex, base64 and passphrase keys and refuses short ones without echoing them', () => {
    assert.deepEqual(keyFromText('ab'.repeat(32)), Buffer.alloc(32, 0xab));
    assert.deepEqual(keyFromText(Buffer.alloc(32, 7).toString('base64')), Buffer.alloc(32, 7));
    assert.equal(keyFromText('sixteen chars!!!').length, 32);
    assert.throws(
      () => keyFromText('short-key'),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'CONFIG_INVALID');
        assert.equal(error.message.includes('short-key'), false);
        return true;
      },
    );
  });

  it('generates the key file once, mode 0600, and reads it back after', async () => {
    const dir = makeTempDir();
    try {
      const [first, second] = await Promise.all([
        loadSecretKey(undefined, dir.path),
        loadSecretKey(undefined, dir.path),
      ]);
      assert.deepEqual(first, second, 'two starts at once agree on one key');
      assert.deepEqual(await loadSecretKey(undefined, dir.path), first);
      assert.equal(statSync(join(dir.path, SECRET_KEY_FILE)).mode & 0o777, 0o600);
      assert.notDeepEqual(await loadSecretKey('c'.repeat(64), dir.path), first, 'config wins');
    } finally {
      dir.remove();
    }
  });
});

describe('connection configs', () => {
  const parameters = [
    { name: 'password', type: 'string' as const, required: true, secret: true },
    { name: 'port', type: 'integer' as const, default: 443 },
    { name: 'verify', type: 'boolean' as const },
    { name: 'tags', type: 'array' as const },
  ];

  it('applies defaults, splits secrets and warns about unknown parameters', () => {
    const split = splitConnectionConfig(
      { password: 'pw', verify: false, region: 'eu', api_token: 't' },
      parameters,
      {},
      'plugin x',
    );
    assert.deepEqual(split.config, { port: 443, verify: false, region: 'eu' });
    assert.deepEqual(split.secrets, { password: 'pw', api_token: 't' });
    assert.deepEqual(split.warnings, [
      'connection_config.region is not a connection parameter of plugin x',
      'connection_config.api_token is not a connection parameter of plugin x',
    ]);
  });

  it('keeps a stored secret sent back as the mask', () => {
    const split = splitConnectionConfig({ password: SECRET_MASK }, parameters, { password: 'old' });
    assert.deepEqual(split.secrets, { password: 'old' });
  });

  it('lists every problem at once, without values', () => {
    assert.throws(
      () => splitConnectionConfig({ port: 'secret-ish', verify: 'yes', tags: {} }, parameters),
      (error: Error & { code?: string; details?: { problems?: unknown } }) => {
        assert.equal(error.code, 'INVALID_ARGUMENT');
        assert.deepEqual(error.details?.problems, [
          { path: 'connection_config.password', message: 'is required' },
          { path: 'connection_config.port', message: 'must be an integer' },
          { path: 'connection_config.verify', message: 'must be a boolean' },
          { path: 'connection_config.tags', message: 'must be an array' },
        ]);
        assert.equal(error.message.includes('secret-ish'), false);
        return true;
      },
    );
  });

  it('without a plugin, checks nothing and treats credential-like names as secret', () => {
    const split = splitConnectionConfig(
      { username: 'u', password: 'p', secret_key: 'k' },
      undefined,
    );
    assert.deepEqual(split.config, { username: 'u' });
    assert.deepEqual(split.secrets, { password: 'p', secret_key: 'k' });
    assert.deepEqual(maskedConnectionConfig(split.config, Object.keys(split.secrets)), {
      username: 'u',
      password: SECRET_MASK,
      secret_key: SECRET_MASK,
    });
  });
});
