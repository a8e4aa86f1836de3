/**
 * The Image API v2 calls the uploader uses (glance-api.md §3, §4), each
 * mapped to typed results and errors. Which calls may be repeated decides
 * `retry`: reads and deletes are safe; creating an image is not (a lost
 * answer would leave a twin), and a data upload needs a fresh image.
 */
import type { Readable } from 'node:stream';
import type { ImageApi } from './image-api.js';
import { isOpenStackError, OpenStackError } from './openstack-error.js';

export interface GlanceImage {
  id: string;
  name: string;
  status: string;
  size?: number | null;
  checksum?: string | null;
  os_hash_algo?: string | null;
  os_hash_value?: string | null;
  [property: string]: unknown;
}

export interface DataUpload {
  /** `file` = classic PUT …/file; `stage` = glance-direct's PUT …/stage */
  target: 'file' | 'stage';
  stream: () => Readable;
  size: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Glance's core image fields; everything else in an image document is a property. */
const CORE_FIELDS = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'os_hidden', 'checksum', 'os_hash_algo', 'os_hash_value', 'owner',
  'size', 'virtual_size', 'min_ram', 'min_disk', 'container_format', 'disk_format', 'created_at', 'updated_at', 'tags',
  'self', 'file', 'schema', 'direct_url', 'locations', 'stores',
]);

export class GlanceImages {
  constructor(private readonly api: ImageApi) {}

  async create(body: Record<string, unknown>, signal?: AbortSignal): Promise<{ image: GlanceImage; importMethods: string[] }> {
    const res = await this.api.call({ method: 'POST', path: '/images', json: body, expect: [201], retry: false, ...(signal ? { signal } : {}) });
    const header = res.headers['openstack-image-import-methods'];
    return { image: parseImage(res.text), importMethods: typeof header === 'string' ? splitList(header) : [] };
  }

  async upload(id: string, data: DataUpload): Promise<void> {
    await this.api.call({
      method: 'PUT',
      path: `/images/${encodeURIComponent(id)}/${data.target}`,
      stream: data.stream,
      headers: { 'content-length': String(data.size) },
      expect: [204],
      retry: false,
      timeoutMs: data.timeoutMs,
      ...(data.signal ? { signal: data.signal } : {}),
    });
  }

  async import(id: string, method: string, signal?: AbortSignal): Promise<void> {
    await this.api.call({
      method: 'POST',
      path: `/images/${encodeURIComponent(id)}/import`,
      json: { method: { name: method } },
      expect: [202],
      retry: false,
      ...(signal ? { signal } : {}),
    });
  }

  /** null when the image does not exist (any more) */
  async get(id: string, signal?: AbortSignal): Promise<GlanceImage | null> {
    const res = await this.api.call({ method: 'GET', path: `/images/${encodeURIComponent(id)}`, expect: [200, 404], retry: true, ...(signal ? { signal } : {}) });
    return res.status === 404 ? null : parseImage(res.text);
  }

  /** Deleting an image that is already gone succeeds. */
  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.api.call({ method: 'DELETE', path: `/images/${encodeURIComponent(id)}`, expect: [204, 404], retry: true, ...(signal ? { signal } : {}) });
  }

  /** Every page of `GET /v2/images` with the given filters. */
  async list(filters: Record<string, string> = {}, signal?: AbortSignal): Promise<GlanceImage[]> {
    const images: GlanceImage[] = [];
    let marker: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ ...filters, limit: '200', ...(marker ? { marker } : {}) });
      const res = await this.api.call({ method: 'GET', path: `/images?${query}`, expect: [200], retry: true, ...(signal ? { signal } : {}) });
      const page = JSON.parse(res.text) as { images?: GlanceImage[]; next?: string };
      images.push(...(page.images ?? []));
      // follow `next` by its marker only: Glance builds the link from its own root, which a path prefix or proxy breaks
      const next = page.next ? new URL(page.next, 'http://glance.invalid').searchParams.get('marker') : null;
      if (!next || next === marker || (page.images ?? []).length === 0) return images;
      marker = next;
    }
  }

  /** Import methods the cloud enables (`GET /v2/info/import`); [] when the API predates import. */
  async importMethods(signal?: AbortSignal): Promise<string[]> {
    try {
      const res = await this.api.call({ method: 'GET', path: '/info/import', expect: [200], retry: true, ...(signal ? { signal } : {}) });
      const value = (JSON.parse(res.text) as { 'import-methods'?: { value?: unknown } })['import-methods']?.value;
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch (err) {
      if (isOpenStackError(err, 'KILN_OPENSTACK_HTTP') && err.status === 404) return [];
      throw err;
    }
  }
}

/** The custom properties of an image, as strings. */
export function imageProperties(image: GlanceImage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(image)) {
    if (CORE_FIELDS.has(key) || value === null || value === undefined) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

function parseImage(text: string): GlanceImage {
  let image: unknown;
  try {
    image = JSON.parse(text);
  } catch {
    image = undefined;
  }
  if (typeof image !== 'object' || image === null || typeof (image as GlanceImage).id !== 'string') {
    throw new OpenStackError('KILN_OPENSTACK_HTTP', `the image service answered with something that is not an image: ${text.slice(0, 200)}`);
  }
  return image as GlanceImage;
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
