import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importManifest,
  importManifestText,
  listManifestProblems,
  parseDocument,
  spaceoneImporter,
} from '@plugboard/core';
import { expectProblemsAt } from './expect-problem.js';
import { extraField } from './extra-field.js';
import { cloudforetFixtures, readFixture } from './fixture-files.js';

function importFixture(path: string) {
  return importManifestText(readFixture(path), { source: path });
}

describe('spaceone importer', () => {
  it('imports every Cloudforet managed plugin, detected as spaceone', () => {
    const files = cloudforetFixtures();
    assert.equal(files.length, 35);
    const names = new Set<string>();
    for (const file of files) {
      const { format, manifest } = importFixture(file);
      assert.equal(format, 'spaceone', file);
      assert.deepEqual(listManifestProblems(manifest), [], file);
      assert.equal(manifest.runtime?.type, 'image', file);
      assert.equal(manifest.version, undefined, `${file}: image plugins carry no version`);
      assert.equal(manifest.capabilities?.[0]?.type, manifest.type, file);
      names.add(manifest.name);
    }
    assert.equal(names.size, 35, 'every managed plugin gets its own id');
  });

  it('maps the AWS CloudTrail data source field by field', () => {
    const { manifest, warnings } = importFixture(
      'cloudforet-managed-plugins/plugin-aws-cloudtrail-mon-datasource.yaml',
    );
    assert.equal(manifest.name, 'plugin-aws-cloudtrail-mon-datasource');
    assert.equal(manifest.display_name, 'AWS CloudTail Log DataSource');
    assert.equal(manifest.type, 'monitoring.DataSource');
    assert.deepEqual(manifest.providers, ['aws']);
    assert.deepEqual(manifest.labels, ['Monitoring', 'AWS', 'CloudTrail']);
    assert.deepEqual(manifest.capabilities, [
      {
        type: 'monitoring.DataSource',
        monitoring_type: 'LOG',
        supported_schema: ['aws_access_key', 'aws_assume_role', 'aws_assume_role_with_external_id'],
        use_resource_secret: true,
      },
    ]);
    assert.equal(
      manifest.icon,
      'https://spaceone-custom-assets.s3.ap-northeast-2.amazonaws.com/console-assets/icons/aws-cloudtrail.svg',
    );
    assert.equal(manifest.description, 'AWS CloudTail Log DataSource');
    assert.match(manifest.tags?.['long_description'] ?? '', /^AWS CloudTrail Logs provide/);
    assert.deepEqual(manifest.runtime, {
      type: 'image',
      image: 'plugin-aws-cloudtrail-mon-datasource',
    });
    assert.deepEqual(warnings, []);
  });

  it('keeps the plugin_id when it differs from the image (EC2 collector) and a secret data type', () => {
    const ec2 = importFixture('cloudforet-managed-plugins/plugin-aws-ec2-inven-collector.yaml');
    assert.equal(ec2.manifest.name, 'plugin-aws-ec2-inven-collector');
    assert.equal(ec2.manifest.runtime?.image, 'plugin-aws-inven-collector');
    const telegram = importFixture('cloudforet-managed-plugins/plugin-telegram-noti-protocol.yaml');
    assert.equal(extraField(telegram.manifest.capabilities?.[0], 'data_type'), 'SECRET');
    assert.deepEqual(telegram.manifest.labels, []);
  });

  it('keeps docs and template in metadata', () => {
    const prometheus = importFixture(
      'cloudforet-managed-plugins/plugin-prometheus-mon-webhook.yaml',
    );
    const docs = prometheus.manifest.metadata?.['docs'] as Record<string, string>;
    assert.match(docs['en'] ?? '', /# Prometheus Webhook/);
    const opencost = importFixture(
      'cloudforet-managed-plugins/plugin-k8s-opencost-cost-datasource.yaml',
    );
    assert.deepEqual(opencost.manifest.metadata, { template: {} });
    assert.deepEqual(opencost.manifest.providers, ['kubernetes']);
  });

  it('imports the seed 002 registration: service_type, name from the image, extra tags', () => {
    const { format, manifest, warnings } = importFixture('seed-002-slack-protocol.yaml');
    assert.equal(format, 'spaceone');
    assert.equal(manifest.name, 'plugin-slack-notification-protocol_settings');
    assert.equal(manifest.display_name, 'Slack Notification Protocol');
    assert.equal(manifest.type, 'notification.Protocol');
    assert.equal(manifest.tags?.['spaceone:plugin_name'], 'Slack');
    assert.deepEqual(manifest.capabilities?.[0], {
      type: 'notification.Protocol',
      supported_schema: ['slack_webhook'],
      data_type: 'SECRET',
    });
    assert.equal(manifest.runtime?.image, 'pyengine/plugin-slack-notification-protocol_settings');
    assert.ok(warnings.some((w) => w.includes('no plugin_id')));
  });

  it('lower-cases a plugin_id and derives ids from image references with registry, tag and digest', () => {
    const upper = importManifest({
      plugin_id: 'Plugin-AWS_EC2',
      resource_type: 'inventory.Collector',
    });
    assert.equal(upper.manifest.name, 'plugin-aws_ec2');
    assert.ok(upper.warnings.some((w) => w.includes('plugin-aws_ec2')));
    const fromImage = importManifest({
      image: 'registry.example.com:5000/cloudforet/Plugin-X:1.2.0@sha256:abcd',
      resource_type: 'inventory.Collector',
    });
    assert.equal(fromImage.manifest.name, 'plugin-x');
  });

  it('preserves unknown fields in metadata with a warning, and registry settings in runtime', () => {
    const { manifest, warnings } = importManifest({
      plugin_id: 'plugin-a',
      image: 'a',
      resource_type: 'inventory.Collector',
      registry_type: 'HARBOR',
      registry_config: { url: 'harbor.example.com' },
      domain_id: 'domain-123',
      tags: { description: 'A', priority: 3 },
    });
    assert.deepEqual(manifest.runtime, {
      type: 'image',
      image: 'a',
      registry: 'HARBOR',
      registry_config: { url: 'harbor.example.com' },
    });
    assert.equal(manifest.metadata?.['domain_id'], 'domain-123');
    assert.deepEqual(manifest.metadata?.['tags'], { priority: 3 });
    assert.deepEqual(manifest.tags, { description: 'A' });
    assert.ok(warnings.some((w) => w.includes('domain_id')));
    assert.ok(warnings.some((w) => w.includes('priority')));
  });

  it('names plugin_id when neither plugin_id nor image is given, with every other problem', () => {
    const error = expectProblemsAt(
      () =>
        importManifest(
          { resource_type: 7, labels: ['ok', 3], tags: 'x', capability: [] },
          { format: 'spaceone' },
        ),
      'plugin_id',
      'resource_type',
      'labels[1]',
      'tags',
      'capability',
    );
    assert.equal(error.details?.['format'], 'spaceone');
  });

  it('maps a native-schema failure back to the input field', () => {
    expectProblemsAt(
      () =>
        importManifest({
          plugin_id: 'p',
          image: 'p',
          resource_type: 'monitoring.Webhook',
          capability: { endpoints: 'not-a-list' },
        }),
      'capability.endpoints',
    );
  });

  it('detects by plugin_id, or image with a type or capability', () => {
    assert.ok(spaceoneImporter.detect({ plugin_id: 'x' }));
    assert.ok(spaceoneImporter.detect({ image: 'x', service_type: 'a.B' }));
    assert.ok(spaceoneImporter.detect({ image: 'x', capability: {} }));
    assert.ok(!spaceoneImporter.detect({ image: 'x', name: 'y' }));
    assert.ok(!spaceoneImporter.detect(parseDocument('{"name": "x"}') as Record<string, unknown>));
  });
});
