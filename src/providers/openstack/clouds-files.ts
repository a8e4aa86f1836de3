/**
 * Reads clouds.yaml and secure.yaml the way openstacksdk does
 * (openstack/config/loader.py): the first existing file of each search list
 * wins; secure.yaml's entries are deep-merged over clouds.yaml's, so
 * passwords can live in a file with tighter permissions. The clouds.yaml
 * search order is the one src/config/clouds-yaml.ts uses for image_format.
 */
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cloudsYamlCandidates } from '../../config/clouds-yaml.js';
import { parsePyYaml } from '../../config/pyyaml-compat.js';
import { OpenStackError } from './openstack-error.js';

export interface CloudsFileOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface CloudsFiles {
  /** path of the clouds.yaml used, null when none exists */
  cloudsPath: string | null;
  securePath: string | null;
  /** `clouds:` after merging secure.yaml */
  clouds: Record<string, Record<string, unknown>>;
}

export async function readCloudsFiles(options: CloudsFileOptions = {}): Promise<CloudsFiles> {
  const env = options.env ?? process.env;
  const search = { env, cwd: options.cwd ?? process.cwd() };
  const cloudsPath = await firstExisting(cloudsYamlCandidates(search));
  const securePath = await firstExisting(secureCandidates(search));
  const clouds = cloudsOf(cloudsPath ? await parseFile(cloudsPath) : {});
  const secure = cloudsOf(securePath ? await parseFile(securePath) : {});
  return { cloudsPath, securePath, clouds: deepMerge(clouds, secure) as Record<string, Record<string, unknown>> };
}

/** Same directories as clouds.yaml, file names secure.*, override $OS_CLIENT_SECURE_FILE. */
export function secureCandidates({ env, cwd }: { env: NodeJS.ProcessEnv; cwd: string }): string[] {
  const home = env['HOME'] || homedir();
  const userDir = join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'openstack');
  const siteDir = join((env['XDG_CONFIG_DIRS'] || '/etc/xdg').split(':')[0] || '/etc/xdg', 'openstack');
  const files = [cwd, userDir, siteDir, '/etc/openstack'].flatMap((dir) =>
    ['secure.yaml', 'secure.yml', 'secure.json'].map((name) => join(dir, name)),
  );
  const override = env['OS_CLIENT_SECURE_FILE'];
  return override ? [override, ...files] : files;
}

async function firstExisting(paths: string[]): Promise<string | null> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
      // try the next candidate
    }
  }
  return null;
}

async function parseFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new OpenStackError('KILN_OPENSTACK_CLOUD_INVALID', `${path}: cannot read the file: ${(err as Error).message}`, { cause: err });
  }
  const doc = parsePyYaml(text);
  const first = doc.errors[0];
  // the parser's message quotes the offending line, which may hold a password: keep only its position
  if (first) throw new OpenStackError('KILN_OPENSTACK_CLOUD_INVALID', `${path}: invalid YAML (${first.code} at ${JSON.stringify(first.linePos?.[0] ?? null)})`);
  return doc.toJS();
}

function cloudsOf(data: unknown): Record<string, unknown> {
  const clouds = isRecord(data) ? data['clouds'] : undefined;
  return isRecord(clouds) ? clouds : {};
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
