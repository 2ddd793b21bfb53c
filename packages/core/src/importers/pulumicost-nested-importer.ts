import { problemsError } from '../errors/plugboard-error.js';
import { compileSchema, joinPath, type SchemaCheck } from '../schema/json-schema-validator.js';
import { ImportContext, ownField, setOwnField, type FieldMap } from './import-context.js';
import type { ImportedManifest } from './manifest-format.js';
import {
  convertConfiguration,
  convertPermissions,
  convertRequirements,
  mergeAuthentication,
} from './pulumicost-sections.js';
import { PULUMICOST_MANIFEST_SCHEMA } from './schemas/pulumicost-manifest-schema.js';

let checkPulumicostManifest: SchemaCheck | undefined;

/** Lists the problems of a nested PulumiCost manifest against the PulumiCost JSON Schema. */
export function listPulumicostManifestProblems(document: unknown): ReturnType<SchemaCheck> {
  checkPulumicostManifest ??= compileSchema(PULUMICOST_MANIFEST_SCHEMA);
  return checkPulumicostManifest(document);
}

/** `metadata` fields that become native fields rather than native metadata. */
const MAPPED_METADATA = new Set([
  'name',
  'version',
  'description',
  'author',
  'homepage',
  'keywords',
]);

/**
 * The nested PulumiCost manifest, checked against its own JSON Schema first (problems name the
 * input paths), then converted:
 * - `metadata.{name, version, description}` as is; `author` and `homepage` → `contacts`;
 *   `keywords` → `labels`; `license`, `repository`, timestamps → native `metadata`.
 * - The plugin is the gRPC service of `specification.service_definition`: `type` is its name in
 *   snake case without `Service` (`CostSourceService` → `cost_source`), and it has ONE capability
 *   `{type, name: service_name, endpoints: methods, resource_types, features, grpc,
 *   supported_resources}` where `features` are the PulumiCost capability strings (they describe
 *   the service, they are not separately callable) and `resource_types` joins every provider's.
 * - `specification.supported_providers` → `providers`; `security.permissions` → `permissions`;
 *   `requirements` and `configuration` as in the flat form; `installation`, `security`,
 *   `spec_version` and `observability_support` are kept in `metadata`.
 */
export function importNestedPulumicostManifest(document: FieldMap): ImportedManifest {
  const schemaProblems = listPulumicostManifestProblems(document);
  if (schemaProblems.length > 0) {
    throw problemsError('MANIFEST_INVALID', 'pulumicost manifest is invalid', schemaProblems, {
      format: 'pulumicost',
    });
  }
  // The schema has passed: every field below has the type and shape the schema gives it.
  const ctx = new ImportContext('pulumicost');
  const meta = ownField(document, 'metadata') as FieldMap;
  const spec = ownField(document, 'specification') as FieldMap;
  const service = ownField(spec, 'service_definition') as FieldMap;
  const security = ownField(document, 'security') as FieldMap | undefined;

  for (const key of ['name', 'version', 'description']) ctx.origin(key, `metadata.${key}`);
  ctx.origin('contacts.author', 'metadata.author');
  ctx.origin('contacts.url', 'metadata.homepage');
  ctx.origin('labels', 'metadata.keywords');
  ctx.origin('providers', 'specification.supported_providers');
  ctx.origin('capabilities[0]', 'specification.service_definition');

  const serviceName = ownField(service, 'service_name') as string;
  const type = serviceType(serviceName);
  const { requirements, authMethods } = convertRequirements(
    ctx,
    ownField(document, 'requirements'),
  );
  const configuration = convertConfiguration(ctx, ownField(document, 'configuration'));
  const permissions =
    security === undefined
      ? undefined
      : convertPermissions(ctx, ownField(security, 'permissions'), 'security.permissions');

  const metadata: FieldMap = {};
  for (const [key, value] of Object.entries(meta)) {
    if (!MAPPED_METADATA.has(key)) {
      setOwnField(metadata, key, value);
      ctx.origin(joinPath('metadata', key), joinPath('metadata', key));
    }
  }
  const kept: [string, unknown][] = [
    ['spec_version', ownField(spec, 'spec_version')],
    ['observability_support', ownField(spec, 'observability_support')],
    ['installation', ownField(document, 'installation')],
    ['security', security],
    ['configuration', configuration.original],
  ];
  for (const [key, value] of kept) if (value !== undefined) setOwnField(metadata, key, value);

  return ctx.finish({
    name: ownField(meta, 'name'),
    version: ownField(meta, 'version'),
    description: ownField(meta, 'description'),
    type,
    capabilities: [serviceCapability(type, service, spec)],
    providers: ownField(spec, 'supported_providers'),
    labels: ownField(meta, 'keywords'),
    requirements,
    authentication: mergeAuthentication(undefined, authMethods),
    permissions,
    configuration: configuration.schema,
    contacts: {
      author: ownField(meta, 'author'),
      ...(Object.hasOwn(meta, 'homepage') ? { url: meta['homepage'] } : {}),
    },
    metadata,
  });
}

/** `CostSourceService` → `cost_source`. */
function serviceType(serviceName: string): string {
  const base = serviceName.replace(/Service$/, '') || serviceName;
  return base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function serviceCapability(type: string, service: FieldMap, spec: FieldMap): FieldMap {
  const supported = (ownField(spec, 'supported_resources') ?? {}) as Record<string, FieldMap>;
  const resourceTypes = new Set<string>();
  for (const provider of Object.values(supported)) {
    for (const resourceType of ownField(provider, 'resource_types') as string[]) {
      resourceTypes.add(resourceType);
    }
  }
  const grpc: FieldMap = { package_name: ownField(service, 'package_name') };
  for (const key of ['port', 'health_check_path']) {
    if (Object.hasOwn(service, key)) grpc[key] = service[key];
  }
  const capability: FieldMap = {
    type,
    name: ownField(service, 'service_name'),
    endpoints: ownField(service, 'methods'),
    grpc,
  };
  if (resourceTypes.size > 0) capability['resource_types'] = [...resourceTypes];
  if (Object.hasOwn(spec, 'capabilities')) capability['features'] = spec['capabilities'];
  if (Object.hasOwn(spec, 'supported_resources')) capability['supported_resources'] = supported;
  return capability;
}
