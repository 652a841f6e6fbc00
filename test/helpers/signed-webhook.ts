import { randomUUID } from 'node:crypto';
import { signPayload } from '../../src/ingress/verify-signature.js';

export interface SignedWebhookOptions {
  event: string;
  payload: unknown;
  secret: string;
  deliveryId?: string;
  form?: boolean;
  extraHeaders?: Record<string, string>;
}

/** Headers and body exactly as GitHub would send them for this payload. */
export function signedWebhook(options: SignedWebhookOptions): { headers: Record<string, string>; body: string } {
  const json = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
  const body = options.form ? new URLSearchParams({ payload: json }).toString() : json;
  return {
    body,
    headers: {
      'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': options.event,
      'x-github-delivery': options.deliveryId ?? randomUUID(),
      'x-github-hook-id': '123456',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': '35129377',
      'x-hub-signature-256': signPayload(options.secret, body),
      ...options.extraHeaders,
    },
  };
}

/** POSTs a signed webhook to a running service. */
export async function postWebhook(baseUrl: string, options: SignedWebhookOptions) {
  const request = signedWebhook(options);
  const response = await fetch(`${baseUrl}/api/v1/webhooks/github`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, any>) : undefined,
    deliveryId: request.headers['x-github-delivery']!,
  };
}
