/** Path arithmetic for znode paths (always absolute, `/`-separated). */

/** Parent of `/a/b` is `/a`; of `/a/b/` (a sequential-create prefix) is `/a/b`; of `/a` is `/`. */
export function parentPath(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** Last component of a path (`/a/b/lock` → `lock`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
