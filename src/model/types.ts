/**
 * Nodepool's image records as they live in ZooKeeper (nodepool/zk/zookeeper.py
 * ImageBuild/ImageUpload). ids and names come from the znode path, never from
 * the JSON. Serialization is in image-build.ts / image-upload.ts.
 */

export type BuildState = 'building' | 'ready' | 'deleting' | 'failed';
export type UploadState = 'uploading' | 'ready' | 'deleting' | 'failed';

export interface ImageBuild {
  image: string;
  /** 32-hex uuid, or a legacy 10-digit sequence id */
  id: string;
  state: BuildState | null;
  /** float epoch seconds; reset whenever state changes */
  stateTime: number | null;
  builder: string | null;
  builderId: string | null;
  /** sorted */
  formats: string[];
  /** null only when a peer stored null (a missing key reads as `zuul` / `/usr/bin/python2`) */
  username: string | null;
  pythonPath: string | null;
  shellType: string | null;
  /** znode mtime/ctime in ms, for "created after the lock" logic */
  ctimeMs?: number;
  /** Kiln extension fields stored alongside upstream's (ignored by Python readers). */
  extra?: Record<string, unknown>;
}

export interface ImageUpload {
  image: string;
  buildId: string;
  provider: string;
  /** 10-digit sequence id */
  id: string;
  state: UploadState | null;
  stateTime: number | null;
  externalId: string | null;
  externalName: string | null;
  format: string | null;
  /** null only when a peer stored null (a missing key reads as `zuul` / `/usr/bin/python2`) */
  username: string | null;
  pythonPath: string | null;
  shellType: string | null;
}

/** Manual build request state (getBuildRequest). */
export interface BuildRequest {
  image: string;
  /** true unless a build is running that was started after the request */
  pending: boolean;
  /** request znode ctime, epoch seconds */
  stateTime: number;
}

/** The whole image tree, read in one parallel sweep (tree-snapshot.ts). */
export interface ImageTreeSnapshot {
  images: ImageSnapshot[];
}

export interface ImageSnapshot {
  name: string;
  paused: boolean;
  buildRequest: BuildRequest | null;
  /** children of builds/lock (contenders); non-empty ⇒ a build is running */
  buildLockHolders: string[];
  builds: BuildSnapshot[];
}

export interface BuildSnapshot {
  build: ImageBuild;
  /** provider name → uploads, in id order */
  uploads: Map<string, ImageUpload[]>;
}
