/**
 * A cloud as the provider uses it: clouds.yaml (+ secure.yaml) resolved for
 * one provider (its region), credentials wrapped in Secret.
 */
import type { Secret } from './secret.js';

/** An identity given by id, or by name within a domain (Keystone v3). */
export interface NamedRef {
  id?: string;
  name?: string;
}

export type KeystoneScope =
  | { kind: 'project'; project: NamedRef; domain: NamedRef }
  | { kind: 'domain'; domain: NamedRef }
  | { kind: 'unscoped' };

export type KeystoneCredentials =
  | { method: 'password'; user: NamedRef; userDomain: NamedRef; password: Secret; scope: KeystoneScope }
  // application credentials are bound to their project: no scope block
  | { method: 'application_credential'; id?: string; name?: string; user?: NamedRef; userDomain?: NamedRef; secret: Secret };

export interface TlsSettings {
  /** false = do not verify the server certificate (clouds.yaml `verify: false`) */
  verify: boolean;
  /** PEM bundle (clouds.yaml `cacert`) */
  caFile?: string;
  /** client certificate and key (clouds.yaml `cert`, `key`) */
  certFile?: string;
  keyFile?: string;
}

export interface CloudConfig {
  /** the clouds.yaml entry name */
  name: string;
  /** which file it came from (for messages) */
  source: string;
  /** Keystone base URL without `/v3` */
  authUrl: string;
  credentials: KeystoneCredentials;
  /** catalog interface: public (default), internal, admin */
  interface: string;
  /** null = any region (a cloud with a single region) */
  regionName: string | null;
  /** clouds.yaml `image_endpoint_override`: skips the catalog for Glance */
  imageEndpointOverride?: string;
  imageFormat: string;
  tls: TlsSettings;
}
