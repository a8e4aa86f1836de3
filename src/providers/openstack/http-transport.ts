/**
 * HTTP(S) on node:http with keep-alive, per-request idle timeouts, and
 * streamed request bodies: an upload body is a factory of Readables so a
 * retry gets a fresh stream, and the file is piped, never buffered. Network
 * failures become OpenStackError KILN_OPENSTACK_CONNECTION (transient);
 * response bodies are read as text (Glance/Keystone answer JSON).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { TlsSettings } from './cloud-config.js';
import { OpenStackError } from './openstack-error.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** a JSON/text body, or a factory for a streamed one */
  body?: string | (() => Readable);
  /** socket idle timeout; a server that sends nothing for this long is a failure */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Bodies we read are small JSON documents; cap them so a misbehaving server cannot fill memory. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;

export class HttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly httpsAgent: https.Agent;

  constructor(tls: TlsSettings = { verify: true }) {
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 16,
      rejectUnauthorized: tls.verify,
      ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
      ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
      ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
    });
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const secure = url.protocol === 'https:';
    const label = `${req.method} ${url.origin}${url.pathname}`;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let bodyStream: Readable | undefined;
      const finish = (err: Error | null, res?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        req.signal?.removeEventListener('abort', onAbort);
        if (err) {
          bodyStream?.destroy();
          outgoing.destroy();
          reject(err);
        } else resolve(res as HttpResponse);
      };
      const onAbort = (): void => finish(new OpenStackError('KILN_OPENSTACK_ABORTED', `${label}: aborted`));

      const headers: Record<string, string> = { ...req.headers };
      if (typeof req.body === 'string') headers['content-length'] = String(Buffer.byteLength(req.body));
      const outgoing = (secure ? https : http).request(url, {
        method: req.method,
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      outgoing.setTimeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
        finish(new OpenStackError('KILN_OPENSTACK_CONNECTION', `${label}: no response within ${req.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)),
      );
      outgoing.on('error', (err: NodeJS.ErrnoException) =>
        finish(new OpenStackError('KILN_OPENSTACK_CONNECTION', `${label}: ${err.code ?? err.message}`, { cause: err })),
      );
      outgoing.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) =>
          finish(new OpenStackError('KILN_OPENSTACK_CONNECTION', `${label}: response: ${err.code ?? err.message}`, { cause: err })),
        );
        res.on('aborted', () => finish(new OpenStackError('KILN_OPENSTACK_CONNECTION', `${label}: response cut off`)));
        res.on('end', () => {
          // the server answered before reading the whole upload (e.g. 401, 413): stop sending
          bodyStream?.unpipe(outgoing);
          bodyStream?.destroy();
          finish(null, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });

      if (typeof req.body === 'function') {
        bodyStream = req.body();
        bodyStream.on('error', (err: NodeJS.ErrnoException) =>
          finish(new OpenStackError('KILN_OPENSTACK_FILE', `${label}: reading the upload: ${err.message}`, { cause: err })),
        );
        bodyStream.pipe(outgoing);
      } else {
        outgoing.end(req.body);
      }
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
