/**
 * loadConfig: nodepool.yaml (+ the secure file) → NodepoolConfig, matching
 * upstream's nodepool/config.py loadConfig + loadSecureConfig.
 *
 * Unlike upstream, the schema (upstream's config-validate schema, see
 * schema/) is also enforced at load time: a daemon should refuse a bad config
 * with a clear message rather than fail later on a KeyError. Every problem is
 * a ConfigError (codes in config-issue.ts); all problems of a phase are
 * reported together, one per line.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import { checkDiskimages } from './check-diskimages.js';
import { checkProviders } from './check-providers.js';
import { CloudsYaml } from './clouds-yaml.js';
import { throwIfIssues } from './config-issue.js';
import { DEFAULTS } from './defaults.js';
import { loadProviders } from './load-providers.js';
import { mergeDiskimages } from './merge-diskimages.js';
import { mergeSecureConfig } from './merge-secure-config.js';
import { normalizeReleases } from './normalize-release.js';
import type { RawConfig, RawSecureConfig } from './raw-types.js';
import { readConfigFile, type ParsedConfigFile } from './read-config-file.js';
import type { NodepoolConfig } from './types.js';
import { validateConfigData, validateSecureData } from './validate-config-data.js';
import { toZkServers, toZkTls } from './zookeeper-servers.js';

export interface LoadConfigOptions {
  /** the secure file (`-s`) */
  securePath?: string | null;
  /** for `%(NODEPOOL_xxx)` and the clouds.yaml lookup; default process.env */
  env?: NodeJS.ProcessEnv;
}

export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<NodepoolConfig> {
  const env = options.env ?? process.env;
  const main = await readConfigFile(resolve(path), { env });
  const raw = checkedMainConfig(main);

  const diskimages = mergeDiskimages(normalizeReleases(raw.diskimages ?? [], main.doc));
  const config: NodepoolConfig = {
    configPath: main.path,
    securePath: null,
    elementsDir: raw['elements-dir'] ?? null,
    imagesDir: raw['images-dir'] ?? null,
    buildLogDir: raw['build-log-dir'] || DEFAULTS.buildLogDir,
    buildLogRetention: raw['build-log-retention'] ?? DEFAULTS.buildLogRetention,
    zookeeperServers: toZkServers(raw['zookeeper-servers']),
    zookeeperTls: toZkTls(raw['zookeeper-tls']),
    zookeeperTimeout: raw['zookeeper-timeout'] ?? DEFAULTS.zookeeperTimeout,
    diskimages,
    providers: await loadProviders(raw.providers ?? [], diskimages, new CloudsYaml({ env })),
    labels: (raw.labels ?? []).map((label) => label.name),
  };

  if (options.securePath) {
    const secure = await readConfigFile(resolve(options.securePath), { env });
    config.securePath = secure.path;
    const abstractNames = new Set((raw.diskimages ?? []).filter((d) => d.abstract).map((d) => d.name));
    const issues = mergeSecureConfig(config, checkedSecureConfig(secure), abstractNames);
    throwIfIssues(secure.path, issues, 'KILN_CONFIG_INVALID');
  }
  return config;
}

/** Schema first (the cross-checks rely on its types), then cross-references. */
function checkedMainConfig(file: ParsedConfigFile): RawConfig {
  if (file.data === null) {
    throw new ConfigError(file.path, '', 'the file is empty; expected a mapping of nodepool.yaml keys');
  }
  throwIfIssues(file.path, validateConfigData(file.data), 'KILN_CONFIG_INVALID');
  const raw = file.data as RawConfig;
  const issues = [...checkDiskimages(raw.diskimages ?? [], file.data), ...checkProviders(raw, file.data)];
  throwIfIssues(file.path, issues, 'KILN_CONFIG_INVALID');
  return raw;
}

/** An empty secure file is allowed (upstream returns early). */
function checkedSecureConfig(file: ParsedConfigFile): RawSecureConfig {
  if (file.data === null) return {};
  throwIfIssues(file.path, validateSecureData(file.data), 'KILN_CONFIG_INVALID');
  return file.data as RawSecureConfig;
}
