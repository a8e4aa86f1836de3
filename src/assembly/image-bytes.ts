/**
 * Bytes put into (or read from) an image file at given offsets, in place:
 * partition tables, boot code, swap headers. The file is opened once and
 * always closed.
 */
import { open } from 'node:fs/promises';

export interface ByteWrite {
  offset: number;
  bytes: Uint8Array;
}

export async function writeAt(path: string, writes: readonly ByteWrite[]): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    for (const w of writes) await fh.write(w.bytes, 0, w.bytes.length, w.offset);
  } finally {
    await fh.close();
  }
}

export async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
