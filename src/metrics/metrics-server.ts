/**
 * The builder's HTTP endpoint (node:http, 127.0.0.1 by default):
 *   /metrics        Prometheus text (prom-client)
 *   /health         200 {"status":"ok",…} while ZooKeeper is connected, else 503
 *   /image-list, /dib-image-list, /image-status
 *                   upstream webapp's listings: JSON for `Accept: application/json`,
 *                   else the CLI's table as text/plain; same headers (CORS *,
 *                   Cache-Control public, max-age=1)
 * Unknown paths answer 404, other methods 405.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Zk } from '../zk/zk-types.js';
import { readImageTree } from '../model/tree-snapshot.js';
import type { ImageTreeSnapshot } from '../model/types.js';
import { dibImageList, imageList, imageStatus, type Listing } from '../status/listings.js';
import { renderJson, renderTable } from '../status/render.js';
import type { BuilderMetrics } from './builder-metrics.js';

export interface MetricsServerOptions {
  port: number;
  host?: string;
  metrics: BuilderMetrics;
  zk: Zk;
  /** extra fields for /health */
  health(): Record<string, unknown>;
}

export interface MetricsServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const LISTINGS: Record<string, (tree: ImageTreeSnapshot) => Listing<object>> = {
  '/image-list': imageList as (tree: ImageTreeSnapshot) => Listing<object>,
  '/dib-image-list': dibImageList as (tree: ImageTreeSnapshot) => Listing<object>,
  '/image-status': imageStatus as (tree: ImageTreeSnapshot) => Listing<object>,
};

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port, host);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: MetricsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/metrics') {
    const body = await options.metrics.text();
    res.writeHead(200, { 'Content-Type': options.metrics.contentType }).end(body);
    return;
  }
  if (path === '/health') {
    const connected = options.zk.isConnected;
    const body = JSON.stringify({ status: connected ? 'ok' : 'zookeeper-disconnected', zookeeper: connected, ...options.health() });
    res.writeHead(connected ? 200 : 503, { 'Content-Type': 'application/json' }).end(body);
    return;
  }
  const listing = LISTINGS[path];
  if (!listing) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  const rows = listing(await readImageTree(options.zk));
  const json = (req.headers.accept ?? '').includes('application/json');
  const now = new Date();
  res.writeHead(200, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'public, max-age=1',
    'Last-Modified': now.toUTCString(),
    Expires: new Date(now.getTime() + 1000).toUTCString(),
  });
  res.end(json ? renderJson(rows) : `${renderTable(rows)}\n`);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
