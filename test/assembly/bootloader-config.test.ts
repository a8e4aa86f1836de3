import { renderGrubConfig, renderEarlyConfig, kernelCmdline } from '../../src/assembly/bootloader/grub-config.js';
import { pickKernel } from '../../src/assembly/bootloader/find-kernel.js';
import { qemuFormatArgs } from '../../src/assembly/outputs/qemu-output.js';
import { checksumLine } from '../../src/assembly/outputs/checksum-files.js';
import { extensionOf, producerOf } from '../../src/assembly/outputs/formats.js';
import { parseBootTestArgs } from '../../src/cli/commands/boot-test.js';
import { qemuArgs } from '../../src/assembly/boot-test.js';
import { uefiFirmware } from '../../src/assembly/uefi-firmware.js';

describe('GRUB configuration', () => {
  const kernel = { version: '6.1.0-10-amd64', kernel: 'vmlinuz-6.1.0-10-amd64', initrd: 'initrd.img-6.1.0-10-amd64' };

  it('picks the newest kernel and its initrd', () => {
    expect(pickKernel(['vmlinuz-6.1.0-9-amd64', 'vmlinuz-6.1.0-10-amd64', 'initrd.img-6.1.0-10-amd64', 'config-6.1.0-10-amd64'])).toEqual(kernel);
    expect(pickKernel(['grub'])).toBeUndefined();
  });

  it('has the serial console, root by label and DIB’s default command line', () => {
    const cfg = renderGrubConfig({ kernel, bootPath: '/boot', bootLabel: 'cloudimg-rootfs', rootLabel: 'cloudimg-rootfs', env: {} });
    expect(cfg).toContain('serial --unit=0 --speed=115200');
    expect(cfg).toContain('terminal_input serial console\nterminal_output serial console');
    expect(cfg).toContain('search --no-floppy --label --set=root cloudimg-rootfs');
    expect(cfg).toContain('set timeout=5');
    expect(cfg).toContain(
      '  linux /boot/vmlinuz-6.1.0-10-amd64 root=LABEL=cloudimg-rootfs ro console=tty0 console=ttyS0,115200 no_timer_check nofb nomodeset gfxpayload=text',
    );
    expect(cfg).toContain('  initrd /boot/initrd.img-6.1.0-10-amd64');
  });

  it('honours DIB_BOOTLOADER_DEFAULT_CMDLINE, DIB_GRUB_TIMEOUT and DIB_BOOTLOADER_USE_SERIAL_CONSOLE', () => {
    expect(kernelCmdline('r', { DIB_BOOTLOADER_DEFAULT_CMDLINE: 'quiet' })).toBe('root=LABEL=r ro console=tty0 console=ttyS0,115200 no_timer_check quiet');
    const cfg = renderGrubConfig({ kernel, bootPath: '', bootLabel: 'boot', rootLabel: 'r', env: { DIB_GRUB_TIMEOUT: '1', DIB_BOOTLOADER_USE_SERIAL_CONSOLE: 'False' } });
    expect(cfg).toContain('set timeout=1');
    expect(cfg).not.toContain('serial --unit');
    expect(cfg).toContain('linux /vmlinuz-6.1.0-10-amd64');
    expect(renderEarlyConfig('boot', '')).toBe('search --no-floppy --label --set=root boot\nset prefix=($root)/grub\n');
  });
});

describe('output formats', () => {
  it('builds qemu-img arguments (compression, compat, vhd size)', () => {
    expect(qemuFormatArgs('qcow2', {}, 'compat=0.10')).toEqual(['-c', '-O', 'qcow2', '-o', 'compat=0.10']);
    expect(qemuFormatArgs('qcow2', { KILN_QCOW2_COMPRESSION: 'none' })).toEqual(['-O', 'qcow2']);
    expect(qemuFormatArgs('qcow2', { KILN_QCOW2_COMPRESSION: 'zstd' }, 'compat=1.1')).toEqual(['-c', '-O', 'qcow2', '-o', 'compat=1.1,compression_type=zstd']);
    expect(() => qemuFormatArgs('qcow2', { KILN_QCOW2_COMPRESSION: 'zstd' }, 'compat=0.10')).toThrow(/compat=1.1/);
    expect(qemuFormatArgs('vhd', {})).toEqual(['-O', 'vpc', '-o', 'subformat=dynamic,force_size=on']);
    expect(qemuFormatArgs('vhd', { KILN_VHD_SUBFORMAT: 'fixed' })).toEqual(['-O', 'vpc', '-o', 'subformat=fixed,force_size=on']);
    expect(qemuFormatArgs('vmdk', {})).toEqual(['-O', 'vmdk']);
  });

  it('names files and checksum lines like DIB', () => {
    expect(extensionOf('squashfs')).toBe('squash');
    expect(producerOf('docker')).toBe('tar');
    expect(() => producerOf('../x')).toThrow(/unknown output format/);
    expect(checksumLine('abc', '/images/x-1.qcow2')).toBe('abc  /images/x-1.qcow2\n');
  });
});

describe('kiln boot-test arguments', () => {
  it('parses options in both spellings', () => {
    const o = parseBootTestArgs(['img.qcow2', '--timeout', '30', '--expect=ready$', '--format', 'qcow2']);
    expect(o).toMatchObject({ image: 'img.qcow2', timeoutSeconds: 30, format: 'qcow2' });
    expect(o.expect?.source).toBe('ready$');
  });
  it('rejects bad usage', () => {
    expect(() => parseBootTestArgs([])).toThrow(/IMAGE/);
    expect(() => parseBootTestArgs(['a', '--timeout', '-1'])).toThrow(/positive/);
    expect(() => parseBootTestArgs(['a', '--bogus'])).toThrow(/unknown option/);
    expect(() => parseBootTestArgs(['a', '--firmware', 'coreboot'])).toThrow('--firmware must be bios or uefi, got coreboot');
  });
  it('always runs TCG with a snapshot and the serial console on stdio', () => {
    const args = qemuArgs('d.raw', 'raw', 1024).join(' ');
    expect(args).toContain('-accel tcg');
    expect(args).toContain('-snapshot');
    expect(args).toContain('-serial stdio');
    expect(args).not.toContain('-bios');
  });
  it('finds OVMF, or says what to install', () => {
    expect(() => uefiFirmware({ KILN_OVMF_FIRMWARE: '/nonexistent/OVMF.fd' })).toThrow(expect.objectContaining({
      code: 'KILN_BOOT_TEST_NO_FIRMWARE',
      message: 'KILN_OVMF_FIRMWARE names /nonexistent/OVMF.fd, which does not exist',
    }));
    expect(uefiFirmware({})).toMatch(/OVMF\.fd$/); // the ovmf package is installed by deploy/setup-host.sh
  });
  it('boots UEFI images through the OVMF file given', () => {
    expect(parseBootTestArgs(['efi.raw', '--firmware=uefi']).firmware).toBe('uefi');
    expect(qemuArgs('d.raw', 'raw', 1024, '/usr/share/ovmf/OVMF.fd').join(' ')).toContain('-bios /usr/share/ovmf/OVMF.fd');
  });
  it('attaches 4 KiB-sector images as a virtio disk with 4096-byte sectors', () => {
    expect(parseBootTestArgs(['efi.raw', '--block-size', '4096']).blockSize).toBe(4096);
    expect(() => parseBootTestArgs(['efi.raw', '--block-size', '1024'])).toThrow('--block-size must be 512 or 4096, got 1024');
    const args = qemuArgs('d.raw', 'raw', 1024, undefined, 4096).join(' ');
    expect(args).toContain('-drive file=d.raw,format=raw,if=none,id=disk0 -device virtio-blk-pci,drive=disk0,logical_block_size=4096,physical_block_size=4096');
  });
});
