import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  capabilitiesDocument,
  findCapability,
  isProtocolError,
  isProviderCapability,
  parseCapabilitiesDocument,
  parseCapabilitiesOutput,
  ProtocolError,
} from '@plugboard/protocol';

const providerDoc = {
  protocol: 'plugboard/1',
  name: 'example-provider',
  version: '1.2.3',
  capabilities: [
    {
      type: 'provider',
      endpoints: ['connect', 'collect', 'disconnect', 'validate_connection'],
      schemas: { collect: { type: 'object' } },
      streaming: ['collect'],
      vendor: 'example',
      provider_type: 'static',
      resource_types: ['virtual_machine'],
    },
  ],
  config_schema: { type: 'object' },
  future_field: 1,
};

test('parses a full plugboard/1 document and keeps extra fields', () => {
  const out = parseCapabilitiesOutput(`\n${JSON.stringify(providerDoc)}\n`);
  assert.equal(out.format, 'plugboard');
  if (out.format !== 'plugboard') return;
  assert.equal(out.document.name, 'example-provider');
  assert.equal(out.document['future_field'], 1);
  const provider = findCapability(out.document, 'provider');
  assert.ok(provider !== undefined && isProviderCapability(provider));
  assert.equal(provider.vendor, 'example');
  assert.equal(findCapability(out.document, 'provider', 'other'), undefined);
});

test('recognises the OCM form', () => {
  const ocm = {
    capabilities: [
      {
        type: 'ocm.software/repository',
        supportedRepositoryTypes: [{ type: 'OCIRepository', aliases: ['oci'], jsonSchema: {} }],
      },
    ],
  };
  const out = parseCapabilitiesOutput(JSON.stringify(ocm));
  assert.equal(out.format, 'ocm');
});

test('capabilitiesDocument fills protocol and passes its own parser', () => {
  const doc = capabilitiesDocument({
    name: 'x',
    version: '0.1.0',
    capabilities: [{ type: 'echo', endpoints: ['echo'] }],
  });
  assert.equal(doc.protocol, 'plugboard/1');
  assert.deepEqual(parseCapabilitiesDocument(doc), doc);
});

test('lists every problem with its dot-path', () => {
  const bad = {
    protocol: 'plugboard/1',
    name: '',
    capabilities: [
      {
        type: 'provider',
        endpoints: ['collect', 3, 'collect', 'has space'],
        schemas: { collect: 'nope' },
        streaming: ['gone'],
      },
      'x',
      { endpoints: 'collect' },
      { type: 'provider', endpoints: [] },
    ],
    config_schema: 5,
  };
  try {
    parseCapabilitiesDocument(bad);
    assert.fail('expected a ProtocolError');
  } catch (error) {
    assert.ok(error instanceof ProtocolError);
    assert.equal(error.code, 'PLUGIN_PROTOCOL_ERROR');
    const paths = error.problems.map((p) => p.path);
    for (const expected of [
      'name',
      'version',
      'config_schema',
      'capabilities[0].endpoints[1]',
      'capabilities[0].endpoints[2]',
      'capabilities[0].endpoints[3]',
      'capabilities[0].schemas.collect',
      'capabilities[0].streaming[0]',
      'capabilities[1]',
      'capabilities[2].type',
      'capabilities[2].endpoints',
      'capabilities[3]',
    ]) {
      assert.ok(
        paths.includes(expected),
        `missing problem at ${expected}; got ${paths.join(', ')}`,
      );
    }
  }
});

for (const [what, text] of [
  ['empty output', '   \n'],
  ['plain text', 'usage: foo'],
  ['two documents', '{"a":1}\n{"b":2}'],
  ['a JSON string', '"plugboard/1"'],
  ['null', 'null'],
  ['wrong protocol', '{"protocol":"plugboard/0","name":"a","version":"1.0.0","capabilities":[]}'],
  [
    'capabilities not an array',
    '{"protocol":"plugboard/1","name":"a","version":"1.0.0","capabilities":{}}',
  ],
] as const) {
  test(`rejects ${what}`, () => {
    assert.throws(
      () => parseCapabilitiesOutput(text),
      (e: unknown) => isProtocolError(e, 'PLUGIN_PROTOCOL_ERROR'),
    );
  });
}

test('rejects output over the size limit without parsing it', () => {
  assert.throws(
    () => parseCapabilitiesOutput(' '.repeat(4_194_305)),
    (e: unknown) => isProtocolError(e, 'PAYLOAD_TOO_LARGE'),
  );
});
