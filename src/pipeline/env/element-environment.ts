import { execa } from 'execa';

/**
 * The build environment as element scripts see it: the base environment
 * plus every environment.d file of the merged hooks tree, sourced in
 * dib-run-parts order. Disk assembly runs in TypeScript, not in a phase, so
 * it gets this view (DIB_BLOCK_DEVICE, DIB_BOOTLOADER_DEFAULT_CMDLINE… come
 * from elements' environment.d).
 */
export async function elementEnvironment(hooksDir: string, env: Record<string, string>): Promise<Record<string, string>> {
  const script = [
    'd="$1/environment.d"',
    'if [ -d "$d" ]; then',
    '  for f in $(cd "$d" && ls | grep -E "^[0-9A-Za-z_.-]+$" | LC_ALL=C sort -n); do',
    '    [ -f "$d/$f" ] && source "$d/$f"',
    '  done',
    'fi',
    'env -0',
  ].join('\n');
  const result = await execa('bash', ['-c', script, 'element-environment', hooksDir], { env, extendEnv: false, encoding: 'utf8' });
  const out: Record<string, string> = {};
  for (const entry of result.stdout.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}
