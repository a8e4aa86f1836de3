/** Where a phase's scripts run: on the host, or chrooted into the image tree. */
export type PhasePlacement = 'host' | 'chroot';

export interface PhaseSpec {
  name: string;
  placement: PhasePlacement;
  /** root.d and cleanup.d see TARGET_ROOT */
  targetRoot: boolean;
}

/**
 * DIB's phases in order with DIB's placement (dib-elements.md section 3).
 * `packages` (`-p`) is not a hooks directory; it runs between install and
 * post-install. block-device.d is legacy: run for compatibility, output ignored
 * (Kiln's assembly owns the block device).
 */
export const PHASES: readonly PhaseSpec[] = [
  { name: 'root', placement: 'host', targetRoot: true },
  { name: 'extra-data', placement: 'host', targetRoot: false },
  { name: 'pre-install', placement: 'chroot', targetRoot: false },
  { name: 'install', placement: 'chroot', targetRoot: false },
  { name: 'post-install', placement: 'chroot', targetRoot: false },
  { name: 'post-root', placement: 'host', targetRoot: false },
  { name: 'block-device', placement: 'host', targetRoot: false },
  { name: 'pre-finalise', placement: 'host', targetRoot: false },
  { name: 'finalise', placement: 'chroot', targetRoot: false },
  { name: 'cleanup', placement: 'host', targetRoot: true },
];

export function phase(name: string): PhaseSpec {
  const found = PHASES.find((p) => p.name === name);
  if (!found) throw new Error(`unknown phase ${name}`);
  return found;
}
