/** A REMOTE repository (another Plugboard server) as shown to clients: never its token. */
export interface RemoteRepository {
  readonly id: string;
  readonly domainId: string;
  /** Unique within the domain, e.g. `community`. */
  readonly name: string;
  /** The remote's registry URL, e.g. `https://registry.example.com/api/v1`. */
  readonly endpoint: string;
  /** Lower numbers are asked first and win name clashes among REMOTEs. */
  readonly priority: number;
  readonly timeoutMs: number;
  /** True when a token is stored for it. */
  readonly hasToken: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A REMOTE repository with the token needed to call it. For the server's client only. The server
 * stores tokens encrypted (`sealedToken`, opaque to the store); `token` is a clear token an older
 * server wrote, until `sealRepositoryTokens` replaces it.
 */
export interface RemoteRepositoryConnection extends RemoteRepository {
  readonly token: string | undefined;
  readonly sealedToken: string | undefined;
}

/** A stored clear token, as `sealRepositoryTokens` hands it to the sealing function. */
export interface ClearRepositoryToken {
  readonly domainId: string;
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

/** What `createRepository` needs. */
export interface CreateRepositoryInput {
  readonly name: string;
  readonly endpoint: string;
  /** The token encrypted by the server; the store keeps it as it is. */
  readonly sealedToken?: string | undefined;
  /**
   * A token stored in clear, as servers before sealed tokens did. Only for tests of that upgrade
   * path: the server passes `sealedToken`.
   */
  readonly token?: string | undefined;
  /** Defaults to `DEFAULT_REPOSITORY_PRIORITY`. */
  readonly priority?: number | undefined;
  /** Defaults to `DEFAULT_REPOSITORY_TIMEOUT_MS`. */
  readonly timeoutMs?: number | undefined;
}

/** Priority of a REMOTE repository created without one. */
export const DEFAULT_REPOSITORY_PRIORITY = 100;

/** Per-call timeout of a REMOTE repository created without one. */
export const DEFAULT_REPOSITORY_TIMEOUT_MS = 10_000;

/** The repository without its token: what may be returned to a client or logged. */
export function toPublicRepository(repository: RemoteRepository): RemoteRepository {
  return {
    id: repository.id,
    domainId: repository.domainId,
    name: repository.name,
    endpoint: repository.endpoint,
    priority: repository.priority,
    timeoutMs: repository.timeoutMs,
    hasToken: repository.hasToken,
    createdAt: repository.createdAt,
    updatedAt: repository.updatedAt,
  };
}
