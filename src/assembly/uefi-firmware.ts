/**
 * The UEFI firmware QEMU boots an EFI image with: OVMF from Debian's `ovmf`
 * package (one combined code+vars file, passed with `-bios`; variables are
 * not kept between boots, and OVMF then boots the removable-media path
 * \EFI\BOOT\BOOTX64.EFI that Kiln's bootloader writes). KILN_OVMF_FIRMWARE
 * names another file.
 */
import { existsSync } from 'node:fs';
import { KilnError } from '../errors/kiln-error.js';

export type Firmware = 'bios' | 'uefi';

export const FIRMWARES: readonly Firmware[] = ['bios', 'uefi'];

const CANDIDATES = ['/usr/share/ovmf/OVMF.fd', '/usr/share/qemu/OVMF.fd', '/usr/share/OVMF/OVMF.fd'];

export class FirmwareNotFoundError extends KilnError {
  constructor(message: string) {
    super('KILN_BOOT_TEST_NO_FIRMWARE', message, { permanent: true });
  }
}

export function uefiFirmware(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.KILN_OVMF_FIRMWARE;
  if (chosen) {
    if (!existsSync(chosen)) throw new FirmwareNotFoundError(`KILN_OVMF_FIRMWARE names ${chosen}, which does not exist`);
    return chosen;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new FirmwareNotFoundError(`no UEFI firmware for QEMU (looked for ${CANDIDATES.join(', ')}): install the ovmf package or set KILN_OVMF_FIRMWARE`);
  return found;
}
