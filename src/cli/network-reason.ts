/** Why a `fetch` got no answer, in a word when possible (ECONNREFUSED, a timeout). */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  const code = cause?.code ?? cause?.errors?.find((inner) => inner.code)?.code;
  if (code) return code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
