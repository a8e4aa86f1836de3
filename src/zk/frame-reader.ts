/**
 * Splits a ZooKeeper connection's byte stream into frames (int32 length +
 * body), one frame per callback. A frame split over chunks is collected as a
 * list and joined once, when complete: joining on every chunk would copy a
 * large reply (a multiRead answer spans many chunks) over and over.
 */
export class FrameReader {
  private parts: Buffer[] = [];
  private buffered = 0;
  private needed = 4;

  /**
   * Calls `onFrame` per complete frame (length prefix included) until it
   * returns false (then the rest of the chunk is dropped). Returns false on a
   * negative frame length: the stream is garbage and must be dropped.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => boolean): boolean {
    let buffer = chunk;
    if (this.buffered > 0) {
      this.parts.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered < this.needed) return true;
      buffer = Buffer.concat(this.parts, this.buffered);
      this.clear();
    }
    let offset = 0;
    while (buffer.length - offset >= 4) {
      const length = buffer.readInt32BE(offset);
      if (length < 0) {
        this.clear();
        return false;
      }
      const end = offset + 4 + length;
      if (end > buffer.length) break;
      const frame = buffer.subarray(offset, end);
      offset = end;
      if (!onFrame(frame)) {
        this.clear();
        return true;
      }
    }
    if (offset < buffer.length) {
      const rest = buffer.subarray(offset);
      this.parts = [rest];
      this.buffered = rest.length;
      this.needed = rest.length >= 4 ? 4 + rest.readInt32BE(0) : 4;
    }
    return true;
  }

  private clear(): void {
    this.parts = [];
    this.buffered = 0;
    this.needed = 4;
  }
}
