import type { BuildOptions } from '../options/build-options.js';
import type { ChecksumKind } from '../../assembly/outputs/checksum-kinds.js';

/** One resolved element as the worker needs it. */
export interface PlannedElement {
  name: string;
  path: string;
}

/**
 * Everything the worker needs to build, decided by the parent before any
 * resource exists (element errors surface here, not mid-build). JSON-safe:
 * it crosses the IPC channel.
 */
export interface BuildPlan {
  options: BuildOptions;
  elements: PlannedElement[];
  /** ELEMENTS_PATH as exported to scripts: the user's entries then Kiln's elements/ */
  elementsPath: string[];
  arch: string;
  /** absolute `-o` path without extension */
  outputBase: string;
  /** the environment the build starts from (the user's, or empty with -c) */
  baseEnv: Record<string, string>;
  /** where TMP_BUILD_DIR and TMP_IMAGE_DIR are created (TMP_DIR, default /tmp) */
  tmpDir: string;
  imageCache: string;
  lockfiles: string;
  /** the state file the worker continues (created by the parent) */
  stateFile: string;
  /** keep the build tree of a failed build (KILN_KEEP_FAILED_TREE=1) */
  keepFailedTree: boolean;
  /** use tmpfs for the build dir (DIB's tmpfs_check, decided by the parent) */
  useTmpfs: boolean;
  /** checksum files to write: `--checksum`, else DIB_CHECKSUM from the environment */
  checksums: ChecksumKind[];
}
