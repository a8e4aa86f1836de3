/**
 * Partition type spellings of the block-device YAML. YAML reads `0xEF00` as a
 * number and `'EF00'` as a string; both are accepted, as in DIB.
 */
import { AssemblyError } from '../assembly-error.js';

const GPT: Record<string, string> = {
  EF00: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', // EFI system partition
  EF02: '21686148-6449-6E6F-744E-656564454649', // BIOS boot (GRUB core.img)
  '8300': '0FC63DAF-8483-4772-8E79-3D69E4C0BA4A', // Linux filesystem
  '8200': '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F', // Linux swap
  '8E00': 'E6D6D379-F507-44C2-A23C-238F2A3DF928', // Linux LVM
};

export const GPT_ESP = GPT.EF00 as string;
export const GPT_BIOS_BOOT = GPT.EF02 as string;

export function gptTypeGuid(type: unknown, what: string): string {
  if (type === undefined) return GPT['8300'] as string;
  const code = hexCode(type).padStart(4, '0');
  const guid = GPT[code];
  if (!guid) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: unknown GPT type ${String(type)} (known: ${Object.keys(GPT).join(', ')})`);
  return guid;
}

export function mbrTypeByte(type: unknown, what: string): string {
  if (type === undefined) return '83';
  const code = hexCode(type);
  if (!/^[0-9A-F]{1,2}$/.test(code)) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: MBR type must be one byte, got ${String(type)}`);
  return code.toLowerCase();
}

function hexCode(type: unknown): string {
  if (typeof type === 'number') return type.toString(16).toUpperCase();
  return String(type).trim().replace(/^0x/i, '').toUpperCase();
}
