import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSecretName } from '../env/secret-filter.js';
import { shellQuote } from '../env/build-environment.js';

/**
 * DIB's manifests: dib_arguments and dib_environment (DIB_* variables, secret
 * values elided) go into the image's /etc/dib-manifests (mode 600) at the
 * start; element manifests (dib-manifest-dpkg-*) join them there during the
 * build; at the end the whole directory is copied to `<out>.d/dib-manifests/`.
 */
export async function writeInitialManifests(root: string, argv: string[], env: Record<string, string>): Promise<void> {
  const dir = join(root, 'etc', 'dib-manifests');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'dib_arguments'), `${argv.join(' ')}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'dib_environment'), environmentManifest(env), { mode: 0o600 });
}

export function environmentManifest(env: Record<string, string>): string {
  return Object.keys(env)
    .filter((name) => name.startsWith('DIB_') && !name.startsWith('BASH_FUNC_'))
    .sort()
    .map((name) => `declare -x ${name}=${shellQuote(isSecretName(name) ? '<filtered>' : (env[name] ?? ''))}\n`)
    .join('');
}

export async function copyManifestsOut(root: string, outputBase: string): Promise<string> {
  const out = `${outputBase}.d`;
  await mkdir(out, { recursive: true });
  await cp(join(root, 'etc', 'dib-manifests'), join(out, 'dib-manifests'), { recursive: true, force: true });
  await chmod(join(root, 'etc', 'dib-manifests'), 0o700).catch(() => undefined);
  return out;
}
