/**
 * An unexpected HTTP answer as an OpenStackError: 5xx, 429 and 408 are
 * transient (retried with backoff), other statuses permanent. The message
 * names the call and quotes the server's explanation, minus secrets.
 */
import { OpenStackError, type OpenStackErrorCode } from './openstack-error.js';
import { excerpt } from './redact.js';
import type { Secret } from './secret.js';

export function httpStatusError(
  call: string,
  status: number,
  body: string,
  secrets: readonly Secret[],
  options: { cloud?: string; code?: OpenStackErrorCode } = {},
): OpenStackError {
  const transient = status >= 500 || status === 429 || status === 408;
  const detail = serverMessage(body, secrets);
  return new OpenStackError(options.code ?? 'KILN_OPENSTACK_HTTP', `${call} answered ${status}${detail ? `: ${detail}` : ''}`, {
    status,
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(options.code ? {} : { permanent: !transient }),
  });
}

/** Keystone/Glance wrap messages in {"error": {"message"}} or HTML; fall back to the raw text. */
function serverMessage(body: string, secrets: readonly Secret[]): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown }; message?: unknown };
    const message = parsed.error?.message ?? parsed.message;
    if (typeof message === 'string') return excerpt(message, secrets);
  } catch {
    // not JSON
  }
  return excerpt(body.replace(/<[^>]*>/g, ' '), secrets);
}
