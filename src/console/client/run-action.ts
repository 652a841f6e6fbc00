import { ApiError } from './api-client.js';
import { confirmAction, type ConfirmOptions } from './confirm-action.js';
import type { ViewContext } from './view-context.js';

/**
 * Every console action: ask first, call the management API, then show what happened (its
 * answer, or the API's error message) and refresh the view. Nothing happens without a yes.
 */
export async function runAction<T>(
  context: ViewContext,
  options: ConfirmOptions & { call(): Promise<T>; done(answer: T): string },
): Promise<T | undefined> {
  if (!(await confirmAction(options))) return undefined;
  try {
    const answer = await options.call();
    context.notify('success', options.done(answer));
    context.refresh();
    return answer;
  } catch (error) {
    context.notify('error', `${options.title} failed: ${error instanceof ApiError ? error.message : String(error)}`);
    return undefined;
  }
}
