/**
 * Cross-references of `providers[]` that upstream's loader enforces while
 * parsing (a KeyError or ValueError there, a clear message here):
 * - provider names are path-safe (they become znodes) and unique;
 * - `providers[].diskimages[].name` is a non-abstract top-level diskimage
 *   (upstream looks it up in `config.diskimages`, which has no abstract ones);
 * - for OpenStack providers, pool labels exist in the top-level `labels`, a pool
 *   label's `diskimage` is a top-level diskimage and its `cloud-image` one of the
 *   provider's `cloud-images`. Other drivers' pool grammar is the launcher's.
 */
import { checkNames } from './check-names.js';
import type { ConfigIssue } from './config-issue.js';
import { resolveDriver } from './drivers.js';
import { formatKeyPath, type PathSegment } from './key-path.js';
import type { RawConfig, RawPoolLabel, RawProvider } from './raw-types.js';

export function checkProviders(config: RawConfig, root: unknown): ConfigIssue[] {
  const providers = config.providers ?? [];
  const issues = checkNames(providers, 'providers', 'provider', root);
  const at = (...segments: PathSegment[]): string => formatKeyPath(['providers', ...segments], root);
  const diskimages = config.diskimages ?? [];
  const buildable = new Set(diskimages.filter((d) => !d.abstract).map((d) => d.name));
  const abstract = new Set(diskimages.filter((d) => d.abstract).map((d) => d.name));
  const labels = new Set((config.labels ?? []).map((label) => label.name));

  const unknownDiskimage = (name: string): string =>
    abstract.has(name)
      ? `diskimage "${name}" is abstract; only non-abstract diskimages can be used here`
      : `unknown diskimage "${name}"; defined diskimages: ${list(buildable)}`;

  providers.forEach((provider, index) => {
    (provider.diskimages ?? []).forEach((entry, i) => {
      if (!buildable.has(entry.name)) {
        issues.push({ keyPath: at(index, 'diskimages', i, 'name'), problem: unknownDiskimage(entry.name) });
      }
    });

    const driver = resolveDriver(provider);
    if (driver !== 'openstack' && driver !== 'fake') return;
    const cloudImages = new Set((provider['cloud-images'] ?? []).map((image) => String(image['name'])));
    forEachPoolLabel(provider, (label, pool, l) => {
      if (!labels.has(label.name)) {
        issues.push({
          keyPath: at(index, 'pools', pool, 'labels', l, 'name'),
          problem: `label "${label.name}" is not defined in the top-level labels; defined labels: ${list(labels)}`,
        });
      }
      if (label.diskimage && !buildable.has(label.diskimage)) {
        const keyPath = at(index, 'pools', pool, 'labels', l, 'diskimage');
        issues.push({ keyPath, problem: unknownDiskimage(label.diskimage) });
      }
      const cloudImage = label['cloud-image'];
      if (cloudImage && !cloudImages.has(cloudImage)) {
        issues.push({
          keyPath: at(index, 'pools', pool, 'labels', l, 'cloud-image'),
          problem:
            `cloud-image "${cloudImage}" is not defined in this provider's cloud-images; ` +
            `defined: ${list(cloudImages)}`,
        });
      }
    });
  });
  return issues;
}

function forEachPoolLabel(
  provider: RawProvider,
  visit: (label: RawPoolLabel, pool: number, index: number) => void,
): void {
  (provider.pools ?? []).forEach((pool, p) => (pool.labels ?? []).forEach((label, l) => visit(label, p, l)));
}

/** "a, b, c" (at most 10 shown), or "(none)" */
function list(names: Set<string>): string {
  const all = [...names];
  if (all.length === 0) return '(none)';
  return all.length > 10 ? `${all.slice(0, 10).join(', ')}, … (${all.length} in all)` : all.join(', ');
}
