import type { BuildOptions } from './build-options.js';
import { PipelineError } from '../pipeline-error.js';

/**
 * Parses DIB's `disk-image-create` command line the way GNU getopt does:
 * short clusters (`-xt qcow2`, `-xxn`), attached values (`-tqcow2`,
 * `--logfile=F`), options after elements, `--` ends options. Unknown options
 * are a usage error naming the option. `--image-extra-size` and
 * `--mkfs-journal-size` work (DIB's getopt list forgot them).
 */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = {}): BuildOptions {
  const o: BuildOptions = {
    elements: [],
    imageName: 'image',
    imageTypes: ['qcow2'],
    debugTrace: 0,
    uncompressed: false,
    clearEnv: false,
    skipBase: false,
    packages: [],
    checksum: false,
    noTmpfs: false,
    offline: false,
    treeOnly: env.KILN_TREE_ONLY === '1',
    help: false,
    version: false,
    argv: [...argv],
  };
  let typesGiven = false;

  const setShort = (flag: string, value: () => string): void => {
    switch (flag) {
      case 'a': o.arch = value(); break;
      case 'o': o.imageName = value(); break;
      case 't': o.imageTypes = splitList(value()); typesGiven = true; break;
      case 'p': o.packages.push(...splitList(value())); break;
      case 'x': o.debugTrace++; break;
      case 'u': o.uncompressed = true; break;
      case 'c': o.clearEnv = true; break;
      case 'n': o.skipBase = true; break;
      case 'h': o.help = true; break;
      default: throw usage(`unknown option -${flag}`);
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = (name: string): string => {
      const v = argv[++i];
      if (v === undefined) throw usage(`option ${name} requires a value`);
      return v;
    };
    if (arg === '--') {
      o.elements.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = LONG[name];
      if (!spec) throw usage(`unknown option --${name}`);
      if (spec.takesValue) {
        const value = eq < 0 ? next(`--${name}`) : arg.slice(eq + 1);
        spec.apply(o, value, `--${name}`);
      } else {
        if (eq >= 0) throw usage(`option --${name} takes no value`);
        spec.apply(o, '', `--${name}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const flag = arg[j] as string;
        if (SHORT_WITH_VALUE.has(flag)) {
          const rest = arg.slice(j + 1);
          setShort(flag, () => (rest.length > 0 ? rest : next(`-${flag}`)));
          break;
        }
        setShort(flag, () => '');
      }
      continue;
    }
    o.elements.push(arg);
  }

  // DIB: `-o foo.qcow2 -t qcow2` names the image `foo`
  if (o.imageTypes.length === 1 && o.imageName.endsWith(`.${o.imageTypes[0]}`)) {
    o.imageName = o.imageName.slice(0, -(o.imageTypes[0] as string).length - 1);
  }
  if (!typesGiven && env.IMAGE_TYPE) o.imageTypes = splitList(env.IMAGE_TYPE);
  if (!o.help && !o.version && o.elements.length === 0) throw usage('no elements given (usage: kiln disk-image-create [options] ELEMENT...)');
  return o;
}

const SHORT_WITH_VALUE = new Set(['a', 'o', 't', 'p']);

interface LongSpec {
  takesValue: boolean;
  apply: (o: BuildOptions, value: string, name: string) => void;
}

const flag = (apply: (o: BuildOptions) => void): LongSpec => ({ takesValue: false, apply: (o) => apply(o) });
const value = (apply: (o: BuildOptions, v: string, name: string) => void): LongSpec => ({ takesValue: true, apply });

const LONG: Record<string, LongSpec> = {
  checksum: flag((o) => (o.checksum = true)),
  'no-tmpfs': flag((o) => (o.noTmpfs = true)),
  offline: flag((o) => (o.offline = true)),
  help: flag((o) => (o.help = true)),
  version: flag((o) => (o.version = true)),
  'tree-only': flag((o) => (o.treeOnly = true)),
  'image-cache': value((o, v) => (o.imageCache = v)),
  'qemu-img-options': value((o, v) => (o.qemuImgOptions = v)),
  'ramdisk-element': value((o, v) => (o.ramdiskElement = v)),
  'install-type': value((o, v, n) => (o.installType = oneOf(v, ['source', 'package'], n))),
  'docker-target': value((o, v) => (o.dockerTarget = v)),
  logfile: value((o, v) => (o.logfile = v)),
  'image-size': value((o, v, n) => (o.imageSize = sizeLike(v, n))),
  'image-extra-size': value((o, v, n) => (o.imageExtraSize = num(v, n))),
  'mkfs-journal-size': value((o, v, n) => (o.mkfsJournalSize = num(v, n))),
  'mkfs-options': value((o, v) => (o.mkfsOptions = v)),
  'max-online-resize': value((o, v, n) => (o.maxOnlineResize = num(v, n))),
  'min-tmpfs': value((o, v, n) => (o.minTmpfs = num(v, n))),
  'root-label': value((o, v) => (o.rootLabel = v)),
  timeout: value((o, v, n) => (o.timeoutSeconds = num(v, n))),
};

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function num(v: string, name: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw usage(`option ${name} needs a non-negative number, got '${v}'`);
  return n;
}

function sizeLike(v: string, name: string): string {
  if (!/^\d+(\.\d+)?([KMGT](i?B)?)?$/i.test(v)) throw usage(`option ${name} needs a size like 2, 2G or 2048M, got '${v}'`);
  return v;
}

function oneOf(v: string, allowed: string[], name: string): string {
  if (!allowed.includes(v)) throw usage(`option ${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v;
}

function usage(message: string): PipelineError {
  return new PipelineError('KILN_PIPELINE_USAGE', message);
}

export const USAGE = `Usage: kiln disk-image-create [OPTIONS]... ELEMENT...
Options (as diskimage-builder's disk-image-create):
  -a ARCH             target architecture (default: the host's)
  -o NAME             output base name (default: image)
  -t TYPE[,TYPE]      output types (default: qcow2): qcow2, raw, tar, tgz, squashfs, vhd, …
  -x                  trace element scripts (repeat for more)
  -u                  uncompressed qcow2
  -c                  clear the environment first
  -n                  no implicit 'base' element
  -p PKG[,PKG]        extra packages to install (repeatable)
  --checksum          write .md5 and .sha256 files
  --image-cache DIR   cache dir (default: $DIB_IMAGE_CACHE or ~/.cache/image-create)
  --no-tmpfs          build on disk, not tmpfs
  --offline           use only cached data
  --qemu-img-options  options for qemu-img (e.g. compat=0.10)
  --image-size N      fixed image size (GiB, or with K/M/G suffix)
  --image-extra-size N  extra space in GiB
  --mkfs-journal-size MB, --mkfs-options OPTS, --max-online-resize N, --root-label L, --min-tmpfs N
  --install-type source|package, --ramdisk-element E, --docker-target T
  --logfile FILE      write the full build log here
Kiln extensions:
  --tree-only         stop at the finished root tree, kept at NAME.tree/ (also KILN_TREE_ONLY=1)
  --timeout SECONDS   cancel the build after this long
  --help, --version
`;
