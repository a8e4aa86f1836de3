/**
 * DIB's MBR layout with primary and logical partitions, written natively and
 * read back by sfdisk (which follows the EBR chain), plus its errors.
 */
import { execa } from 'execa';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planMbrPartitions } from '../../src/assembly/block-device/mbr-layout.js';
import { encodeMbr, writeMbr } from '../../src/assembly/block-device/mbr-table.js';

const MIB = 1024 * 1024;

interface SfdiskPartition { node: string; start: number; size: number; type: string; bootable?: boolean }

describe('MBR with logical partitions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-mbr-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const layout = [
    { name: 'boot', size: '64MiB', flags: ['boot', 'primary'] },
    { name: 'swap', size: '32MiB', flags: ['primary'], type: '0x82' },
    { name: 'root', size: '50%' },
    { name: 'var', size: '60MiB' },
    { name: 'tmp', size: '16MiB' },
    { name: 'home', size: '100%' },
  ];

  it('numbers primaries 1-2, the extended container 3, logicals 5-8, and sfdisk reads the same chain', async () => {
    const size = 512 * MIB;
    const planned = planMbrPartitions(layout, size, MIB);
    expect(planned.partitions.map((p) => [p.name, p.index])).toEqual([['boot', 1], ['swap', 2], ['root', 5], ['var', 6], ['tmp', 7], ['home', 8]]);
    expect(planned.extended).toMatchObject({ index: 3, startSector: (97 * MIB) / 512 });
    const image = join(dir, 'six.raw');
    await writeFile(image, '');
    await truncate(image, size);
    await writeMbr(image, planned, 0x1234abcd);
    const { partitiontable } = JSON.parse((await execa('sfdisk', ['--json', image])).stdout) as { partitiontable: { label: string; id: string; partitions: SfdiskPartition[] } };
    expect(partitiontable.label).toBe('dos');
    expect(partitiontable.id).toBe('0x1234abcd');
    const byNumber = Object.fromEntries(partitiontable.partitions.map((p) => [Number(/(\d+)$/.exec(p.node)?.[1]), p]));
    expect(byNumber[3]).toMatchObject({ start: planned.extended?.startSector, size: planned.extended?.sizeSectors, type: 'f' });
    for (const p of planned.partitions) {
      expect(byNumber[p.index]).toMatchObject({ start: p.startSector, size: p.sizeSectors, type: p.type });
    }
    expect(byNumber[1]?.bootable).toBe(true);
    expect(byNumber[5]?.bootable).toBeUndefined();
    await execa('sfdisk', ['--verify', image]);
  });

  it('follows DIB’s sizes: percentages of the space left minus one alignment unit, lengths not rounded', () => {
    const planned = planMbrPartitions(layout, 512 * MIB, MIB);
    const root = planned.partitions.find((p) => p.name === 'root');
    // boot 1-65 MiB, swap 65-97 MiB: the EBR at 97 MiB, data at 98 MiB, free = 512 − 97 − 1 = 414 MiB, half of it
    expect(root).toMatchObject({ ebrSector: (97 * MIB) / 512, startSector: (98 * MIB) / 512, sizeSectors: (207 * MIB) / 512 });
  });

  it('encodes CHS with the cylinder’s high bits where the format puts them (DIB’s packing is a bug)', () => {
    const [mbr] = encodeMbr({ partitions: [{ name: 'r', index: 1, startSector: 2048, sizeSectors: 100_000, type: '83', bootable: true }] }, 1);
    const entry = mbr?.bytes.subarray(446, 462) as Buffer;
    // boot flag; LBA 2048 = cylinder 0, head 32, sector 33; type
    expect([...entry.subarray(0, 5)]).toEqual([0x80, 32, 33, 0, 0x83]);
    // end LBA 102048 = cylinder 6, head 95, sector 52 (cylinder bits 8-9 are 0 here)
    expect([...entry.subarray(5, 8)]).toEqual([95, 52, 6]);
    // cylinder 1000 = 0b11_1110_1000: bits 8-9 go to the sector byte’s top bits
    const [far] = encodeMbr({ partitions: [{ name: 'f', index: 1, startSector: 1000 * 254 * 63, sizeSectors: 2048, type: '83', bootable: false }] }, 1);
    expect([...(far?.bytes.subarray(447, 450) as Buffer)]).toEqual([0, 1 | (3 << 6), 1000 & 0xff]);
    expect(mbr?.bytes.readUInt16LE(510)).toBe(0xaa55);
  });

  it('refuses what DIB refuses, with its words', () => {
    expect(() => planMbrPartitions([{ name: 'a', size: '10MiB' }, { name: 'b', size: '10MiB', flags: ['primary'] }], 64 * MIB, MIB)).toThrow('partition b: All primary partitions must be given first');
    expect(() => planMbrPartitions([{ name: 'a', size: '10MiB', flags: ['bootable'] }], 64 * MIB, MIB)).toThrow('Unknown flag [bootable] in partitioning for [a]');
    const five = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, size: '1MiB', flags: ['primary'] }));
    expect(() => planMbrPartitions(five, 64 * MIB, MIB)).toThrow('partition e: an MBR holds at most 4 primary partitions');
    expect(() => planMbrPartitions([{ name: 'big', size: '80MiB' }], 64 * MIB, MIB)).toThrow(/smaller than the block device configuration \(partition big does not fit/);
  });
});
