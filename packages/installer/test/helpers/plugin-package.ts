import { gzipTarArchive, type TarEntrySpec } from '../../src/index.js';

/** What a test plugin package holds. */
export interface TestPluginOptions {
  readonly name?: string;
  readonly version?: string;
  /** Extra text in `bin/run`, so two builds of one version differ. */
  readonly flavour?: string;
  /** Put everything below one top folder (`<name>-<version>/`), as `npm pack` does. */
  readonly topFolder?: boolean;
  readonly extra?: readonly TarEntrySpec[];
}

/** The capabilities document the test plugin's `bin/run capabilities` prints. */
export function capabilitiesOf(name: string, version: string): string {
  return JSON.stringify({
    name,
    version,
    protocol: 'plugboard/1',
    capabilities: [{ type: 'echo', endpoints: ['echo'] }],
  });
}

/**
 * A real plugin package: `manifest.json` (native format) and an executable `bin/run` shell script
 * answering `capabilities`, plus a data file and a symlink, gzip-tarred.
 */
export function pluginPackage(options: TestPluginOptions = {}): Buffer {
  const name = options.name ?? 'echo';
  const version = options.version ?? '1.0.0';
  const prefix = options.topFolder === true ? `${name}-${version}/` : '';
  const manifest = {
    name,
    version,
    description: `the ${name} test plugin`,
    capabilities: [{ type: 'echo', endpoints: ['echo'] }],
    runtime: { type: 'executable', entrypoint: 'bin/run' },
  };
  const script = `#!/bin/sh
# ${options.flavour ?? 'plain'}
if [ "$1" = "capabilities" ]; then
  printf '%s\\n' '${capabilitiesOf(name, version)}'
  exit 0
fi
exit 2
`;
  const entries: TarEntrySpec[] = [
    ...(prefix === '' ? [] : [{ path: prefix, type: '5' }]),
    { path: `${prefix}manifest.json`, content: JSON.stringify(manifest, null, 2) },
    { path: `${prefix}bin/`, type: '5' },
    { path: `${prefix}bin/run`, content: script, mode: 0o755 },
    { path: `${prefix}data/readme.txt`, content: `${name} ${version} ${options.flavour ?? ''}\n` },
    { path: `${prefix}readme`, type: '2', linkTarget: 'data/readme.txt' },
    ...(options.extra ?? []),
  ];
  return gzipTarArchive(entries);
}
