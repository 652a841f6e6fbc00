import { CliError } from './cli-error.js';
import { networkReason } from './network-reason.js';

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** The service, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  token: string | undefined;
  fetch: typeof fetch;
  /** Bound on one call. Default 15 000 ms. */
  timeoutMs?: number;
}

/** The management API from a terminal. */
export interface ApiClient {
  /**
   * Calls `method path` and resolves with the JSON answer of a 2xx. Any other answer, or none,
   * rejects with a {@link CliError}: 404 → not_found, 400 → usage, 503 and no connection →
   * unreachable, anything else → failed; the message is the API's own error message.
   */
  call<T = unknown>(method: 'GET' | 'POST', path: string, query?: Record<string, string | number | undefined>): Promise<T>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async call<T>(method: 'GET' | 'POST', path: string, query: Record<string, string | number | undefined> = {}) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
      const url = `${base}${path}${params.size > 0 ? `?${params}` : ''}`;
      let response: Response;
      try {
        response = await options.fetch(url, {
          method,
          headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new CliError('unreachable', `cannot reach the service at ${base} (${networkReason(error)}); is it running? (ORCHESTRATOR_URL, --url)`, {
          cause: error,
        });
      }
      const text = await response.text();
      const body = parseJson(text);
      if (response.ok) return body as T;
      const apiError = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      const message = `${method} ${path}: ${response.status} ${apiError?.code ?? ''}${apiError?.message ? `: ${apiError.message}` : ''}`.trim();
      if (response.status === 404) throw new CliError('not_found', message);
      if (response.status === 400) throw new CliError('usage', message);
      if (response.status === 503) throw new CliError('unreachable', message);
      if (response.status === 401) throw new CliError('failed', `${message} (set API_TOKEN to the service's token)`);
      throw new CliError('failed', message);
    },
  };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
