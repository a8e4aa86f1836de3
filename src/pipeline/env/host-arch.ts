import { arch as nodeArch } from 'node:os';

/** DIB's ARCH: Debian names (amd64, arm64, armhf…). */
export function hostArch(): string {
  switch (nodeArch()) {
    case 'x64':
      return 'amd64';
    case 'arm64':
      return 'arm64';
    case 'arm':
      return 'armhf';
    case 'ppc64':
      return 'ppc64el';
    case 'ia32':
      return 'i386';
    default:
      return nodeArch();
  }
}
