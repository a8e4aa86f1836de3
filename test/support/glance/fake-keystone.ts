/**
 * The small token endpoint standing in for Keystone: `POST /v3/auth/tokens`
 * with password or application-credential auth, answering 201 with
 * `X-Subject-Token` and a catalog whose `image` endpoints the test chooses.
 * It keeps the tokens it issued so the Glance proxy can check them
 * (expired, revoked → 401), and counts authentications.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  name: string;
  domain: string;
  password: string;
  /** the project a password user scopes to (by name, in `domain`) */
  project: string;
  projectId: string;
}

export interface FakeAppCredential {
  id: string;
  secret: string;
  projectId: string;
}

export interface FakeEndpoint {
  url: string;
  region: string;
  interface?: string;
}

export interface FakeKeystoneOptions {
  users?: FakeUser[];
  appCredentials?: FakeAppCredential[];
  imageEndpoints: FakeEndpoint[];
  /** token lifetime, default 1 h */
  tokenLifetimeMs?: number;
}

export interface FakeKeystone {
  /** auth_url for clouds.yaml (no /v3) */
  url: string;
  /** successful authentications so far */
  readonly issued: number;
  /** the project of a valid token, or null (unknown, expired or revoked) */
  projectOf(token: string): string | null;
  revokeAll(): void;
  setTokenLifetime(ms: number): void;
  stop(): Promise<void>;
}

export async function startFakeKeystone(options: FakeKeystoneOptions): Promise<FakeKeystone> {
  const tokens = new Map<string, { projectId: string; expiresAt: number }>();
  let lifetime = options.tokenLifetimeMs ?? 3_600_000;
  let issued = 0;
  const server: Server = createServer((req, res) => {
    void readJson(req).then((body) => {
      if (req.method !== 'POST' || req.url?.replace(/\/+$/, '') !== '/v3/auth/tokens') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error": {"message": "not found", "code": 404}}');
        return;
      }
      const projectId = authenticate(body, options);
      if (!projectId) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error": {"message": "The request you have made requires authentication.", "code": 401, "title": "Unauthorized"}}');
        return;
      }
      const token = `fake-${randomBytes(16).toString('hex')}`;
      const expiresAt = Date.now() + lifetime;
      tokens.set(token, { projectId, expiresAt });
      issued++;
      res.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': token }).end(
        JSON.stringify({
          token: {
            expires_at: new Date(expiresAt).toISOString(),
            project: { id: projectId, name: projectId, domain: { id: 'default', name: 'Default' } },
            user: { id: 'nodepool', name: 'nodepool' },
            roles: [{ name: 'admin' }, { name: 'member' }],
            catalog: [
              { type: 'identity', name: 'keystone', endpoints: [] },
              {
                type: 'image',
                name: 'glance',
                endpoints: options.imageEndpoints.map((e, i) => ({
                  id: String(i),
                  interface: e.interface ?? 'public',
                  region_id: e.region,
                  region: e.region,
                  url: e.url,
                })),
              },
            ],
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get issued() {
      return issued;
    },
    projectOf(token: string): string | null {
      const entry = tokens.get(token);
      return entry && entry.expiresAt > Date.now() ? entry.projectId : null;
    },
    revokeAll: () => tokens.clear(),
    setTokenLifetime: (ms: number) => {
      lifetime = ms;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The project a valid auth request scopes to, or null. */
function authenticate(body: unknown, options: FakeKeystoneOptions): string | null {
  const identity = (body as { auth?: { identity?: Record<string, unknown>; scope?: unknown } }).auth?.identity;
  const scope = (body as { auth?: { scope?: { project?: { name?: string; domain?: { name?: string } } } } }).auth?.scope;
  const methods = identity?.['methods'];
  if (!Array.isArray(methods)) return null;
  if (methods.includes('application_credential')) {
    if (scope !== undefined) return null; // Keystone refuses a scope with an application credential
    const cred = identity?.['application_credential'] as { id?: string; secret?: string } | undefined;
    const match = (options.appCredentials ?? []).find((c) => c.id === cred?.id && c.secret === cred?.secret);
    return match?.projectId ?? null;
  }
  if (methods.includes('password')) {
    const user = (identity?.['password'] as { user?: { name?: string; domain?: { name?: string }; password?: string } } | undefined)?.user;
    const match = (options.users ?? []).find(
      (u) => u.name === user?.name && u.domain === user?.domain?.name && u.password === user?.password,
    );
    if (!match || scope?.project?.name !== match.project || scope.project.domain?.name !== match.domain) return null;
    return match.projectId;
  }
  return null;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve({});
      }
    });
  });
}
