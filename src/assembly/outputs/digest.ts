/** md5 + sha256 of one byte stream, updated chunk by chunk as the bytes go by. */
import { createHash, type Hash } from 'node:crypto';

export interface Digests {
  md5: string;
  sha256: string;
}

export class DigestPair {
  private readonly md5: Hash = createHash('md5');
  private readonly sha256: Hash = createHash('sha256');

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.sha256.update(chunk);
  }

  digest(): Digests {
    return { md5: this.md5.digest('hex'), sha256: this.sha256.digest('hex') };
  }
}
