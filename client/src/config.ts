/** What the server tells the dashboards about itself (GET /dashboards/config.json). */
export interface DashboardsConfig {
  /** Demo mode only: the demo account's key, offered on the sign-in page. */
  demoApiKey: string | null;
  /** Set when the server runs its own OAuth authorization server for the dashboards. */
  oauth: { issuer: string; clientId: string; scope: string } | null;
  /** The server accepts persisted documents: send hashes instead of operation text. */
  persistedDocuments: boolean;
}

export const defaultConfig: DashboardsConfig = {
  demoApiKey: null,
  oauth: null,
  persistedDocuments: false,
};

export async function loadConfig(baseUrl = ''): Promise<DashboardsConfig> {
  try {
    const response = await fetch(`${baseUrl}/dashboards/config.json`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return defaultConfig;
    return { ...defaultConfig, ...((await response.json()) as Partial<DashboardsConfig>) };
  } catch {
    return defaultConfig;
  }
}
