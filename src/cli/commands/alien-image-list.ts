/**
 * `alien-image-list [PROVIDER]` (nodepool-compat.md 10.1): images in a cloud
 * that Nodepool made (their properties carry `nodepool_build_id`) but that no
 * ready upload in ZooKeeper accounts for — leaks of crashed uploads, of
 * another Nodepool, or of records removed by hand. Images without the
 * property are the cloud's own and never listed.
 *
 * Like upstream, a provider whose listing fails is reported on stderr and
 * skipped, so one dead cloud does not hide the others' aliens. Differences,
 * deliberate:
 * - "known" means any ready upload of that provider in ZooKeeper, whether
 *   or not its image is still in the provider's config (upstream looks only
 *   at the configured diskimages and so calls a not-yet-cleaned upload of a
 *   removed image alien);
 * - a PROVIDER that is not in the config is an error (upstream prints an
 *   empty table), as are providers Kiln has no driver for (a warning each).
 */
import type { Command } from '../command.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import type { NodepoolConfig, Provider } from '../../config/types.js';
import { readImageTree } from '../../model/tree-snapshot.js';
import type { ImageTreeSnapshot } from '../../model/types.js';
import type { CloudImage } from '../../providers/types.js';
import { prettyTable } from '../../status/pretty-table.js';

export interface AlienImageRow {
  provider: string;
  name: string;
  id: string;
}

export interface FindAlienImagesInput {
  config: NodepoolConfig;
  tree: ImageTreeSnapshot;
  /** only this provider (already checked to exist) */
  providerName?: string;
  /** for the clouds.yaml lookup */
  env: NodeJS.ProcessEnv;
  /** a provider that was skipped, and why */
  warn(message: string): void;
}

export const alienImageListCommand: Command = {
  name: 'alien-image-list',
  summary: 'list images in the clouds that Nodepool made but ZooKeeper does not know',
  usage: '[PROVIDER]',
  positionals: [0, 1],
  async run(ctx: CliContext, { positionals }) {
    const [providerName] = positionals;
    const config = await ctx.config();
    if (providerName !== undefined && !config.providers.has(providerName)) {
      throw new CliError('KILN_CLI_NOT_FOUND', `Provider ${providerName} not found`);
    }
    const tree = await readImageTree(await ctx.zk());
    const rows = await findAlienImages({
      config,
      tree,
      ...(providerName !== undefined ? { providerName } : {}),
      env: process.env,
      warn: (message) => ctx.io.err(`warning: ${message}`),
    });
    ctx.io.out(
      ctx.options.json
        ? JSON.stringify(rows)
        : prettyTable(['Provider', 'Name', 'Image ID'], rows.map((r) => [r.provider, r.name, r.id])),
    );
    return 0;
  },
};

/** The alien images of every image-managing provider (or the one named), in config order. */
export async function findAlienImages(input: FindAlienImagesInput): Promise<AlienImageRow[]> {
  // The CLI makes providers outside the daemon: drivers beyond `local` need registering here too
  // (unless this process already did, e.g. a daemon with its logger).
  // Loaded here, not at the top: only this command needs the cloud drivers.
  const [{ registerOpenStackDriver }, { hasProviderDriver }] = await Promise.all([
    import('../../providers/openstack/register-openstack-driver.js'),
    import('../../providers/provider-registry.js'),
  ]);
  if (!hasProviderDriver('openstack')) registerOpenStackDriver();
  const providers = [...input.config.providers.values()].filter(
    (p) => p.managesImages && (input.providerName === undefined || p.name === input.providerName),
  );
  const perProvider = await Promise.all(providers.map((p) => providerAliens(p, input)));
  return perProvider.flat();
}

async function providerAliens(provider: Provider, input: FindAlienImagesInput): Promise<AlienImageRow[]> {
  const images = await listNodepoolImages(provider, input);
  const known = readyExternalIds(input.tree, provider.name);
  return images.filter((image) => !known.has(image.id)).map((image) => ({ provider: provider.name, name: image.name, id: image.id }));
}

/** The provider's images that carry `nodepool_build_id`; [] (with a warning) when they cannot be listed. */
async function listNodepoolImages(provider: Provider, input: FindAlienImagesInput): Promise<CloudImage[]> {
  const { createProvider } = await import('../../providers/provider-registry.js');
  let cloud;
  try {
    cloud = await createProvider(provider, { env: input.env });
  } catch (err) {
    input.warn(`cannot set up provider ${provider.name}: ${messageOf(err)}`);
    return [];
  }
  if (!cloud) {
    input.warn(`provider ${provider.name}: Kiln has no driver for "${provider.driver}"; skipped`);
    return [];
  }
  try {
    const images = await cloud.listImages();
    return images.filter((image) => Object.hasOwn(image.properties, 'nodepool_build_id'));
  } catch (err) {
    // upstream's wording: "Exception listing alien images for <provider>: <error>"
    input.warn(`Exception listing alien images for ${provider.name}: ${messageOf(err)}`);
    return [];
  } finally {
    await cloud.close().catch(() => undefined);
  }
}

/** External ids of the provider's ready uploads, over every build of every image in ZooKeeper. */
function readyExternalIds(tree: ImageTreeSnapshot, providerName: string): Set<string> {
  const ids = new Set<string>();
  for (const image of tree.images) {
    for (const build of image.builds) {
      for (const upload of build.uploads.get(providerName) ?? []) {
        if (upload.state === 'ready' && upload.externalId) ids.add(upload.externalId);
      }
    }
  }
  return ids;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
