/**
 * Authenticated, rate-limited, retried calls to one cloud's Image API v2.
 * Resolves the endpoint once (catalog or `image_endpoint_override`, then
 * version discovery), sends `X-Auth-Token`, re-authenticates once on 401,
 * and retries transient failures with backoff when the call allows it.
 */
import type { Readable } from 'node:stream';
import type { CloudConfig } from './cloud-config.js';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport.js';
import { httpStatusError } from './http-status-error.js';
import { imageV2Url, versionedUrl } from './image-endpoint.js';
import type { KeystoneSession } from './keystone-session.js';
import type { OpenStackLogger } from './openstack-logger.js';
import type { RateLimiter } from './rate-limiter.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { findEndpoint } from './service-catalog.js';

export interface ImageCall {
  method: string;
  /** path below the v2 base, e.g. `/images/{id}` (with query string) */
  path: string;
  json?: unknown;
  contentType?: string;
  /** a streamed body; the factory is called again when the call is re-sent */
  stream?: () => Readable;
  headers?: Record<string, string>;
  /** statuses that are answers, not errors (e.g. 404 for a GET that may miss) */
  expect: number[];
  /** retry transient failures (only calls that are safe to repeat) */
  retry: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ImageApiOptions {
  cloud: CloudConfig;
  session: KeystoneSession;
  transport: HttpTransport;
  limiter: RateLimiter;
  retry: RetryPolicy;
  logger: OpenStackLogger;
  timeoutMs: number;
}

export class ImageApi {
  private base: Promise<string> | undefined;

  constructor(private readonly options: ImageApiOptions) {}

  /** The v2 base URL, resolved on first use; a failed resolution is retried by the next call. */
  baseUrl(signal?: AbortSignal): Promise<string> {
    this.base ??= this.resolveBase(signal).catch((err: unknown) => {
      this.base = undefined;
      throw err;
    });
    return this.base;
  }

  async call(call: ImageCall): Promise<HttpResponse> {
    const { logger, cloud, retry } = this.options;
    return withRetry(() => this.callOnce(call), retry.attempts > 1 && call.retry ? retry : { ...retry, attempts: 1 }, {
      ...(call.signal ? { signal: call.signal } : {}),
      onRetry: (err, attempt, delayMs) =>
        logger.warn({ cloud: cloud.name, call: `${call.method} ${call.path}`, attempt, delayMs, err: (err as Error).message }, 'image API call failed, retrying'),
    });
  }

  private async callOnce(call: ImageCall): Promise<HttpResponse> {
    const { session, cloud } = this.options;
    const url = `${await this.baseUrl(call.signal)}${call.path}`;
    for (let reauthenticated = false; ; reauthenticated = true) {
      const res = await this.send(url, call);
      if (res.response.status === 401 && !reauthenticated) {
        // expired or revoked early: one fresh token, then the answer stands
        session.invalidate(res.token);
        continue;
      }
      if (call.expect.includes(res.response.status)) return res.response;
      throw httpStatusError(`${call.method} ${url}`, res.response.status, res.response.text, session.secrets, { cloud: cloud.name });
    }
  }

  private async send(url: string, call: ImageCall) {
    const { session, transport, limiter, timeoutMs } = this.options;
    const token = await session.token(call.signal);
    await limiter.acquire(call.signal);
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers, 'x-auth-token': token.value.reveal() };
    let body: HttpRequest['body'];
    if (call.json !== undefined) {
      headers['content-type'] = call.contentType ?? 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.stream !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = call.stream;
    }
    const response = await transport.request({
      method: call.method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: call.timeoutMs ?? timeoutMs,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    return { response, token };
  }

  private async resolveBase(signal?: AbortSignal): Promise<string> {
    const { cloud, session, transport, limiter, timeoutMs, retry } = this.options;
    const catalogUrl =
      cloud.imageEndpointOverride ??
      findEndpoint((await session.token(signal)).catalog, {
        serviceType: 'image',
        interface: cloud.interface,
        regionName: cloud.regionName,
        cloud: cloud.name,
      });
    const direct = versionedUrl(catalogUrl);
    if (direct) return direct;
    const root = `${catalogUrl.replace(/\/+$/, '')}/`;
    const res = await withRetry(
      async () => {
        const token = await session.token(signal);
        await limiter.acquire(signal);
        const answer = await transport.request({
          method: 'GET',
          url: root,
          headers: { accept: 'application/json', 'x-auth-token': token.value.reveal() },
          timeoutMs,
          ...(signal ? { signal } : {}),
        });
        if (answer.status >= 500) throw httpStatusError(`GET ${root}`, answer.status, answer.text, session.secrets, { cloud: cloud.name });
        return answer;
      },
      retry,
      signal ? { signal } : {},
    );
    return imageV2Url(catalogUrl, res.status, res.text, cloud.name);
  }
}
