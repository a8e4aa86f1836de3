/**
 * Builder component registration (nodepool/zk/components.py
 * BaseComponent.register): an ephemeral sequential node
 * `/nodepool/components/builder/<hostname><10 digits>` (no separator) whose
 * data is json.dumps(content, sort_keys=True):
 *
 *   {"hostname": "nb01", "kind": "builder", "model_api": 0, "state": "stopped", "version": "…"}
 *
 * Launchers' ComponentRegistry reads these to compute the system's minimum
 * model API. The builder never changes `state`. The node dies with the
 * session, so it is made again whenever the client reports a new session
 * after an expiry (and retried on the next connect if that attempt fails).
 */
import type { Zk } from '../zk/zk-types.js';
import { pythonJsonDumps } from './python-json.js';
import { builderComponentPrefix } from './paths.js';

/** nodepool/model_api.py MODEL_API */
export const MODEL_API = 0;

export interface BuilderComponentOptions {
  hostname: string;
  /** reported as `version` (Nodepool puts its own release there) */
  version: string | null;
  /** told about each (re-)registration's node path, e.g. for logging */
  onRegistered?: (path: string) => void;
  /** told about a failed re-registration; it is retried on the next connect */
  onError?: (err: unknown) => void;
}

export interface ComponentRegistration {
  /** the current node's path (changes after each re-registration) */
  readonly path: string;
  /** stops re-registering and deletes the node */
  unregister(): Promise<void>;
}

export function builderComponentData(hostname: string, version: string | null): string {
  // Keys in sorted order, as sort_keys=True writes them.
  return pythonJsonDumps({ hostname, kind: 'builder', model_api: MODEL_API, state: 'stopped', version });
}

export async function registerBuilderComponent(zk: Zk, options: BuilderComponentOptions): Promise<ComponentRegistration> {
  const prefix = builderComponentPrefix(options.hostname);
  const data = builderComponentData(options.hostname, options.version);
  const create = (): Promise<string> => zk.create(prefix, data, { mode: 'ephemeral_sequential', makeParents: true });

  let path = await create();
  options.onRegistered?.(path);
  let active = true;
  let needed = false;
  let pending: Promise<void> | undefined;

  const reRegister = (): void => {
    if (!active || !needed || pending) return;
    pending = create()
      .then((created) => {
        needed = false;
        // unregister() may have run while the create was in flight.
        if (active) {
          path = created;
          options.onRegistered?.(created);
        } else {
          void zk.delete(created).catch(() => undefined);
        }
      })
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        pending = undefined;
      });
  };
  const onSession = (): void => {
    needed = true;
    reRegister();
  };
  zk.on('session', onSession);
  zk.on('connected', reRegister);

  return {
    get path() {
      return path;
    },
    async unregister() {
      active = false;
      zk.off('session', onSession);
      zk.off('connected', reRegister);
      await pending;
      await zk.delete(path);
    },
  };
}
