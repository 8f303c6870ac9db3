import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../../db/client.js';
import { oauthStoreTable, type OAuthApp } from '../../../db/schema.js';
import { findApprovedApp } from '../../oauth-app/oauth-app.service.js';
import { API_SCOPES_PROPERTY } from './first-party.js';

/** An approved app as oidc-provider client metadata. The secret is its SHA-256 (see server.ts). */
export function clientMetadata(app: OAuthApp): AdapterPayload {
  return {
    client_id: app.clientId,
    client_secret: app.clientSecretHash,
    client_name: app.name,
    ...(app.homepageUrl ? { client_uri: app.homepageUrl } : {}),
    redirect_uris: app.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    [API_SCOPES_PROPERTY]: app.scopes.join(' '),
  };
}

const live = () => or(isNull(oauthStoreTable.expiresAt), gt(oauthStoreTable.expiresAt, sql`now()`));

/**
 * oidc-provider's storage in the oauth_store table (one row per model and id; grant id, uid and
 * user code columns are the secondary lookups). Clients are read from oauth_apps instead, and
 * only approved apps exist for the provider.
 */
class StoreAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const row = {
      payload: payload as Record<string, unknown>,
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: payload.uid ?? null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    await this.db
      .insert(oauthStoreTable)
      .values({ model: this.model, id, ...row })
      .onConflictDoUpdate({ target: [oauthStoreTable.model, oauthStoreTable.id], set: row });
  }

  private async findWhere(condition: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
    const [row] = await this.db
      .select()
      .from(oauthStoreTable)
      .where(and(eq(oauthStoreTable.model, this.model), condition, live()))
      .limit(1);
    if (!row) return undefined;
    return {
      ...(row.payload as AdapterPayload),
      ...(row.consumedAt ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}),
    };
  }

  find(id: string) {
    return this.findWhere(eq(oauthStoreTable.id, id));
  }

  findByUid(uid: string) {
    return this.findWhere(eq(oauthStoreTable.uid, uid));
  }

  findByUserCode(userCode: string) {
    return this.findWhere(eq(oauthStoreTable.userCode, userCode));
  }

  async consume(id: string): Promise<void> {
    await this.db
      .update(oauthStoreTable)
      .set({ consumedAt: new Date() })
      .where(and(eq(oauthStoreTable.model, this.model), eq(oauthStoreTable.id, id)));
  }

  async destroy(id: string): Promise<void> {
    await this.db
      .delete(oauthStoreTable)
      .where(and(eq(oauthStoreTable.model, this.model), eq(oauthStoreTable.id, id)));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.delete(oauthStoreTable).where(eq(oauthStoreTable.grantId, grantId));
  }
}

/** Clients come from the app marketplace; the provider never writes them. */
class ClientAdapter implements Adapter {
  constructor(private readonly db: Db) {}

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    if (clientId.length > 200) return undefined;
    const app = await findApprovedApp(this.db, clientId);
    return app ? clientMetadata(app) : undefined;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are managed through registerApp');
  }
  async findByUid() {
    return undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

export function storeAdapterFactory(db: Db): (model: string) => Adapter {
  return (model) => (model === 'Client' ? new ClientAdapter(db) : new StoreAdapter(db, model));
}

/** Deletes artefacts that expired more than an hour ago. */
export async function purgeExpired(db: Db): Promise<void> {
  await db
    .delete(oauthStoreTable)
    .where(lt(oauthStoreTable.expiresAt, sql`now() - interval '1 hour'`));
}
