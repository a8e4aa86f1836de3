/**
 * Kiln's `local` driver: a directory standing in for a cloud, so the embedded
 * default works end to end without one. An upload copies the image to
 * `<path>/<externalName>.<format>` (via a temporary name, so a failed or
 * cancelled copy leaves nothing) and writes the sidecar
 * `<path>/<externalName>.<format>.json` with the id, metadata and checksums.
 * Ids are uuids; delete goes by id (names can repeat); list reads sidecars.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { Provider } from '../config/types.js';
import { KilnError } from '../errors/kiln-error.js';
import type { CloudImage, ImageProvider, UploadedImage, UploadRequest } from './types.js';

const SIDECAR = '.json';

export interface LocalImageRecord {
  id: string;
  name: string;
  format: string;
  /** the image file's name inside the directory */
  file: string;
  properties: Record<string, string>;
  md5: string | null;
  sha256: string | null;
  created: string;
}

export class LocalProviderError extends KilnError {
  constructor(message: string, cause?: unknown) {
    super('KILN_LOCAL_PROVIDER_FAILED', message, { cause });
  }
}

export function createLocalProvider(provider: Provider): ImageProvider {
  const path = provider.raw['path'];
  if (typeof path !== 'string' || path === '') {
    throw new KilnError('KILN_LOCAL_PROVIDER_NO_PATH', `provider ${provider.name}: the local driver needs a path`, { permanent: true });
  }
  return new LocalProvider(provider.name, path);
}

export class LocalProvider implements ImageProvider {
  constructor(
    readonly name: string,
    readonly directory: string,
  ) {}

  async uploadImage(request: UploadRequest): Promise<UploadedImage> {
    const id = randomUUID();
    const file = `${request.imageName}.${request.format}`;
    const target = join(this.directory, file);
    const partial = join(this.directory, `.${id}.partial`);
    try {
      request.signal?.throwIfAborted();
      await mkdir(this.directory, { recursive: true });
      await copyFile(request.filePath, partial, constants.COPYFILE_FICLONE);
      request.signal?.throwIfAborted();
      await rename(partial, target);
      const record: LocalImageRecord = {
        id,
        name: request.imageName,
        format: request.format,
        file,
        properties: request.metadata,
        md5: request.md5 ?? null,
        sha256: request.sha256 ?? null,
        created: new Date().toISOString(),
      };
      await writeFile(`${target}${SIDECAR}`, `${JSON.stringify(record, null, 2)}\n`);
      return { externalId: id, externalName: request.imageName };
    } catch (err) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw new LocalProviderError(`provider ${this.name}: upload of ${request.filePath} to ${this.directory} failed: ${(err as Error).message}`, err);
    }
  }

  async deleteImage(externalId: string): Promise<void> {
    for (const { record, sidecar } of await this.records()) {
      if (record.id !== externalId) continue;
      await rm(join(this.directory, record.file), { force: true });
      await rm(sidecar, { force: true });
    }
  }

  async listImages(): Promise<CloudImage[]> {
    return (await this.records()).map(({ record }) => ({ id: record.id, name: record.name, properties: record.properties }));
  }

  async close(): Promise<void> {}

  private async records(): Promise<Array<{ record: LocalImageRecord; sidecar: string }>> {
    const names = await readdir(this.directory).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    const out: Array<{ record: LocalImageRecord; sidecar: string }> = [];
    for (const name of names.filter((n) => n.endsWith(SIDECAR))) {
      const sidecar = join(this.directory, name);
      try {
        const record = JSON.parse(await readFile(sidecar, 'utf8')) as LocalImageRecord;
        if (typeof record.id === 'string') out.push({ record, sidecar });
      } catch {
        // a foreign or half-written file is not an image record
      }
    }
    return out;
  }
}
