import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** One package operation after filtering and name mapping. */
export interface PackageOp {
  phase: string;
  op: 'install' | 'uninstall';
  pkg: string;
  element: string;
}

type Spec = { phase?: string; uninstall?: boolean | string; 'build-only'?: boolean | string; installtype?: string; arch?: string; 'not-arch'?: string; when?: string | string[]; dib_python_version?: string | number } | null;

/**
 * DIB's package-installs-squash, in TypeScript: reads every element's
 * package-installs.yaml/.json, keeps the entries whose arch / not-arch /
 * installtype / when conditions hold, maps names through the element's
 * pkg-map (release > distro > family > default; "" drops the package) and
 * returns the operations per phase. Runs on the host during extra-data.d.
 */
export function squashPackageInstalls(elements: { name: string; path: string }[], env: NodeJS.ProcessEnv): PackageOp[] {
  const ops: PackageOp[] = [];
  for (const element of elements) {
    const specs = readSpecs(element.path);
    if (!specs) continue;
    const pkgMap = readPkgMap(element.path);
    for (const [pkg, value] of Object.entries(specs)) {
      const list: Spec[] = Array.isArray(value) ? (value as Spec[]) : [value as Spec];
      for (const spec of list) {
        if (!applies(spec, element.name, env)) continue;
        const mapped = mapName(pkg, pkgMap, env);
        if (mapped === '') continue;
        const phase = spec?.phase ?? 'install.d';
        const uninstall = truthy(spec?.uninstall);
        for (const name of mapped.split(/\s+/).filter((n) => n.length > 0)) {
          ops.push({ phase, op: uninstall ? 'uninstall' : 'install', pkg: name, element: element.name });
          if (truthy(spec?.['build-only'])) ops.push({ phase: 'post-install.d', op: 'uninstall', pkg: name, element: element.name });
        }
      }
    }
  }
  return ops;
}

function readSpecs(dir: string): Record<string, unknown> | undefined {
  for (const file of ['package-installs.yaml', 'package-installs.json']) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const parsed: unknown = file.endsWith('.json') ? JSON.parse(readFileSync(path, 'utf8')) : parseYaml(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }
  return undefined;
}

function applies(spec: Spec, element: string, env: NodeJS.ProcessEnv): boolean {
  if (!spec) return true;
  const arch = env.ARCH ?? '';
  if (spec.arch !== undefined && spec['not-arch'] !== undefined) {
    throw new Error(`${element}: package-installs entry has both arch and not-arch`);
  }
  if (spec.arch !== undefined && !csv(spec.arch).includes(arch)) return false;
  if (spec['not-arch'] !== undefined && csv(spec['not-arch']).includes(arch)) return false;
  if (spec.installtype !== undefined) {
    const prefix = element.replace(/-/g, '_');
    const type = env[`DIB_INSTALLTYPE_${prefix}`] ?? env.DIB_DEFAULT_INSTALLTYPE ?? 'source';
    if (type !== spec.installtype) return false;
  }
  if (spec.dib_python_version !== undefined && String(spec.dib_python_version) !== (env.DIB_PYTHON_VERSION ?? '3')) return false;
  for (const cond of spec.when === undefined ? [] : Array.isArray(spec.when) ? spec.when : [spec.when]) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!=|=)\s*(.*?)\s*$/.exec(cond);
    if (!m) throw new Error(`${element}: bad 'when' condition '${cond}'`);
    const [, name = '', operator, expected] = m;
    const actual = env[name];
    if (actual === undefined) throw new Error(`${element}: 'when' uses ${name}, which is not set`);
    if ((operator === '=') !== (actual === expected)) return false;
  }
  return true;
}

type PkgMap = { default?: Record<string, string>; family?: Record<string, Record<string, string>>; distro?: Record<string, Record<string, string>>; release?: Record<string, Record<string, Record<string, string>>> };

function readPkgMap(dir: string): PkgMap | undefined {
  const path = join(dir, 'pkg-map');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PkgMap) : undefined;
}

const FAMILIES: Record<string, string> = {
  debian: 'debian', ubuntu: 'debian',
  centos: 'redhat', fedora: 'redhat', rhel: 'redhat', openeuler: 'redhat', rocky: 'redhat',
  opensuse: 'suse', sles: 'suse', gentoo: 'gentoo',
};

function mapName(pkg: string, map: PkgMap | undefined, env: NodeJS.ProcessEnv): string {
  if (!map) return pkg;
  const distro = env.DISTRO_NAME ?? '';
  const release = env.DIB_RELEASE ?? '';
  const family = FAMILIES[distro] ?? '';
  const candidates = [map.release?.[distro]?.[release], map.distro?.[distro], map.family?.[family], map.default];
  for (const table of candidates) if (table && pkg in table) return table[pkg] ?? '';
  return pkg;
}

function csv(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(true|yes|1)$/i.test(value));
}
