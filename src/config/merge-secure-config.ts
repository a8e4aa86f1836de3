/**
 * The secure file (`-s`) merged into a loaded config, as upstream's
 * loadSecureConfig: a non-empty `zookeeper-servers` replaces the whole list,
 * `zookeeper-tls` replaces the TLS files, and each `diskimages[]` entry's
 * `env-vars` are dict-updated into that (non-abstract) diskimage.
 */
import type { ConfigIssue } from './config-issue.js';
import type { RawSecureConfig } from './raw-types.js';
import type { NodepoolConfig } from './types.js';
import { toZkServers, toZkTls } from './zookeeper-servers.js';

/** Mutates `config`; returns the issues (unknown diskimages). */
export function mergeSecureConfig(
  config: NodepoolConfig,
  secure: RawSecureConfig,
  abstractNames: Set<string>,
): ConfigIssue[] {
  const servers = secure['zookeeper-servers'];
  if (servers && servers.length > 0) config.zookeeperServers = toZkServers(servers);
  if (secure['zookeeper-tls']) config.zookeeperTls = toZkTls(secure['zookeeper-tls']);

  const issues: ConfigIssue[] = [];
  for (const entry of secure.diskimages ?? []) {
    const image = config.diskimages.get(entry.name);
    if (image) {
      Object.assign(image.envVars, entry['env-vars']);
      continue;
    }
    // upstream's exact message: "<secure path>: unknown diskimage <name>"
    const why = abstractNames.has(entry.name) ? ' (it is abstract; give the env-vars to a non-abstract child)' : '';
    issues.push({ keyPath: '', problem: `unknown diskimage ${entry.name}${why}` });
  }
  return issues;
}
