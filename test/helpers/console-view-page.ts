import type { z } from 'zod';
import { useClientModulesPage, type ClientModulesPage } from './client-modules-page.js';

const TOKEN = 'console-view-token-0123456789';

/** What a view's page in the browser holds: the view rendered into `#app` with a recording context. */
export interface ConsoleViewPage {
  /** The page, to run browser code on it (`root`, `notes`, `timers`, `refreshed()`, `modules` in scope of {@link run}). */
  page(): ClientModulesPage;
  /** The requests the views made to the management API, in order: `GET /api/v1/tasks?limit=50&offset=0`. */
  requests: string[];
  /**
   * The management API's answer to `method path` (query ignored): a body that must pass `schema`,
   * the API's own answer schema (so the canned answer cannot drift from what the API sends), or an
   * error answer with `status` and the API's one error body.
   */
  answer<S extends z.ZodType>(route: string, schema: S, body: z.input<S>): void;
  /** A text answer as sent (a payload). */
  answerText(route: string, text: string): void;
  answerError(route: string, status: number, code: string, message: string): void;
  /** Renders the view exported as `view` for a route (`id`, `query`) into a fresh `#app`; resolves when the view did. */
  render(view: string, route?: { id?: string; query?: Record<string, string> }): Promise<void>;
  /** Runs `body` in the page with `root` (the view's element), `notes` (notifications), `timers` and `refreshed()` in scope. */
  run<T = unknown>(body: string): Promise<T>;
  /** Runs each task the view registered with `every` once (a refresh tick), and waits for them. */
  tick(): Promise<void>;
}

/**
 * Registers the mocha hooks of a console view's test file: the real view module (and the console's
 * real API client) bundled into a page of the shared headless Chromium, talking to a loopback
 * management API whose answers the test sets. The context handed to the view records what the
 * view does with it: notifications, `every` timers (run on demand by {@link ConsoleViewPage.tick}),
 * refreshes. Call inside `describe`.
 */
export function useConsoleViewPage(modules: readonly string[]): ConsoleViewPage {
  const answers = new Map<string, { status: number; body: unknown }>();
  const requests: string[] = [];
  const page = useClientModulesPage(['api-client', 'confirm-action', ...modules], (request, response) => {
    // Only the API's requests: the browser also asks the page's origin for its favicon.
    if (request.url!.startsWith('/api/')) requests.push(`${request.method} ${request.url}`);
    const path = request.url!.split('?')[0]!;
    const found = request.headers.authorization === `Bearer ${TOKEN}` ? answers.get(`${request.method} ${path}`) : { status: 401, body: { error: { code: 'unauthorized', message: 'invalid bearer token', correlation_id: 'c' } } };
    const { status, body } = found ?? { status: 404, body: { error: { code: 'not_found', message: `no answer set for ${request.method} ${path}`, correlation_id: 'c' } } };
    response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  beforeEach(() => {
    answers.clear();
    requests.length = 0;
  });
  const scope = `const root = document.querySelector('#app'); const state = window.viewState; const { notes, timers } = state; const refreshed = () => state.refreshed;`;
  return {
    page,
    requests,
    answer(route, schema, body) {
      answers.set(route, { status: 200, body: schema.parse(body) });
    },
    answerText(route, text) {
      answers.set(route, { status: 200, body: text });
    },
    answerError(route, status, code, message) {
      answers.set(route, { status, body: { error: { code, message, correlation_id: 'c' } } });
    },
    async render(view, route = {}) {
      await page().run(`
        const fresh = document.createElement('main');
        fresh.id = 'app';
        document.querySelector('#app').replaceWith(fresh);
        document.querySelectorAll('dialog').forEach((dialog) => dialog.remove());
        const state = { notes: [], timers: [], refreshed: 0 };
        window.viewState = state;
        const context = {
          api: modules['api-client'].createApiClient(${JSON.stringify(TOKEN)}, () => state.notes.push(['signed-out'])),
          route: { view: 'test', id: ${JSON.stringify(route.id)}, query: new URLSearchParams(${JSON.stringify(route.query ?? {})}) },
          notify: (kind, message) => state.notes.push([kind, message]),
          every: (ms, task) => state.timers.push({ ms, task }),
          refresh: () => (state.refreshed += 1),
        };
        const views = Object.values(modules).filter((m) => ${JSON.stringify(view)} in m);
        await views[0][${JSON.stringify(view)}](fresh, context);
      `);
    },
    run: <T>(body: string) => page().run<T>(`${scope} ${body}`),
    async tick() {
      await page().run(`await Promise.all(window.viewState.timers.map((timer) => timer.task()));`);
    },
  };
}
