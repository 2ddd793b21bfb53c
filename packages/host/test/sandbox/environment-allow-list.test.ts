import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_ENV_ALLOW_LIST, reduceEnvironment } from '../../src/sandbox/index.js';

const parent = {
  PATH: '/usr/bin',
  HOME: '/home/h',
  LANG: 'C.UTF-8',
  TZ: 'UTC',
  TMPDIR: '/tmp',
  PLUGBOARD_PROTOCOL: 'plugboard/1',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'eu-west-1',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem',
  NODE_OPTIONS: '--inspect',
  UNSET: undefined,
};

test('keeps the base allow-list and PLUGBOARD_* only', () => {
  assert.deepEqual(reduceEnvironment(parent), {
    PATH: '/usr/bin',
    HOME: '/home/h',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    TMPDIR: '/tmp',
    PLUGBOARD_PROTOCOL: 'plugboard/1',
  });
  assert.deepEqual([...BASE_ENV_ALLOW_LIST].sort(), ['HOME', 'LANG', 'PATH', 'TMPDIR', 'TZ']);
});

test('adds declared names, exactly or by a trailing-* prefix', () => {
  const exact = reduceEnvironment(parent, ['AWS_REGION', 'NODE_EXTRA_CA_CERTS']);
  assert.equal(exact['AWS_REGION'], 'eu-west-1');
  assert.equal(exact['NODE_EXTRA_CA_CERTS'], '/etc/ssl/extra.pem');
  assert.equal(exact['AWS_SECRET_ACCESS_KEY'], undefined);
  const prefixed = reduceEnvironment(parent, ['AWS_*']);
  assert.equal(prefixed['AWS_SECRET_ACCESS_KEY'], 'secret');
  assert.equal(prefixed['NODE_OPTIONS'], undefined);
});

test('a lone * does not pass the whole environment', () => {
  assert.equal(reduceEnvironment(parent, ['*'])['AWS_SECRET_ACCESS_KEY'], undefined);
});
