import type { BuildPlan } from '../build/build-plan.js';
import { isSecretName } from './secret-filter.js';

/** Paths of one running build (created by the worker). */
export interface BuildDirs {
  buildDir: string;
  imageDir: string;
  hooksDir: string;
  mountDir: string;
  libDir: string;
}

/**
 * The environment every element script sees (DIB section 7), on the host and,
 * minus TMPDIR/VIRTUAL_ENV and with a fixed PATH, in the chroot. The user's
 * environment passes through (DIB uses `sudo -E`), DIB's own values on top.
 */
export function buildEnvironment(plan: BuildPlan, dirs: BuildDirs): Record<string, string> {
  const o = plan.options;
  const names = plan.elements.map((e) => e.name);
  const env: Record<string, string> = { ...plan.baseEnv };
  const set = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) env[name] = String(value);
  };

  set('LC_ALL', 'C');
  set('PS4', '+ $(basename ${BASH_SOURCE[0]:-}):${LINENO}:${FUNCNAME[0]:-main}: ');
  set('ARCH', plan.arch);
  set('IMAGE_NAME', plan.outputBase);
  set('IMAGE_ELEMENT', names.join(' '));
  set('IMAGE_ELEMENT_YAML', plan.elements.map((e) => `${e.name}: ${e.path}`).join('\n'));
  set('BASH_FUNC_get_image_element_array%%', `() {  echo "${plan.elements.map((e) => `[${e.name}]=${e.path}`).join(' ')}"\n}`);
  set('BASH_FUNC_die%%', '() {  echo "ERROR: $*" 1>&2;\n exit 1\n}');
  set('ELEMENTS_PATH', plan.elementsPath.join(':'));
  set('TMP_DIR', plan.tmpDir);
  set('TMP_BUILD_DIR', dirs.buildDir);
  set('TMP_IMAGE_DIR', dirs.imageDir);
  set('TMP_HOOKS_PATH', dirs.hooksDir);
  set('TMP_MOUNT_PATH', dirs.mountDir);
  set('_LIB', dirs.libDir);
  set('DIB_PYTHON_EXEC', env.DIB_PYTHON_EXEC ?? '/usr/bin/python3');
  set('DIB_IMAGE_CACHE', plan.imageCache);
  set('DIB_LOCKFILES', plan.lockfiles);
  set('DIB_OFFLINE', o.offline ? '1' : (env.DIB_OFFLINE ?? ''));
  set('DIB_DEBUG_TRACE', o.debugTrace);
  set('DIB_CHECKSUM', o.checksum ? '1' : (env.DIB_CHECKSUM ?? '0'));
  set('DIB_NO_TMPFS', o.noTmpfs ? '1' : (env.DIB_NO_TMPFS ?? '0'));
  set('DIB_MIN_TMPFS', o.minTmpfs ?? env.DIB_MIN_TMPFS ?? 2);
  set('DIB_IMAGE_SIZE', o.imageSize ?? env.DIB_IMAGE_SIZE);
  set('DIB_IMAGE_EXTRA_SIZE', o.imageExtraSize ?? env.DIB_IMAGE_EXTRA_SIZE);
  set('DIB_JOURNAL_SIZE', o.mkfsJournalSize ?? env.DIB_JOURNAL_SIZE);
  set('DIB_DEFAULT_INSTALLTYPE', o.installType ?? env.DIB_DEFAULT_INSTALLTYPE ?? 'source');
  set('DIB_ROOT_LABEL', o.rootLabel ?? env.DIB_ROOT_LABEL ?? (env.FS_TYPE === 'xfs' ? 'img-rootfs' : 'cloudimg-rootfs'));
  set('FS_TYPE', env.FS_TYPE ?? 'ext4');
  set('DIB_ROOT_FSTYPE', env.FS_TYPE ?? 'ext4');
  set('IMAGE_TYPE', o.imageTypes[0]);
  set('DIB_IMAGE_TYPES', o.imageTypes.join(','));
  set('DIB_ARGS', o.argv.join(' '));
  set('DIB_ENV', dibEnvDeclarations(plan.baseEnv));
  set('KILN_NODE', process.execPath);
  if (o.mkfsOptions !== undefined) set('MKFS_OPTS', o.mkfsOptions);
  // scripts run as root with root's home, like `sudo -E` gives them
  set('HOME', env.HOME ?? '/root');
  return env;
}

/** The chroot's view: DIB's `env -u TMPDIR -u VIRTUAL_ENV PATH=…` with root's HOME. */
export function chrootEnvironment(env: Record<string, string>): Record<string, string> {
  const inside: Record<string, string> = { ...env };
  delete inside.TMPDIR;
  delete inside.VIRTUAL_ENV;
  inside.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  inside.HOME = '/root';
  return inside;
}

/** DIB's DIB_ENV: a `declare -p` style listing of the initial DIB_* variables (secrets elided). */
export function dibEnvDeclarations(env: Record<string, string>): string {
  return Object.keys(env)
    .filter((name) => name.startsWith('DIB_'))
    .sort()
    .map((name) => `declare -x ${name}=${shellQuote(isSecretName(name) ? '***' : (env[name] ?? ''))}`)
    .join('\n');
}

export function shellQuote(value: string): string {
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}
