/**
 * The loopback proxy in front of glance-api. It plays keystonemiddleware
 * (checks `X-Auth-Token` against the fake Keystone, 401 otherwise, and sets
 * the identity headers Glance's context middleware reads) and injects
 * faults on request: an error status, a connection dropped before or in the
 * middle of an upload, an answer lost after Glance acted on the request, a
 * slow answer. Every request is recorded with what happened to it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeKeystone } from './fake-keystone.js';
import { identityHeaders } from './glance-server.js';

export type Fault =
  /** answer with this status without asking Glance */
  | { kind: 'status'; status: number }
  /** close the connection before Glance sees the request */
  | { kind: 'drop' }
  /** forward, then cut both connections once this many body bytes passed */
  | { kind: 'drop-mid-upload'; afterBytes: number }
  /** let Glance act on the request, then close the connection without answering */
  | { kind: 'drop-answer' }
  /** hold Glance's answer this long */
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  method?: string;
  path: RegExp;
  fault: Fault;
  /** how many matching requests get the fault (default 1) */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** the status sent, or the fault applied */
  outcome: number | Fault['kind'];
}

export interface GlanceProxy {
  url: string;
  readonly requests: ProxiedRequest[];
  inject(rule: FaultRule): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

export async function startGlanceProxy(glanceUrl: string, keystone: FakeKeystone): Promise<GlanceProxy> {
  const upstream = new URL(glanceUrl);
  const rules: Array<FaultRule & { left: number }> = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const takeFault = (req: IncomingMessage): Fault | undefined => {
    const rule = rules.find((r) => r.left > 0 && (!r.method || r.method === req.method) && r.path.test(req.url ?? ''));
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  };

  const server: Server = createServer((req, res) => {
    const record = (outcome: ProxiedRequest['outcome']): void => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', outcome });
    };
    const token = req.headers['x-auth-token'];
    const projectId = typeof token === 'string' ? keystone.projectOf(token) : null;
    if (!projectId) {
      req.resume();
      record(401);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error": {"message": "token missing, expired or revoked", "code": 401}}');
      return;
    }
    const fault = takeFault(req);
    if (fault?.kind === 'status') {
      req.resume();
      record(fault.status);
      res.writeHead(fault.status, { 'content-type': 'application/json' }).end(`{"error": {"message": "injected ${fault.status}"}}`);
      return;
    }
    if (fault?.kind === 'drop') {
      record('drop');
      req.socket.destroy();
      return;
    }
    forward(req, res, fault, projectId, record);
  });

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    fault: Fault | undefined,
    projectId: string,
    record: (outcome: ProxiedRequest['outcome']) => void,
  ): void => {
    const headers = { ...req.headers };
    for (const key of Object.keys(headers)) if (key.startsWith('x-identity') || key.startsWith('x-roles') || key.startsWith('x-project') || key.startsWith('x-user')) delete headers[key];
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...headers, host: upstream.host, ...identityHeaders(projectId) } },
      (answer) => {
        const reply = (): void => {
          if (fault?.kind === 'drop-answer') {
            answer.resume();
            record('drop-answer');
            req.socket.destroy();
            return;
          }
          if (fault?.kind !== 'drop-mid-upload') record(fault?.kind === 'delay' ? 'delay' : answer.statusCode ?? 0);
          if (res.destroyed) {
            answer.resume();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (fault?.kind === 'delay') setTimeout(reply, fault.ms);
        else reply();
      },
    );
    out.on('error', () => {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
    });
    if (fault?.kind === 'drop-mid-upload') {
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= fault.afterBytes && !req.socket.destroyed) {
          record('drop-mid-upload');
          req.socket.destroy();
          out.destroy();
        }
      });
    }
    req.pipe(out);
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    clearFaults: () => {
      rules.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
