/** A tenant. Every LOCAL plugin, token and REMOTE repository belongs to exactly one domain. */
export interface Domain {
  /** Stable id, e.g. `default` or `domain-3f9a1c02b7e4`. */
  readonly id: string;
  /** Human-readable name. */
  readonly name: string;
  /** RFC 3339 UTC time of creation. */
  readonly createdAt: string;
}

/** What `createDomain` needs; the id is generated when absent. */
export interface CreateDomainInput {
  readonly id?: string;
  readonly name: string;
}

/** Lower-case letters, digits and `-`, starting with a letter or digit; at most 64 characters. */
export const DOMAIN_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';
