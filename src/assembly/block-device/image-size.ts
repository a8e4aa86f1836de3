/**
 * DIB's default image size (disk-image-create step 11, dib-elements.md §12.5),
 * as a pure function of the tree size so it can be unit-tested:
 * explicit --image-size wins; else tree + extra GiB (or tree ÷ 0.6), + the ext4
 * journal, + 525 MiB when a block-device-efi element asks for an ESP (or the
 * fixed partitions' size, if larger, + 2 MiB of partitioning overhead); then
 * rounded up to 64 KiB.
 */
export interface ImageSizeInput {
  /** `du -skx` of the tree, KiB */
  treeKiB: number;
  /** fixed size in bytes (`--image-size` / DIB_IMAGE_SIZE) */
  fixedBytes?: number;
  /** `--image-extra-size` / DIB_IMAGE_EXTRA_SIZE, GiB */
  extraGiB?: number;
  rootFsType: string;
  /** DIB_JOURNAL_SIZE, MiB (default 64) */
  journalMiB: number;
  elements: readonly string[];
  /** bytes of fixed-size partitions (ESP, BIOS boot…) */
  fixedPartitionsBytes: number;
  partitioned: boolean;
}

const KIB = 1024;
const ROUND = 64 * KIB;

export function computeImageSize(input: ImageSizeInput): number {
  if (input.fixedBytes !== undefined) return roundUp(input.fixedBytes);
  let kib = input.extraGiB !== undefined ? input.treeKiB + input.extraGiB * 1024 * 1024 : input.treeKiB / 0.6;
  if (/^ext[34]$/.test(input.rootFsType)) {
    kib += input.journalMiB * 1024;
    // mke2fs refuses a journal larger than half the filesystem; DIB then fails on tiny trees.
    kib = Math.max(kib, input.treeKiB + 2 * input.journalMiB * 1024 + 8 * 1024);
  }
  // DIB adds 525 MiB for an ESP; Kiln adds at least the fixed partitions' real size and
  // 2 MiB for the table and alignment, so the root filesystem gets what the estimate promised.
  const efiKiB = input.elements.some((e) => e.includes('block-device-efi')) ? 525 * 1024 : 0;
  kib += Math.max(efiKiB, input.fixedPartitionsBytes / KIB) + (input.partitioned ? 2048 : 0);
  return roundUp(Math.ceil(kib) * KIB);
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ROUND) * ROUND;
}
