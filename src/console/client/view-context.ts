import type { ApiClient } from './api-client.js';
import type { Notify } from './notifier.js';
import type { Route } from './route.js';

/** What a view is given to render itself. */
export interface ViewContext {
  api: ApiClient;
  route: Route;
  notify: Notify;
  /** Runs `task` every `ms` while this view is shown (stopped on navigation or sign-out). */
  every(ms: number, task: () => Promise<void>): void;
  /** Renders the current route again (after an action changed what it shows). */
  refresh(): void;
}

/** A view: fills `root` for the route in `context`. */
export type View = (root: HTMLElement, context: ViewContext) => Promise<void>;
