import { parseArgs } from 'node:util';
import type { InstallOutcome } from '@plugboard/installer';
import type { CliIo } from '../cli-io.js';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard install [<ref>...] [--config FILE] [--force] [--no-save] [--json]

  <ref> is name[@version|range|channel], registry:name[@…], https://…, file:///path, ./path,
  oci://host/repo[:tag][@sha256:…], github://owner/repo[@tag], s3://bucket/key or gs://bucket/key.
  Registries are asked in priority order. Every package is downloaded and checked (sha256 against
  the registry and the lock file, signatures against trust:) before any is installed into
  <install_root>/<name>/<version>/, and plugboard.lock records what was installed.
  With no <ref>: installs exactly what plugboard.lock names, refusing any digest mismatch.
  --force     reinstall even when the same version is installed
  --no-save   leave plugboard.lock as it is
  --config    the client config file (default $PLUGBOARD_HOME/config.yaml or
              $XDG_CONFIG_HOME/plugboard/config.yaml)`;

/** `plugboard install`: installs plugins from any source, or everything the lock file names. */
export const installCommand: Command = {
  name: 'install',
  summary:
    'install plugins (registry, https, file, oci, github, s3, gs), or what plugboard.lock names',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        force: { type: 'boolean', default: false },
        'no-save': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const installer = openInstaller(io, await openClientContext(io, values.config));
    const outcomes =
      positionals.length === 0
        ? await installer.installFromLock()
        : await installer.install(positionals, { force: values.force, save: !values['no-save'] });
    printOutcomes(io, outcomes, values.json);
    return 0;
  },
};

/** Prints install or update outcomes (warnings go to stderr). */
export function printOutcomes(io: CliIo, outcomes: readonly InstallOutcome[], json: boolean): void {
  for (const outcome of outcomes) {
    for (const warning of outcome.warnings) io.stderr(`warning: ${warning}\n`);
  }
  if (json) {
    io.stdout(
      toJsonText({
        plugins: outcomes.map((o) => ({
          name: o.name,
          version: o.version,
          status: o.status,
          previous: o.previous ?? null,
          digest: o.digest,
          source: o.source,
          signing_key_id: o.signingKeyId,
          path: o.path,
        })),
      }),
    );
    return;
  }
  for (const outcome of outcomes) {
    const signed = outcome.signingKeyId === null ? '' : `, signed by "${outcome.signingKeyId}"`;
    const what =
      outcome.status === 'unchanged'
        ? `${outcome.name}@${outcome.version} is already installed`
        : outcome.status === 'updated' && outcome.previous !== undefined
          ? `updated ${outcome.name} ${outcome.previous} → ${outcome.version}`
          : `${outcome.status} ${outcome.name}@${outcome.version}`;
    io.stdout(`${what} (${outcome.digest}${signed}) in ${outcome.path}\n`);
  }
}
