import { childPath, isJsonObject, jsonTypeName, ProblemList } from '../json-shape.js';
import { protocolProblemsError, type ProtocolErrorCode } from '../protocol-error.js';

/** A link from one resource to another, by the target's `ems_ref`. */
export interface ResourceRelationship {
  /** Kind of link, e.g. `runs_on`, `attached_to`, `member_of`. */
  readonly type: string;
  readonly target_ems_ref: string;
}

/** One discovered resource, as a provider's `collect` streams it (one per NDJSON line). */
export interface ResourceData {
  /** The resource's id in the managed system; unique per provider. */
  readonly ems_ref: string;
  /** A resource type slug from the inventory taxonomy, e.g. `virtual_machine`. */
  readonly resource_type: string;
  readonly name: string;
  readonly state?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly relationships?: readonly ResourceRelationship[];
  readonly parent_ems_ref?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly [extra: string]: unknown;
}

/** Lists the problems of a `ResourceData` value at `path` (empty when it is valid). */
export function resourceDataProblems(value: unknown, path = ''): ProblemList {
  const problems = new ProblemList();
  if (!isJsonObject(value)) {
    problems.add(path, `must be an object, got ${jsonTypeName(value)}`);
    return problems;
  }
  problems.requiredString(value, 'ems_ref', path);
  problems.requiredString(value, 'resource_type', path);
  const name = value['name'];
  if (typeof name !== 'string') {
    problems.add(
      childPath(path, 'name'),
      name === undefined ? 'is required' : `must be a string, got ${jsonTypeName(name)}`,
    );
  }
  problems.optionalString(value, 'state', path);
  problems.optionalObject(value, 'properties', path);
  problems.optionalString(value, 'parent_ems_ref', path);
  problems.optionalStringMap(value, 'tags', path);
  const relationships = value['relationships'];
  const relPath = childPath(path, 'relationships');
  if (relationships !== undefined) {
    if (!Array.isArray(relationships)) {
      problems.add(relPath, `must be an array, got ${jsonTypeName(relationships)}`);
    } else {
      relationships.forEach((item: unknown, index) => {
        const at = childPath(relPath, index);
        if (!isJsonObject(item)) {
          problems.add(at, `must be an object, got ${jsonTypeName(item)}`);
          return;
        }
        problems.requiredString(item, 'type', at);
        problems.requiredString(item, 'target_ems_ref', at);
      });
    }
  }
  return problems;
}

/**
 * Validates one streamed resource. Throws `code` (by default `PLUGIN_PROTOCOL_ERROR`, since resources
 * come from plugins) listing every problem.
 */
export function parseResourceData(
  value: unknown,
  code: ProtocolErrorCode = 'PLUGIN_PROTOCOL_ERROR',
): ResourceData {
  const problems = resourceDataProblems(value);
  if (!problems.empty) throw protocolProblemsError(code, 'resource', problems.problems);
  return value as ResourceData;
}
