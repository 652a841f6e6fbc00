import type { Context, Next } from 'koa';

/**
 * Tracks requests in flight and, once closing, answers new ones on kept-alive connections with
 * Connection: close, so a graceful shutdown can wait for exactly the work it accepted.
 */
export interface ShutdownGate {
  middleware(): (ctx: Context, next: Next) => Promise<void>;
  readonly inFlight: number;
  readonly closing: boolean;
  /** Stops new work; resolves when in-flight requests have finished or `timeoutMs` passed. */
  close(timeoutMs: number): Promise<{ drained: boolean; remaining: number }>;
}

export function createShutdownGate(): ShutdownGate {
  let inFlight = 0;
  let closing = false;
  let onIdle: (() => void) | undefined;
  return {
    middleware() {
      return async function gate(ctx, next) {
        inFlight += 1;
        if (closing) ctx.set('Connection', 'close');
        try {
          await next();
        } finally {
          inFlight -= 1;
          if (inFlight === 0) onIdle?.();
        }
      };
    },
    get inFlight() {
      return inFlight;
    },
    get closing() {
      return closing;
    },
    async close(timeoutMs) {
      closing = true;
      if (inFlight === 0) return { drained: true, remaining: 0 };
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      return { drained, remaining: inFlight };
    },
  };
}
