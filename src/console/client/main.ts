import './console.css';
import { ApiError, checkToken, createApiClient } from './api-client.js';
import { el } from './el.js';
import { NAV_ITEMS } from './nav-items.js';
import { createNotifier } from './notifier.js';
import { currentRoute, routeHash } from './route.js';
import { session } from './session.js';
import type { ViewContext } from './view-context.js';

const app = document.getElementById('app');
const form = document.getElementById('sign-in') as HTMLFormElement | null;

// The page without a sign-in form is the "management API disabled" page: nothing to run.
if (app && form) {
  const saved = session.token();
  if (saved) startConsole(app, saved);
  else attachSignIn(app, form);
}

function attachSignIn(root: HTMLElement, signIn: HTMLFormElement): void {
  const input = signIn.querySelector<HTMLInputElement>('#token')!;
  const error = signIn.querySelector<HTMLElement>('#sign-in-error')!;
  const button = signIn.querySelector<HTMLButtonElement>('button[type=submit]')!;
  input.focus();
  signIn.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    button.disabled = true;
    void checkToken(token).then((verdict) => {
      button.disabled = false;
      if (verdict === 'accepted') {
        session.save(token);
        input.value = '';
        startConsole(root, token);
        return;
      }
      error.hidden = false;
      error.textContent =
        verdict === 'refused' ? 'That token was refused. Use the value of API_TOKEN.'
        : verdict === 'disabled' ? 'The management API is disabled: set API_TOKEN on the service and restart it.'
        : 'The service did not answer. Is it running?';
      input.select();
    });
  });
}

function startConsole(root: HTMLElement, token: string): void {
  const signOut = () => {
    session.clear();
    location.hash = '';
    location.reload();
  };
  const api = createApiClient(token, signOut);
  const links = NAV_ITEMS.map((item) => el('a', { attrs: { href: routeHash(item.route), 'data-route': item.route } }, item.label));
  const signOutButton = el('button', { class: 'secondary', attrs: { type: 'button' } }, 'Sign out');
  signOutButton.addEventListener('click', signOut);
  const notices = el('div', { class: 'notices' });
  const view = el('main', { attrs: { id: 'view', tabindex: '-1' } });
  root.className = 'console';
  root.replaceChildren(
    el('a', { class: 'skip', attrs: { href: '#view' } }, 'Skip to content'),
    el('header', {}, el('a', { class: 'brand', attrs: { href: routeHash('overview') } }, 'webhook-orchestrator'), el('nav', { attrs: { 'aria-label': 'Sections' } }, ...links), signOutButton),
    notices,
    view,
  );
  // The skip link must not change the route.
  root.querySelector('.skip')!.addEventListener('click', (event) => {
    event.preventDefault();
    view.focus();
  });
  const notify = createNotifier(notices);

  let generation = 0;
  const timers: number[] = [];
  const render = async (focus: boolean) => {
    const mine = ++generation;
    for (const timer of timers.splice(0)) clearTimeout(timer);
    const route = currentRoute();
    const item = NAV_ITEMS.find((candidate) => candidate.route === route.view);
    for (const link of links) link.toggleAttribute('aria-current', link.dataset.route === item?.route);
    const context: ViewContext = {
      api,
      route,
      notify,
      refresh: () => void render(false),
      every(ms, task) {
        const tick = () => {
          if (mine !== generation) return;
          // A refresh rebuilds the view's elements: it waits while the tab is hidden, a dialog is
          // open, or the focus is on something inside the view (a keyboard user keeps their place).
          const focused = document.activeElement;
          const busy = document.hidden || document.querySelector('dialog[open]') !== null || (focused !== view && view.contains(focused));
          const run = busy ? Promise.resolve() : task().catch((error: unknown) => showError(view, error));
          void run.then(() => {
            if (mine === generation) timers.push(window.setTimeout(tick, ms));
          });
        };
        timers.push(window.setTimeout(tick, ms));
      },
    };
    const target = el('div', { class: 'view' });
    const chosen = item && (route.id === undefined ? item.list : item.detail);
    try {
      if (!chosen) throw new ApiError(404, 'not_found', `There is no page ${location.hash}.`);
      await chosen(target, context);
    } catch (error) {
      if (mine !== generation) return;
      showError(target, error);
    }
    if (mine !== generation) return;
    view.replaceChildren(target);
    if (focus) view.focus({ preventScroll: true });
  };
  window.addEventListener('hashchange', () => {
    notices.replaceChildren();
    void render(true);
  });
  void render(false);
}

function showError(target: HTMLElement, error: unknown): void {
  const message = error instanceof ApiError ? error.message : String(error);
  target.replaceChildren(el('section', { class: 'panel' }, el('h1', {}, 'Could not load this page'), el('p', { class: 'error', attrs: { role: 'alert' } }, message)));
}
