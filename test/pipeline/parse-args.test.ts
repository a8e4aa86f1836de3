import { parseArgs } from '../../src/pipeline/options/parse-args.js';
import { isKilnError } from '../../src/errors/kiln-error.js';

describe('disk-image-create argument parsing', () => {
  it('accepts the way nodepool-builder invokes DIB', () => {
    const o = parseArgs(['-x', '-t', 'qcow2,raw', '--checksum', '--no-tmpfs', '--qemu-img-options', 'compat=0.10', '-o', '/opt/images/debian-0001', 'debian-minimal', 'vm']);
    expect(o.debugTrace).toBe(1);
    expect(o.imageTypes).toEqual(['qcow2', 'raw']);
    expect(o.checksum).toBe(true);
    expect(o.noTmpfs).toBe(true);
    expect(o.qemuImgOptions).toBe('compat=0.10');
    expect(o.imageName).toBe('/opt/images/debian-0001');
    expect(o.elements).toEqual(['debian-minimal', 'vm']);
  });

  it('handles getopt short clusters, attached values and options after elements', () => {
    const o = parseArgs(['-xxnt', 'tar', 'fake-os', '-ofoo', '-p', 'a,b', '-p', 'c', '--logfile=/tmp/l', '--', '-weird-element']);
    expect(o.debugTrace).toBe(2);
    expect(o.skipBase).toBe(true);
    expect(o.imageTypes).toEqual(['tar']);
    expect(o.imageName).toBe('foo');
    expect(o.packages).toEqual(['a', 'b', 'c']);
    expect(o.logfile).toBe('/tmp/l');
    expect(o.elements).toEqual(['fake-os', '-weird-element']);
  });

  it('strips the type extension from -o when one type is given, and defaults to qcow2', () => {
    expect(parseArgs(['-o', 'img.qcow2', 'x']).imageName).toBe('img');
    expect(parseArgs(['-t', 'raw', '-o', 'img.raw', 'x']).imageName).toBe('img');
    expect(parseArgs(['-t', 'raw,tar', '-o', 'img.raw', 'x']).imageName).toBe('img.raw');
    expect(parseArgs(['x']).imageTypes).toEqual(['qcow2']);
  });

  it('makes --image-extra-size and --mkfs-journal-size work (DIB getopt forgot them)', () => {
    const o = parseArgs(['--image-extra-size', '1', '--mkfs-journal-size=128', '--image-size', '3G', 'x']);
    expect(o.imageExtraSize).toBe(1);
    expect(o.mkfsJournalSize).toBe(128);
    expect(o.imageSize).toBe('3G');
  });

  it.each([
    [['--bogus', 'x'], /unknown option --bogus/],
    [['-Q', 'x'], /unknown option -Q/],
    [['-o'], /-o requires a value/],
    [['--image-size', 'big', 'x'], /--image-size needs a size/],
    [['--install-type', 'binary', 'x'], /must be one of source, package/],
    [['--checksum=yes', 'x'], /takes no value/],
    [[], /no elements given/],
  ])('rejects %j clearly', (argv, message) => {
    let caught: unknown;
    try {
      parseArgs(argv as string[]);
    } catch (err) {
      caught = err;
    }
    expect(isKilnError(caught, 'KILN_PIPELINE_USAGE')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('takes the default type from IMAGE_TYPE and --tree-only from KILN_TREE_ONLY', () => {
    const o = parseArgs(['x'], { IMAGE_TYPE: 'raw', KILN_TREE_ONLY: '1' });
    expect(o.imageTypes).toEqual(['raw']);
    expect(o.treeOnly).toBe(true);
  });
});
