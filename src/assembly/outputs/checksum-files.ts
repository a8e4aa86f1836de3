/**
 * `.md5` / `.sha256` as DIB writes them (`md5sum FILE > FILE.md5`): the hash,
 * two spaces, the file name as given to `-o` plus the extension, newline.
 * Nodepool reads only the first 32 / 64 characters.
 */
export function checksumLine(hash: string, displayName: string): string {
  return `${hash}  ${displayName}\n`;
}
