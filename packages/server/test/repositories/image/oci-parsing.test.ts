import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { DOCKER_HUB_URL, locateImage } from '../../../src/repositories/image/oci-registry.js';
import { semverTagVersions } from '../../../src/repositories/image/semver-tags.js';
import { parseWwwAuthenticate } from '../../../src/repositories/image/www-authenticate.js';

test('parseWwwAuthenticate reads a Bearer challenge with quoted, comma-holding values', () => {
  const [challenge, ...rest] = parseWwwAuthenticate(
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push",error="insufficient_scope"',
  );
  assert.equal(rest.length, 0);
  assert.equal(challenge?.scheme, 'bearer');
  assert.deepEqual(challenge?.params, {
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
    scope: 'repository:a/b:pull,push',
    error: 'insufficient_scope',
  });
});

test('parseWwwAuthenticate reads several challenges, escapes and unquoted values', () => {
  const challenges = parseWwwAuthenticate('Basic realm="say \\"hi\\"", Bearer realm=https://t/x');
  assert.deepEqual(
    challenges.map((c) => [c.scheme, c.params['realm']]),
    [
      ['basic', 'say "hi"'],
      ['bearer', 'https://t/x'],
    ],
  );
  assert.deepEqual(parseWwwAuthenticate(''), []);
});

test('locateImage: Docker Hub by default, library/ for single names, hosts and tags split off', () => {
  assert.deepEqual(locateImage('alpine'), { origin: DOCKER_HUB_URL, repository: 'library/alpine' });
  assert.deepEqual(locateImage('cloudforet/plugin-aws-ec2:1.2.0'), {
    origin: DOCKER_HUB_URL,
    repository: 'cloudforet/plugin-aws-ec2',
  });
  assert.deepEqual(locateImage('ghcr.io/org/tool@sha256:' + 'a'.repeat(64)), {
    origin: 'https://ghcr.io',
    repository: 'org/tool',
  });
  assert.deepEqual(locateImage('localhost:5000/x/y:v1', { url: 'http://localhost:5000/' }), {
    origin: 'http://localhost:5000',
    repository: 'x/y',
  });
  assert.deepEqual(locateImage('x/y', { url: 'http://127.0.0.1:5000' }), {
    origin: 'http://127.0.0.1:5000',
    repository: 'x/y',
  });
});

test('locateImage refuses names that are not OCI repositories and non-http registries', () => {
  for (const [image, url] of [
    ['Upper/Case', undefined],
    ['a//b', undefined],
    ['x/y', 'ftp://host'],
    ['x/y', 'not a url'],
  ] as const) {
    assert.throws(
      () => locateImage(image, url === undefined ? undefined : { url }),
      (error: unknown) => isPlugboardError(error) && error.code === 'INVALID_ARGUMENT',
      `${image} ${url ?? ''}`,
    );
  }
});

test('semverTagVersions keeps SemVer tags, strips v, prefers the plain tag, sorts highest first', () => {
  const versions = semverTagVersions([
    'v1.0.0',
    'latest',
    '1.0.0',
    '10.0.0',
    '2.0.0-rc.1',
    '2.0.0',
    'v2',
    '01.0.0',
    'vv1.0.0',
  ]);
  assert.deepEqual(versions, [
    { version: '10.0.0', tag: '10.0.0' },
    { version: '2.0.0', tag: '2.0.0' },
    { version: '2.0.0-rc.1', tag: '2.0.0-rc.1' },
    { version: '1.0.0', tag: '1.0.0' },
  ]);
});
