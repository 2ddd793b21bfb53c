import { PlugboardError } from '@plugboard/core';
import type { ClearRepositoryToken } from '@plugboard/store';
import type { ServerConfig } from '../../config/server-config.js';
import { SecretBox, loadSecretKey } from '../../secrets/secret-box.js';

/** The config a token box needs: the secret key setting, or the data folder that holds the key. */
export type SecretKeyConfig = Pick<ServerConfig, 'secretKey' | 'dataDir'>;

/**
 * Seals and opens the tokens of REMOTE repositories stored through the API, with the server's
 * secret key (`secret_key` / `PLUGBOARD_SECRET_KEY`, else `<data>/secret.key`: the key provider
 * secrets use). A token is bound to its domain and repository name, so a sealed token copied to
 * another row does not open. The key is read on first use.
 */
export class RemoteTokenBox {
  readonly #config: SecretKeyConfig;
  #box: Promise<SecretBox> | undefined;

  constructor(config: SecretKeyConfig) {
    this.#config = config;
  }

  /** The sealed form of `token` for the repository `name` of `domainId`. */
  async seal(domainId: string, name: string, token: string): Promise<string> {
    return (await this.#secretBox()).seal(token, tokenContext(domainId, name));
  }

  /** A sealing function for `MetadataStore.sealRepositoryTokens`, once the key is loaded. */
  async sealer(): Promise<(clear: ClearRepositoryToken) => string> {
    const box = await this.#secretBox();
    return (clear) => box.seal(clear.token, tokenContext(clear.domainId, clear.name));
  }

  /**
   * The clear token; `CONFIG_INVALID` naming the repository (never the token) when it does not
   * open: the secret key changed since it was stored, or the row was altered.
   */
  async open(domainId: string, name: string, sealed: string): Promise<string> {
    const box = await this.#secretBox();
    let token: unknown;
    try {
      token = box.open(sealed, tokenContext(domainId, name));
    } catch (cause) {
      throw new PlugboardError(
        'CONFIG_INVALID',
        `the stored token of REMOTE repository "${name}" cannot be decrypted: the server's secret key (secret_key / PLUGBOARD_SECRET_KEY or <data>/secret.key) is not the one it was stored with, or the record was altered; add the repository again with its token`,
        { cause, details: { repository: name, domainId } },
      );
    }
    if (typeof token !== 'string') {
      throw new PlugboardError('CONFIG_INVALID', `the stored token of "${name}" is not text`, {
        details: { repository: name, domainId },
      });
    }
    return token;
  }

  #secretBox(): Promise<SecretBox> {
    if (this.#box === undefined) {
      const loading = loadSecretKey(this.#config.secretKey, this.#config.dataDir).then(
        (key) => new SecretBox(key),
      );
      this.#box = loading;
      // A failed load (unreadable key file) is retried by the next call.
      loading.catch(() => {
        if (this.#box === loading) this.#box = undefined;
      });
    }
    return this.#box;
  }
}

function tokenContext(domainId: string, name: string): string {
  return `remote-repository:${domainId}:${name}`;
}
