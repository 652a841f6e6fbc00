const KEY = 'webhook-orchestrator.api-token';

/**
 * The bearer token, kept in sessionStorage: it lives as long as the browser tab and is never
 * written to disk or shared with other tabs, and it is only ever sent in the Authorization header.
 */
export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  save(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
