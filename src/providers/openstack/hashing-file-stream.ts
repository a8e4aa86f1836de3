/**
 * Reads a file for upload, computing its md5 on the way when no trusted md5
 * is known (DIB's `.md5` file), so the checksum Glance reports can be
 * compared with the bytes actually sent without a second pass over a
 * multi-GiB file. Hashing costs CPU the upload competes for, so it is
 * skipped when the md5 is given. Large reads keep per-chunk overhead low.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';

const READ_CHUNK = 4 * 1024 * 1024;

export interface HashingFileStream {
  /** a new stream over the file (one per transfer attempt) */
  open(): Readable;
  /** md5 hex of the file: the known one, or that of the bytes the last stream delivered (once it ended) */
  md5(): string | undefined;
}

export function hashingFileStream(filePath: string, knownMd5?: string): HashingFileStream {
  let digest: string | undefined;
  return {
    open(): Readable {
      if (knownMd5) return createReadStream(filePath, { highWaterMark: READ_CHUNK });
      digest = undefined;
      const hash: Hash = createHash('md5');
      const hasher = new Transform({
        highWaterMark: READ_CHUNK,
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
        flush(callback) {
          digest = hash.digest('hex');
          callback();
        },
      });
      const file = createReadStream(filePath, { highWaterMark: READ_CHUNK });
      file.on('error', (err) => hasher.destroy(err));
      return file.pipe(hasher);
    },
    md5: () => knownMd5?.toLowerCase() ?? digest,
  };
}
