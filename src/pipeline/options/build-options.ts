/** What `kiln disk-image-create` was asked to do (DIB's options, parsed). */
export interface BuildOptions {
  elements: string[];
  /** `-o`, default "image"; a trailing `.<type>` is stripped when one type is given */
  imageName: string;
  /** `-t`, default ["qcow2"] */
  imageTypes: string[];
  arch?: string;
  /** count of `-x` */
  debugTrace: number;
  /** `-u`: no qcow2 compression */
  uncompressed: boolean;
  /** `-c`: start from a clean environment */
  clearEnv: boolean;
  /** `-n`: no implicit base */
  skipBase: boolean;
  /** `-p` (repeatable, comma lists) */
  packages: string[];
  checksum: boolean;
  imageCache?: string;
  noTmpfs: boolean;
  offline: boolean;
  qemuImgOptions?: string;
  ramdiskElement?: string;
  installType?: string;
  dockerTarget?: string;
  logfile?: string;
  imageSize?: string;
  imageExtraSize?: number;
  mkfsJournalSize?: number;
  mkfsOptions?: string;
  maxOnlineResize?: number;
  minTmpfs?: number;
  rootLabel?: string;
  /** Kiln: stop after the finished tree (no assembly); the tree is kept at `<image>.tree/` */
  treeOnly: boolean;
  /** Kiln: cancel the build after this many seconds */
  timeoutSeconds?: number;
  help: boolean;
  version: boolean;
  /** the argument vector as given (saved in the manifest as dib_arguments) */
  argv: string[];
}
