import { discoverPlugins, queryCapabilities } from '@plugboard/host';
import { ERROR_CODES, isPlugboardError, type ErrorCode } from '@plugboard/core';
import type { VerificationCheck, VerificationReport } from '@plugboard/installer';
import type { CliIo } from '../cli-io.js';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';

/** A verification check, or the capabilities handshake run through the plugin host. */
type InstalledCheck =
  | VerificationCheck
  | {
      readonly check: 'handshake';
      readonly ok: boolean;
      readonly message: string;
      readonly code?: ErrorCode;
    };

/** The code (and so the exit code) a failed check stands for. */
const CHECK_CODES: Readonly<Record<InstalledCheck['check'], ErrorCode>> = {
  record: 'DIGEST_MISMATCH',
  files: 'DIGEST_MISMATCH',
  lock: 'DIGEST_MISMATCH',
  signature: 'SIGNATURE_INVALID',
  manifest: 'MANIFEST_INVALID',
  handshake: 'PLUGIN_PROTOCOL_ERROR',
};

/**
 * `plugboard validate <name>` for installed plugins: the installer's checks (manifest, files
 * against the install record, digest against plugboard.lock, signatures against trust:), then the
 * capabilities handshake through the plugin host (`EXE capabilities`, whose capability types must
 * cover the manifest's). Returns the exit code of the first failure, 0 when all pass.
 */
export async function validateInstalled(
  names: readonly string[],
  io: CliIo,
  options: { readonly json: boolean; readonly config?: string | undefined },
): Promise<number> {
  const installer = openInstaller(io, await openClientContext(io, options.config));
  const results: { report: VerificationReport; checks: InstalledCheck[] }[] = [];
  for (const name of names) {
    for (const report of await installer.verify(name)) {
      results.push({ report, checks: [...report.checks, await handshake(report, io)] });
    }
  }
  if (options.json) {
    io.stdout(
      toJsonText(
        results.map(({ report, checks }) => ({
          name: report.name,
          version: report.version,
          path: report.path,
          state: report.enabled ? 'enabled' : 'disabled',
          valid: checks.every((check) => check.ok),
          checks,
        })),
      ),
    );
  } else {
    for (const { report, checks } of results) {
      io.stdout(
        `${report.name}@${report.version} (${report.path}, ${report.enabled ? 'enabled' : 'disabled'})\n`,
      );
      for (const check of checks)
        io.stdout(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.check}: ${check.message}\n`);
    }
  }
  const failed = results.flatMap(({ checks }) => checks).find((check) => !check.ok);
  if (failed === undefined) return 0;
  const code = ('code' in failed ? failed.code : undefined) ?? CHECK_CODES[failed.check];
  return ERROR_CODES[code].exitCode;
}

async function handshake(report: VerificationReport, io: CliIo): Promise<InstalledCheck> {
  if (report.manifest?.runtime?.type === 'image') {
    return {
      check: 'handshake',
      ok: true,
      message: 'not run: image plugins are not started by the plugin host',
    };
  }
  try {
    const { plugins, problems } = await discoverPlugins([report.path], {
      env: { ...io.env },
    });
    const plugin = plugins[0];
    if (plugin === undefined) {
      const problem = problems[0];
      return {
        check: 'handshake',
        ok: false,
        message: problem?.message ?? 'the plugin host found no plugin here',
        code: problem?.code ?? 'PLUGIN_START_FAILED',
      };
    }
    const answered = await queryCapabilities(plugin.launch, {
      plugin: report.name,
      env: { ...io.env },
    });
    const offered = new Set(answered.capabilities.map((capability) => capability.type));
    const missing = (report.manifest?.capabilities ?? [])
      .map((c) => c.type)
      .filter((type) => !offered.has(type));
    if (missing.length > 0) {
      return {
        check: 'handshake',
        ok: false,
        message: `"capabilities" does not offer ${missing.join(', ')}, which the manifest declares; rebuild the plugin or fix its manifest`,
      };
    }
    return {
      check: 'handshake',
      ok: true,
      message: `"capabilities" answered ${answered.format} with ${[...offered].join(', ') || 'no capabilities'}`,
    };
  } catch (error) {
    if (!isPlugboardError(error)) throw error;
    return { check: 'handshake', ok: false, message: error.message, code: error.code };
  }
}
