import type { Context } from 'koa';

/**
 * The console's Content-Security-Policy: scripts, styles and API calls from this origin only,
 * nothing inline, no plugins, no frames, no form posts elsewhere. Payloads are rendered as text,
 * and this is the second line: even markup that slipped into the page could run no script.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the CSP and its companions on a console response (pages, assets and errors alike). */
export function setConsoleSecurityHeaders(ctx: Context): void {
  ctx.set('Content-Security-Policy', CONSOLE_CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
}
