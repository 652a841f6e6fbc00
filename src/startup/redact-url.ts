/**
 * A connection URL fit for a log line or an error message: any password is replaced by `***`
 * (user names stay: they help find the right account). Text that is not a URL is returned as is.
 */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
  } catch {
    return value;
  }
}
