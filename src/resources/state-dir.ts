import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where build state files live. `KILN_STATE_DIR` wins; otherwise the XDG state
 * directory, so state survives reboots of the builder process but not of the
 * user's choice of cache (DIB_IMAGE_CACHE may be wiped independently).
 * Layout: `<dir>/builds/<build-id>.json`.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KILN_STATE_DIR) return env.KILN_STATE_DIR;
  const xdg = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(xdg, 'kiln');
}

export function buildsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'builds');
}
