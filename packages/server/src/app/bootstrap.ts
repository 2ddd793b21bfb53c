import { hashTokenSecret, type MetadataStore } from '@plugboard/store';
import { DEFAULT_DOMAIN_ID } from '../auth/authenticate.js';

/** What the first start created, for `main.ts` to print once. */
export interface BootstrapResult {
  /** The admin token's secret when this start generated one; it is never shown again. */
  readonly generatedAdminToken: string | undefined;
}

/**
 * Makes sure the default domain exists and holds an admin token: the one given in
 * `PLUGBOARD_ADMIN_TOKEN`, else (first start only) a generated one. Safe to run on every start and
 * by several replicas at once.
 */
export async function bootstrapRegistry(
  store: MetadataStore,
  adminToken: string | undefined,
): Promise<BootstrapResult> {
  if ((await store.getDomain(DEFAULT_DOMAIN_ID)) === undefined) {
    await store
      .createDomain({ id: DEFAULT_DOMAIN_ID, name: 'Default' })
      .catch(async (error: unknown) => {
        // Another replica may have created it between the check and the insert.
        if ((await store.getDomain(DEFAULT_DOMAIN_ID)) === undefined) throw error;
      });
  }
  if (adminToken !== undefined) {
    if ((await store.findTokenByHash(hashTokenSecret(adminToken))) === undefined) {
      await store.createToken({
        domainId: DEFAULT_DOMAIN_ID,
        name: 'admin (PLUGBOARD_ADMIN_TOKEN)',
        role: 'admin',
        secret: adminToken,
      });
    }
    return { generatedAdminToken: undefined };
  }
  const tokens = await store.listTokens(DEFAULT_DOMAIN_ID);
  if (tokens.some((token) => token.role === 'admin' && token.revokedAt === undefined)) {
    return { generatedAdminToken: undefined };
  }
  const created = await store.createToken({
    domainId: DEFAULT_DOMAIN_ID,
    name: 'admin (first start)',
    role: 'admin',
  });
  return { generatedAdminToken: created.secret };
}
