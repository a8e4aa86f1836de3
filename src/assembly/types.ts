/**
 * The contract between the element pipeline (which produces a finished root
 * tree) and disk assembly (which turns it into image files). Both run inside
 * the build worker process; see src/pipeline and src/assembly.
 */
import type { ResourceTracker } from '../resources/types.js';
import type { ChecksumKind } from './outputs/checksum-kinds.js';
import type { Digests } from './outputs/digest.js';

export interface AssemblyRequest {
  /** the finished root tree (all phases done, chroot mounts gone) */
  rootDir: string;
  /** `-o`: output path without extension; files are `<outputBase>.<fmt>` */
  outputBase: string;
  /** `-t`: formats in the order given (raw, qcow2, vhd, tar, tgz, squashfs, docker, …) */
  formats: string[];
  /** the resolved element list (decides the default layout: `vm`, `block-device-efi`, …) */
  elements: string[];
  /** the build environment (DIB_BLOCK_DEVICE_CONFIG, DIB_BOOTLOADER_DEFAULT_CMDLINE, DIB_IMAGE_SIZE…) */
  env: Record<string, string>;
  /** `--image-size` (e.g. "2G", "2048M", plain GiB number) */
  imageSize?: string;
  /** `--image-extra-size` in GiB */
  imageExtraSize?: number;
  /** `--qemu-img-options` (e.g. "compat=0.10") */
  qemuImgOptions?: string;
  /** checksum files to write (`--checksum` / DIB_CHECKSUM, see outputs/checksum-kinds.ts) */
  checksums: readonly ChecksumKind[];
  /** scratch space for this build (removed by the pipeline) */
  workDir: string;
  resources: ResourceTracker;
  /** a line for the build log */
  log: (line: string) => void;
  /** a named step started/ended, for per-step timings in the progress output */
  step?: (name: string, event: 'start' | 'end') => void;
  signal?: AbortSignal;
}

export interface AssemblyResult {
  /** format → absolute path of the written file */
  outputs: Record<string, string>;
  /** format → its digests, for the formats that got checksum files */
  checksums: Record<string, Digests>;
}
