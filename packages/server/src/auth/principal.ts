import { PlugboardError } from '@plugboard/core';
import type { TokenRole } from '@plugboard/store';

/** Who made a request: a token of one domain with one role, or nobody. */
export interface Principal {
  readonly domainId: string;
  readonly role: TokenRole;
  /** The token's id, or `admin-password` for HTTP Basic with the admin password. */
  readonly tokenId: string;
}

const ROLE_RANK: Readonly<Record<TokenRole, number>> = { reader: 1, publisher: 2, admin: 3 };

/** True when `role` includes everything `needed` may do. */
export function roleAllows(role: TokenRole, needed: TokenRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

/**
 * Returns the principal when it has at least `needed`; throws UNAUTHENTICATED for anonymous
 * requests and FORBIDDEN for a weaker role.
 */
export function requireRole(principal: Principal | undefined, needed: TokenRole): Principal {
  if (principal === undefined) {
    throw new PlugboardError(
      'UNAUTHENTICATED',
      'this operation needs credentials: Authorization: Bearer <token>',
    );
  }
  if (!roleAllows(principal.role, needed)) {
    throw new PlugboardError(
      'FORBIDDEN',
      `this operation needs the ${needed} role; the token has ${principal.role}`,
      {
        details: { needed, role: principal.role },
      },
    );
  }
  return principal;
}
