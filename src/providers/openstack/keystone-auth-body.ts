/**
 * The body of `POST /v3/auth/tokens` for the configured credentials
 * (glance-api.md §1). Returns a plain object holding revealed secrets: it is
 * serialized straight onto the wire and must never be logged.
 */
import type { KeystoneCredentials, KeystoneScope, NamedRef } from './cloud-config.js';

export function keystoneAuthBody(credentials: KeystoneCredentials): Record<string, unknown> {
  if (credentials.method === 'application_credential') {
    const appCred: Record<string, unknown> = { secret: credentials.secret.reveal() };
    if (credentials.id) appCred['id'] = credentials.id;
    else {
      appCred['name'] = credentials.name;
      if (credentials.user) appCred['user'] = identity(credentials.user, credentials.userDomain);
    }
    // bound to its project: a scope block would be rejected
    return { auth: { identity: { methods: ['application_credential'], application_credential: appCred } } };
  }
  const user = { ...identity(credentials.user, credentials.userDomain), password: credentials.password.reveal() };
  const auth: Record<string, unknown> = { identity: { methods: ['password'], password: { user } } };
  const scope = scopeBlock(credentials.scope);
  if (scope) auth['scope'] = scope;
  return { auth };
}

function scopeBlock(scope: KeystoneScope): Record<string, unknown> | undefined {
  if (scope.kind === 'project') return { project: identity(scope.project, scope.domain) };
  if (scope.kind === 'domain') return { domain: refBody(scope.domain) };
  return undefined;
}

/** An id identifies on its own; a name needs its domain. */
function identity(ref: NamedRef, domain: NamedRef | undefined): Record<string, unknown> {
  if (ref.id) return { id: ref.id };
  return { name: ref.name, domain: refBody(domain ?? {}) };
}

function refBody(ref: NamedRef): Record<string, string> {
  return ref.id ? { id: ref.id } : { name: ref.name ?? '' };
}
