/** DIB_CHECKSUM and which formats get checksum files, as DIB decides them. */
import { checksumKinds, checksummedFormat } from '../../src/assembly/outputs/checksum-kinds.js';

describe('checksumKinds (DIB_CHECKSUM)', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['0', []],
    ['1', ['md5', 'sha256']],
    ['md5', ['md5']],
    ['sha256', ['sha256']],
    ['sha256,md5', ['md5', 'sha256']],
    [' md5 , sha256 ', ['md5', 'sha256']],
  ])('%p → %p', (value, kinds) => {
    expect(checksumKinds(value)).toEqual(kinds);
  });

  it.each(['yes', 'true', '2', 'md5,sha1', 'crc32'])('refuses %p with a message naming the variable and the allowed values', (value) => {
    expect(() => checksumKinds(value)).toThrow(expect.objectContaining({
      code: 'KILN_ASSEMBLY_BAD_OPTION',
      message: `DIB_CHECKSUM must be 0, 1 or a comma list of md5 and sha256, got "${value}"`,
    }));
  });
});

describe('checksummedFormat', () => {
  it('follows finish_image: raw, qemu-img formats and tgz yes; tar, docker and squashfs no', () => {
    for (const f of ['raw', 'qcow2', 'vhd', 'vmdk', 'tgz']) expect(checksummedFormat(f)).toBe(true);
    for (const f of ['tar', 'docker', 'squashfs']) expect(checksummedFormat(f)).toBe(false);
  });
});
