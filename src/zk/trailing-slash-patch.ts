/**
 * Lets `create('/…/images/', …, sequential)` through node-zookeeper-client.
 *
 * Nodepool names upload nodes by creating `…/images/` (trailing slash) with the
 * sequence flag, so the node name is just the 10 digits (`…/images/0000000001`).
 * The ZooKeeper server accepts that path for sequential creates, but the
 * library's validator (`lib/Path.js` `validate`) rejects a trailing `/`
 * synchronously. We wrap that validator once: while `withTrailingSlashAllowed`
 * runs its (synchronous) callback, a path ending in `/` is validated as if the
 * slash were not there; at every other moment the stock rules apply. The
 * library calls `Path.validate(...)` through the module object on each request,
 * so replacing the export is enough. Do not "fix" this with a name prefix: that
 * changes the upload ids that Nodepool peers and tests expect.
 */
import { createRequire } from 'node:module';

interface PathModule {
  validate(path: string): void;
}

let allowTrailingSlash = false;
let installed = false;

/** Runs `fn` (which must call the library synchronously) with trailing slashes allowed. */
export function withTrailingSlashAllowed<T>(fn: () => T): T {
  installPatch();
  allowTrailingSlash = true;
  try {
    return fn();
  } finally {
    allowTrailingSlash = false;
  }
}

function installPatch(): void {
  if (installed) return;
  const pathModule = createRequire(import.meta.url)('node-zookeeper-client/lib/Path.js') as PathModule;
  const stock = pathModule.validate.bind(pathModule);
  pathModule.validate = (path: string): void => {
    if (allowTrailingSlash && typeof path === 'string' && path.length > 1 && path.endsWith('/')) {
      stock(path.slice(0, -1));
      return;
    }
    stock(path);
  };
  installed = true;
}
