/**
 * The upload format of an OpenStack provider: its cloud's `image_format` in
 * clouds.yaml, found the way openstacksdk finds the file
 * (openstack/config/loader.py): $OS_CLIENT_CONFIG_FILE first, then
 * clouds.{yaml,yml,json} in the current directory, ~/.config/openstack
 * ($XDG_CONFIG_HOME), /etc/xdg/openstack and /etc/openstack; the first file
 * that exists wins.
 *
 * Deliberately small for now: no clouds-public.yaml, no per-region overrides,
 * only the vendor profiles known to change the format. When the cloud or the
 * key is absent the result is openstacksdk's default, qcow2 (upstream would
 * fail to load for an unknown cloud; the builder cannot upload there anyway).
 */
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import { DEFAULTS } from './defaults.js';
import { throwIfIssues } from './config-issue.js';
import { isRecord } from './key-path.js';
import { parsePyYaml } from './pyyaml-compat.js';

/** openstacksdk vendor profiles (config/vendors/*.json) that set image_format */
const VENDOR_IMAGE_FORMATS: Record<string, string> = {
  rackspace: 'vhd',
};

export interface CloudsYamlOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/** One lookup per config load: reads clouds.yaml at most once. */
export class CloudsYaml {
  private loaded: Promise<{ path: string; data: unknown } | null> | undefined;

  constructor(private readonly options: CloudsYamlOptions) {}

  async imageFormat(cloud: string): Promise<string> {
    const file = await (this.loaded ??= loadCloudsYaml(this.options));
    const clouds = file && isRecord(file.data) ? file.data['clouds'] : undefined;
    const entry = isRecord(clouds) ? clouds[cloud] : undefined;
    if (!isRecord(entry)) return DEFAULTS.openstackImageFormat;
    const own = entry['image_format'];
    if (typeof own === 'string' && own !== '') return own;
    const profile = entry['profile'];
    return (typeof profile === 'string' && VENDOR_IMAGE_FORMATS[profile]) || DEFAULTS.openstackImageFormat;
  }
}

export function cloudsYamlCandidates({ env, cwd = process.cwd() }: CloudsYamlOptions): string[] {
  const home = env['HOME'] || homedir();
  const userDir = join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'openstack');
  const siteDir = join((env['XDG_CONFIG_DIRS'] || '/etc/xdg').split(':')[0] || '/etc/xdg', 'openstack');
  const dirs = [cwd, userDir, siteDir, '/etc/openstack'];
  const files = dirs.flatMap((dir) => ['clouds.yaml', 'clouds.yml', 'clouds.json'].map((name) => join(dir, name)));
  const override = env['OS_CLIENT_CONFIG_FILE'];
  return override ? [override, ...files] : files;
}

async function loadCloudsYaml(options: CloudsYamlOptions): Promise<{ path: string; data: unknown } | null> {
  for (const path of cloudsYamlCandidates(options)) {
    if (!(await exists(path))) continue;
    const doc = parsePyYaml(await readText(path));
    throwIfIssues(
      path,
      doc.errors.map((err) => ({ keyPath: '', problem: `invalid YAML: ${err.message.split('\n')[0]}` })),
      'KILN_CONFIG_YAML',
    );
    return { path, data: doc.toJS() };
  }
  return null;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(path, '', `cannot read the file: ${reason}`, 'KILN_CONFIG_UNREADABLE');
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
