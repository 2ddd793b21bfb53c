import { readdirSync, readFileSync } from 'node:fs';

/** The package's `test/fixtures/` folder (tests run from `dist/test/importers/`). */
export const FIXTURES_DIR = new URL('../../../test/fixtures/', import.meta.url);

/** Reads a fixture file as text. */
export function readFixture(relativePath: string): string {
  return readFileSync(new URL(relativePath, FIXTURES_DIR), 'utf8');
}

/** Reads a JSON fixture. */
export function readJsonFixture(relativePath: string): unknown {
  return JSON.parse(readFixture(relativePath)) as unknown;
}

/** The 35 Cloudforet managed plugin YAML files, as paths relative to the fixtures folder. */
export function cloudforetFixtures(): string[] {
  return readdirSync(new URL('cloudforet-managed-plugins/', FIXTURES_DIR))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => `cloudforet-managed-plugins/${name}`);
}

/** The seed example fixtures with the format each must be detected as. */
export const SEED_FIXTURES = [
  { path: 'seed-001-ocm-capabilities.json', format: 'ocm' },
  { path: 'seed-002-slack-protocol.yaml', format: 'spaceone' },
  { path: 'seed-003-flat-manifest.json', format: 'pulumicost' },
  { path: 'seed-003-nested-manifest.json', format: 'pulumicost' },
  { path: 'seed-004-vcenter-manifest.yml', format: 'inventory' },
  { path: 'seed-004-aws-manifest.yml', format: 'inventory' },
] as const;
