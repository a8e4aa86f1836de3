/**
 * Whether a manual build request (`request-build`) is still waiting, for
 * `image-status` ("pending" / "building").
 *
 * Upstream (getBuildRequest) calls it pending unless `builds/lock` has
 * contenders and the "latest" build znode was created after the lock
 * directory; but "latest" is whichever child get_children lists first and the
 * lock directory's ctime is when it was first ever made, so the answer is
 * effectively random (quirk, nodepool-compat.md 3.7).
 *
 * Kiln computes it as intended: a request is being served ("building") when
 * the image build lock has a contender AND the newest build znode (by ctime)
 * was created after the request. A build that started before the request
 * cannot be the one serving it, so the request stays pending. Python peers
 * only display this value; none acts on it.
 */
import type { BuildRequest } from './types.js';

export interface BuildRequestFacts {
  image: string;
  /** ctime of the request-build znode, ms */
  requestCtimeMs: number;
  /** number of children of builds/lock */
  lockContenders: number;
  /** ctimes of the build znodes, ms (any data, even unreadable) */
  buildCtimesMs: number[];
}

export function buildRequestStatus(facts: BuildRequestFacts): BuildRequest {
  const newestBuild = facts.buildCtimesMs.reduce<number | null>((max, t) => (max === null || t > max ? t : max), null);
  const building = facts.lockContenders > 0 && newestBuild !== null && newestBuild > facts.requestCtimeMs;
  return { image: facts.image, pending: !building, stateTime: facts.requestCtimeMs / 1000 };
}
