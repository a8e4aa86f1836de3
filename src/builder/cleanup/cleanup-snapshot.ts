/**
 * The one reading step of a cleanup cycle: local files, then the ZooKeeper
 * tree, then lock facts, then which builds this daemon is running. The order
 * matters: a build's record is stored before its files appear, so every
 * local build seen by the scan has its record in the tree read after it (the
 * reverse order could see the files of a build whose record was written
 * between the two reads, and delete them as "not in ZooKeeper").
 */
import type { Zk } from '../../zk/zk-types.js';
import { readImageTree } from '../../model/tree-snapshot.js';
import { scanLocalBuilds } from '../local-images.js';
import { buildKey, type CleanupConfig, type CleanupInput } from './cleanup-input.js';
import { readLockFacts } from './read-lock-facts.js';

export interface CleanupSnapshotSource {
  zk: Zk;
  config: CleanupConfig;
  builderId: string;
  imagesDir: string;
  isBuildRunningLocally?: (image: string, buildId: string) => boolean;
}

export async function takeCleanupSnapshot(source: CleanupSnapshotSource): Promise<CleanupInput> {
  const localBuilds = await scanLocalBuilds(source.imagesDir);
  const tree = await readImageTree(source.zk);
  const locks = await readLockFacts(source.zk, tree);
  const runningLocally = new Set<string>();
  const running = source.isBuildRunningLocally;
  if (running) {
    const candidates = [
      ...localBuilds.map((b) => [b.image, b.buildId] as const),
      ...tree.images.flatMap((i) => i.builds.filter((b) => b.build.state === 'building').map((b) => [i.name, b.build.id] as const)),
    ];
    for (const [image, buildId] of candidates) if (running(image, buildId)) runningLocally.add(buildKey(image, buildId));
  }
  return { tree, locks, config: source.config, localBuilds, runningLocally, builderId: source.builderId };
}
