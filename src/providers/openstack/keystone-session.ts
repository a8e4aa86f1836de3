/**
 * A Keystone v3 token for one cloud: authenticates on first use, shares one
 * in-flight authentication among concurrent callers, re-authenticates before
 * `expires_at` and when a service answers 401 (invalidate()). Transient
 * Keystone failures are retried; rejected credentials fail at once with
 * KILN_OPENSTACK_AUTH_FAILED.
 */
import type { CloudConfig } from './cloud-config.js';
import type { HttpTransport } from './http-transport.js';
import { httpStatusError } from './http-status-error.js';
import { keystoneAuthBody } from './keystone-auth-body.js';
import { OpenStackError } from './openstack-error.js';
import type { OpenStackLogger } from './openstack-logger.js';
import type { RateLimiter } from './rate-limiter.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { Secret } from './secret.js';
import type { CatalogEntry } from './service-catalog.js';

export interface KeystoneToken {
  value: Secret;
  expiresAt: number;
  catalog: CatalogEntry[];
  projectId: string | null;
}

export interface KeystoneSessionOptions {
  cloud: CloudConfig;
  transport: HttpTransport;
  limiter: RateLimiter;
  retry: RetryPolicy;
  logger: OpenStackLogger;
  timeoutMs: number;
  now?: () => number;
}

/** Refresh this long before expiry (or a quarter of the lifetime for short-lived tokens). */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class KeystoneSession {
  private current: KeystoneToken | undefined;
  private refreshAt = 0;
  private pending: Promise<KeystoneToken> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: KeystoneSessionOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The secrets this session knows, for scrubbing error text. */
  get secrets(): Secret[] {
    const creds = this.options.cloud.credentials;
    const own = creds.method === 'password' ? creds.password : creds.secret;
    return this.current ? [own, this.current.value] : [own];
  }

  async token(signal?: AbortSignal): Promise<KeystoneToken> {
    if (this.current && this.now() < this.refreshAt) return this.current;
    this.pending ??= this.authenticate(signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** A service rejected this token: drop it unless a newer one already replaced it. */
  invalidate(token: KeystoneToken): void {
    if (this.current === token) this.current = undefined;
  }

  private async authenticate(signal?: AbortSignal): Promise<KeystoneToken> {
    const { cloud, logger } = this.options;
    const token = await withRetry(() => this.requestToken(signal), this.options.retry, {
      ...(signal ? { signal } : {}),
      onRetry: (err, attempt, delayMs) =>
        logger.warn({ cloud: cloud.name, attempt, delayMs, err: (err as Error).message }, 'keystone authentication failed, retrying'),
    });
    const lifetime = token.expiresAt - this.now();
    this.refreshAt = token.expiresAt - Math.min(REFRESH_MARGIN_MS, lifetime / 4);
    this.current = token;
    logger.debug({ cloud: cloud.name, expiresAt: new Date(token.expiresAt).toISOString() }, 'keystone token issued');
    return token;
  }

  private async requestToken(signal?: AbortSignal): Promise<KeystoneToken> {
    const { cloud, transport, limiter, timeoutMs } = this.options;
    const url = `${cloud.authUrl}/v3/auth/tokens`;
    await limiter.acquire(signal);
    const res = await transport.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(keystoneAuthBody(cloud.credentials)),
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401 || res.status === 403) {
      throw httpStatusError(`Keystone ${url} rejected the credentials of cloud "${cloud.name}";`, res.status, res.text, this.secrets, {
        cloud: cloud.name,
        code: 'KILN_OPENSTACK_AUTH_FAILED',
      });
    }
    if (res.status === 404) {
      throw new OpenStackError('KILN_OPENSTACK_CLOUD_INVALID', `${url} answered 404: is auth_url of cloud "${cloud.name}" a Keystone v3 endpoint?`, {
        cloud: cloud.name,
        status: 404,
      });
    }
    if (res.status !== 201 && res.status !== 200) throw httpStatusError(`POST ${url}`, res.status, res.text, this.secrets, { cloud: cloud.name });
    const subject = res.headers['x-subject-token'];
    const body = parseBody(res.text);
    const expiresAt = Date.parse(body.token?.expires_at ?? '');
    if (typeof subject !== 'string' || !subject || Number.isNaN(expiresAt)) {
      throw new OpenStackError('KILN_OPENSTACK_AUTH_FAILED', `${url} answered ${res.status} without a token or its expiry`, { cloud: cloud.name });
    }
    return {
      value: new Secret(subject),
      expiresAt,
      catalog: Array.isArray(body.token?.catalog) ? body.token.catalog : [],
      projectId: body.token?.project?.id ?? null,
    };
  }
}

interface TokenBody {
  token?: { expires_at?: string; catalog?: CatalogEntry[]; project?: { id?: string } };
}

function parseBody(text: string): TokenBody {
  try {
    return JSON.parse(text) as TokenBody;
  } catch {
    return {};
  }
}
