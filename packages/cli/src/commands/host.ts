import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import type { PluginHost, PluginInfo } from '@plugboard/host';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';

const USAGE = `plugboard host list --dir DIR... [--json] [--sandbox]
plugboard host call --dir DIR... <plugin-or-capability> <method> [--data JSON|@FILE] [--timeout MS] [--sandbox]

  Runs a plugin host over plugin folders (<dir>/<name>/<version>/manifest.* or bare executables).
  list  prints each plugin, its versions, capabilities, state and any discovery problem.
  call  starts the plugin (by name, name@version or capability type), calls one method and prints
        the result as JSON; a streamed (NDJSON) result is printed a line per value as it arrives.`;

const hostOptions = {
  dir: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  sandbox: { type: 'boolean', default: false },
  data: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** `plugboard host list|call`: discovery and one-off calls through the plugin host. */
export const hostCommand: Command = {
  name: 'host',
  summary: 'list plugins in folders, or start one and call a method (plugin host)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: hostOptions,
    });
    const [action, ...rest] = positionals;
    const dirs = (values.dir ?? []).map((dir) => resolve(io.cwd, dir));
    if (dirs.length === 0)
      throw new PlugboardError('USAGE', 'host needs --dir DIR (a folder of plugins)');
    const { PluginHost } = await import('@plugboard/host');
    const host = new PluginHost({
      roots: dirs,
      sandbox: values.sandbox,
      env: io.env,
    });
    try {
      if (action === 'list') return await list(host, io, values.json);
      if (action === 'call') {
        const [target, method] = rest;
        if (target === undefined || method === undefined) {
          throw new PlugboardError('USAGE', 'host call needs <plugin-or-capability> <method>');
        }
        const input = await readInput(values.data, io.cwd);
        const timeoutMs =
          values.timeout === undefined ? undefined : positiveInteger(values.timeout, '--timeout');
        await host.discover();
        for await (const value of host.stream(
          target,
          method,
          input,
          timeoutMs === undefined ? {} : { timeoutMs },
        )) {
          io.stdout(`${JSON.stringify(value)}\n`);
        }
        return 0;
      }
      throw new PlugboardError('USAGE', `host needs list or call; got "${action ?? ''}"`);
    } finally {
      await host.shutdown();
    }
  },
};

async function list(host: PluginHost, io: CliIo, json: boolean): Promise<number> {
  const { problems } = await host.discover();
  const plugins = host.list();
  if (json) {
    io.stdout(`${JSON.stringify({ plugins, problems }, null, 2)}\n`);
    return 0;
  }
  for (const plugin of plugins) io.stdout(`${describe(plugin)}\n`);
  for (const problem of problems)
    io.stderr(`problem ${problem.code}: ${problem.path}: ${problem.message}\n`);
  io.stdout(`${plugins.length} plugin(s), ${problems.length} problem(s)\n`);
  return 0;
}

function describe(plugin: PluginInfo): string {
  const capabilities = plugin.capabilities
    .map(
      (c) =>
        `${c.type}${c.name === undefined ? '' : `:${c.name}`}${c.endpoints === undefined ? '' : ` [${c.endpoints.join(', ')}]`}`,
    )
    .join('; ');
  return `${plugin.id.padEnd(32)} ${plugin.state.padEnd(8)} ${capabilities}`;
}

async function readInput(data: string | undefined, cwd: string): Promise<unknown> {
  if (data === undefined) return {};
  const text = data.startsWith('@') ? await readFile(resolve(cwd, data.slice(1)), 'utf8') : data;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `--data is not valid JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
}

function positiveInteger(value: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `${flag} must be a positive integer of milliseconds`,
    );
  return Number(value);
}
