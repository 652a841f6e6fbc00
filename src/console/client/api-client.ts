/** An error answer of the management API (its one error body), or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string): Promise<T>;
  /** The answer's text, as sent (payloads). */
  text(path: string): Promise<string>;
}

/**
 * Calls the management API with the bearer token. A 401 means the token is no longer accepted
 * (changed on the server): `onUnauthorized` signs the operator out. Every other error becomes an
 * {@link ApiError} carrying the API's code and message, for the view to show.
 */
export function createApiClient(token: string, onUnauthorized: () => void): ApiClient {
  const call = async (method: 'GET' | 'POST', path: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(path, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'network', 'the service did not answer; check that it is running');
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${response.status}`);
  };
  return {
    get: async <T>(path: string) => (await (await call('GET', path)).json()) as T,
    post: async <T>(path: string) => (await (await call('POST', path)).json()) as T,
    text: async (path: string) => (await call('GET', path)).text(),
  };
}

/** Asks the API whether it accepts `token`, without keeping anything. */
export async function checkToken(token: string): Promise<'accepted' | 'refused' | 'disabled' | 'unreachable'> {
  try {
    const response = await fetch('/api/v1/overview?minutes=1', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (response.ok) return 'accepted';
    if (response.status !== 401) return 'unreachable';
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return /disabled/.test(body?.error?.message ?? '') ? 'disabled' : 'refused';
  } catch {
    return 'unreachable';
  }
}
