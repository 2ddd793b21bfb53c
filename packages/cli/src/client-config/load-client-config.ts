import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  PlugboardError,
  expandEnvironment,
  parseDocument,
  problemsError,
  type Problem,
} from '@plugboard/core';
import { DEFAULT_HTTP_TIMEOUT_MS, parsePublicKey, type TrustedKey } from '@plugboard/installer';
import {
  DEFAULT_REGISTRY_PRIORITY,
  DEFAULT_REGISTRY_TIMEOUT_MS,
  type ClientConfig,
  type RegistryAuth,
  type RegistryConfig,
} from './client-config.js';
import { resolveClientPaths } from './config-paths.js';
import { FieldReader } from './config-field-reader.js';

const TOP_LEVEL_KEYS = new Set([
  'registries',
  'discovery',
  'install_root',
  'cache_dir',
  'lock_file',
  'trust',
  'github',
  'oci',
  's3',
  'gs',
  'http_timeout',
  'max_download_bytes',
]);
const REGISTRY_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** What `loadClientConfig` reads besides the file. */
export interface ClientConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** `--config FILE`. */
  readonly configFlag?: string | undefined;
}

/**
 * Loads the client config: defaults, then the file (`--config`, `$PLUGBOARD_HOME/config.yaml` or
 * `$XDG_CONFIG_HOME/plugboard/config.yaml`; a missing default file means defaults), then
 * `PLUGBOARD_INSTALL_ROOT` and `PLUGBOARD_REGISTRY_URL`/`PLUGBOARD_TOKEN`. Read → parse →
 * expand `${VAR}` → normalize → validate; every problem is reported at once with its dot-path as
 * `CONFIG_INVALID`. Relative paths in the file are relative to the file's folder.
 */
export async function loadClientConfig(sources: ClientConfigSources): Promise<ClientConfig> {
  const paths = resolveClientPaths(sources.env, sources.cwd, sources.configFlag);
  let text: string | undefined;
  try {
    text = await readFile(paths.configFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (paths.explicit) {
      throw new PlugboardError(
        'NOT_FOUND',
        `config file ${paths.configFile} does not exist; check --config, or leave it out to use ${resolveClientPaths(sources.env, sources.cwd, undefined).configFile}`,
      );
    }
  }
  const raw = text === undefined ? {} : (parseDocument(text, { name: paths.configFile }) ?? {});
  const problems: Problem[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw problemsError('CONFIG_INVALID', `${paths.configFile} is not valid`, [
      { path: '', message: 'must be a mapping of settings' },
    ]);
  }
  const document = expandEnvironment(raw, sources.env, '', problems) as Record<string, unknown>;
  const base = dirname(paths.configFile);
  const reader = new FieldReader(problems, sources.env['HOME']);
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      problems.push({
        path: key,
        message: `is not a setting (known: ${[...TOP_LEVEL_KEYS].join(', ')})`,
      });
    }
  }
  const discovery = reader.record(document['discovery'], 'discovery');
  const registryList =
    document['registries'] !== undefined
      ? { value: document['registries'], path: 'registries' }
      : { value: discovery?.['registries'], path: 'discovery.registries' };
  const registries = readRegistries(registryList.value, registryList.path, reader);
  const envRegistry = sources.env['PLUGBOARD_REGISTRY_URL'];
  if (envRegistry !== undefined && envRegistry !== '') {
    const token = sources.env['PLUGBOARD_TOKEN'];
    registries.push({
      name: 'default',
      url: registryApiUrl(envRegistry, 'PLUGBOARD_REGISTRY_URL', problems),
      priority: 0,
      timeoutMs: DEFAULT_REGISTRY_TIMEOUT_MS,
      auth: token === undefined || token === '' ? { type: 'none' } : { type: 'bearer', token },
    });
  }
  const names = new Set<string>();
  registries.forEach((registry, index) => {
    if (names.has(registry.name)) {
      problems.push({ path: `registries[${index}].name`, message: `repeats "${registry.name}"` });
    }
    names.add(registry.name);
  });
  const trust = reader.record(document['trust'], 'trust');
  const keys = await readTrustedKeys(trust?.['keys'], base, reader);
  const github = reader.record(document['github'], 'github');
  const oci = reader.record(document['oci'], 'oci');
  const s3 = reader.record(document['s3'], 's3');
  const gs = reader.record(document['gs'], 'gs');
  const accessKeyId = reader.string(s3?.['access_key_id'], 's3.access_key_id');
  const secretAccessKey = reader.string(s3?.['secret_access_key'], 's3.secret_access_key');
  const sessionToken = reader.string(s3?.['session_token'], 's3.session_token');
  if (
    (accessKeyId === undefined || accessKeyId === '') !==
    (secretAccessKey === undefined || secretAccessKey === '')
  ) {
    problems.push({
      path: 's3',
      message: 'give both access_key_id and secret_access_key, or neither (anonymous)',
    });
  }
  const envRoot = sources.env['PLUGBOARD_INSTALL_ROOT'];
  const config: ClientConfig = {
    paths,
    registries,
    installRoot:
      envRoot !== undefined && envRoot !== ''
        ? resolve(sources.cwd, envRoot)
        : (reader.path(document['install_root'], 'install_root', base) ?? paths.installRoot),
    cacheDir: reader.path(document['cache_dir'], 'cache_dir', base) ?? paths.cacheDir,
    lockFile: reader.path(document['lock_file'], 'lock_file', base),
    trust: {
      keys,
      requireSignatures:
        reader.boolean(trust?.['require_signatures'], 'trust.require_signatures') ?? false,
    },
    github: {
      apiUrl: reader.string(github?.['api_url'], 'github.api_url'),
      token: reader.string(github?.['token'], 'github.token'),
    },
    oci: {
      plainHttpHosts: reader.stringList(oci?.['plain_http'], 'oci.plain_http') ?? [],
      credentials: readOciCredentials(oci?.['credentials'], reader),
    },
    s3: {
      endpoint: reader.string(s3?.['endpoint'], 's3.endpoint'),
      region: reader.string(s3?.['region'], 's3.region'),
      credentials:
        accessKeyId === undefined ||
        accessKeyId === '' ||
        secretAccessKey === undefined ||
        secretAccessKey === ''
          ? undefined
          : {
              accessKeyId,
              secretAccessKey,
              sessionToken: sessionToken === '' ? undefined : sessionToken,
            },
    },
    gs: {
      endpoint: reader.string(gs?.['endpoint'], 'gs.endpoint'),
      token: emptyToUndefined(reader.string(gs?.['token'], 'gs.token')),
    },
    httpTimeoutMs:
      reader.duration(document['http_timeout'], 'http_timeout') ?? DEFAULT_HTTP_TIMEOUT_MS,
    maxDownloadBytes: reader.positiveInteger(document['max_download_bytes'], 'max_download_bytes'),
  };
  if (problems.length > 0) {
    throw problemsError('CONFIG_INVALID', `${paths.configFile} is not valid`, problems, {
      file: paths.configFile,
    });
  }
  return Object.freeze(config);
}

function readRegistries(value: unknown, path: string, reader: FieldReader): RegistryConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.problems.push({
      path,
      message: 'must be a list of {name, url, priority, timeout, auth}',
    });
    return [];
  }
  const registries: RegistryConfig[] = [];
  value.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    const record = reader.record(item, at);
    if (record === undefined) return;
    const name = reader.string(record['name'], `${at}.name`, true) ?? '';
    if (name !== '' && !REGISTRY_NAME.test(name)) {
      reader.problems.push({
        path: `${at}.name`,
        message: 'must be lower-case letters, digits and "-", starting with a letter',
      });
    }
    const url = reader.string(record['url'], `${at}.url`, true);
    registries.push({
      name,
      url: url === undefined ? '' : registryApiUrl(url, `${at}.url`, reader.problems),
      priority: reader.number(record['priority'], `${at}.priority`) ?? DEFAULT_REGISTRY_PRIORITY,
      timeoutMs: reader.duration(record['timeout'], `${at}.timeout`) ?? DEFAULT_REGISTRY_TIMEOUT_MS,
      auth: readAuth(record['auth'], `${at}.auth`, reader),
    });
  });
  return registries;
}

function readAuth(value: unknown, path: string, reader: FieldReader): RegistryAuth {
  const record = reader.record(value, path);
  if (record === undefined) return { type: 'none' };
  const type = reader.string(record['type'], `${path}.type`) ?? 'none';
  switch (type) {
    case 'none':
      return { type };
    case 'api_key':
      return { type, apiKey: reader.string(record['api_key'], `${path}.api_key`, true) ?? '' };
    case 'bearer':
    case 'bearer_token':
      return { type: 'bearer', token: reader.string(record['token'], `${path}.token`, true) ?? '' };
    case 'basic':
    case 'basic_auth':
      return {
        type: 'basic',
        username: reader.string(record['username'], `${path}.username`, true) ?? '',
        password: reader.string(record['password'], `${path}.password`, true) ?? '',
      };
    default:
      reader.problems.push({
        path: `${path}.type`,
        message: `must be none, api_key, bearer or basic, not "${type}"`,
      });
      return { type: 'none' };
  }
}

async function readTrustedKeys(
  value: unknown,
  base: string,
  reader: FieldReader,
): Promise<TrustedKey[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.problems.push({
      path: 'trust.keys',
      message: 'must be a list of {id, public_key | public_key_file}',
    });
    return [];
  }
  const keys: TrustedKey[] = [];
  for (const [index, item] of value.entries()) {
    const at = `trust.keys[${index}]`;
    const record = reader.record(item, at);
    if (record === undefined) continue;
    const id = reader.string(record['id'], `${at}.id`, true);
    let text = reader.string(record['public_key'], `${at}.public_key`);
    const file = reader.path(record['public_key_file'], `${at}.public_key_file`, base);
    if (text === undefined && file !== undefined) {
      text = await readFile(file, 'utf8').catch(() => {
        reader.problems.push({ path: `${at}.public_key_file`, message: `cannot read ${file}` });
        return undefined;
      });
    }
    if (text === undefined) {
      if (file === undefined)
        reader.problems.push({ path: at, message: 'needs public_key or public_key_file' });
      continue;
    }
    try {
      if (id !== undefined) keys.push({ keyId: id, key: parsePublicKey(text, `${at}.public_key`) });
    } catch (error) {
      reader.problems.push({ path: `${at}.public_key`, message: (error as Error).message });
    }
  }
  return keys;
}

function readOciCredentials(
  value: unknown,
  reader: FieldReader,
): Record<string, { username: string; password: string }> {
  const record = reader.record(value, 'oci.credentials');
  const credentials: Record<string, { username: string; password: string }> = {};
  for (const [host, item] of Object.entries(record ?? {})) {
    const entry = reader.record(item, `oci.credentials.${host}`);
    if (entry === undefined) continue;
    credentials[host] = {
      username: reader.string(entry['username'], `oci.credentials.${host}.username`, true) ?? '',
      password: reader.string(entry['password'], `oci.credentials.${host}.password`, true) ?? '',
    };
  }
  return credentials;
}

function emptyToUndefined(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}

/** A registry URL as the client takes it: a bare origin gets the API prefix `/api/v1`. */
function registryApiUrl(text: string, path: string, problems: Problem[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push({ path, message: `"${text}" is not an absolute URL` });
    return text;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push({ path, message: 'must be an http:// or https:// URL' });
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v1';
  return url.toString().replace(/\/+$/, '');
}
