/**
 * The image listings of `nodepool/status.py`, computed from one tree snapshot:
 * the same columns, order and JSON shapes as the CLI and the launcher's webapp
 * (`/dib-image-list`, `/image-list`, `/image-status`). `age` values stay raw
 * integer epochs here; formatting happens only for the text table.
 */
import type { ImageTreeSnapshot } from '../model/types.js';

export interface Listing<T> {
  /** [json key, column header], in column order */
  headers: Array<[keyof T & string, string]>;
  rows: T[];
}

export interface DibImageRow {
  id: string;
  image: string;
  builder: string | null;
  formats: string[];
  state: string | null;
  age: number;
}

export interface ImageUploadRow {
  id: string;
  upload_id: string;
  provider: string;
  image: string;
  external_name: string | null;
  external_id: string | null;
  state: string | null;
  age: number;
}

export interface ImageStatusRow {
  image: string;
  paused: boolean;
  build_request: 'pending' | 'building' | null;
  build_request_age: number | null;
  /** Kiln extension (JSON only; the table keeps upstream's columns): failed builds in a row and when automatic builds resume */
  backoff?: { failures: number; until: number } | null;
}

/** Kiln's per-image facts beside upstream's (the builder's backoff after failures). */
export interface ImageStatusExtras {
  backoff: Map<string, { failures: number; until: number }>;
}

export function dibImageList(tree: ImageTreeSnapshot): Listing<DibImageRow> {
  const rows: DibImageRow[] = [];
  for (const image of tree.images) {
    for (const { build } of image.builds) {
      rows.push({
        id: `${image.name}-${build.id}`,
        image: image.name,
        builder: build.builder,
        formats: build.formats,
        // every build of a ZooKeeper-paused image shows as paused (upstream)
        state: image.paused ? 'paused' : build.state,
        age: Math.trunc(build.stateTime ?? 0),
      });
    }
  }
  return {
    headers: [
      ['id', 'ID'],
      ['image', 'Image'],
      ['builder', 'Builder'],
      ['formats', 'Formats'],
      ['state', 'State'],
      ['age', 'Age'],
    ],
    rows,
  };
}

export function imageList(tree: ImageTreeSnapshot): Listing<ImageUploadRow> {
  const rows: ImageUploadRow[] = [];
  for (const image of tree.images) {
    for (const { build, uploads } of image.builds) {
      for (const [provider, list] of uploads) {
        for (const upload of list) {
          rows.push({
            id: build.id,
            upload_id: upload.id,
            provider,
            image: image.name,
            external_name: upload.externalName,
            external_id: upload.externalId,
            state: upload.state,
            age: Math.trunc(upload.stateTime ?? 0),
          });
        }
      }
    }
  }
  return {
    headers: [
      ['id', 'Build ID'],
      ['upload_id', 'Upload ID'],
      ['provider', 'Provider'],
      ['image', 'Image'],
      ['external_name', 'Provider Image Name'],
      ['external_id', 'Provider Image ID'],
      ['state', 'State'],
      ['age', 'Age'],
    ],
    rows,
  };
}

export function imageStatus(tree: ImageTreeSnapshot, extras?: ImageStatusExtras): Listing<ImageStatusRow> {
  const rows = tree.images.map((image): ImageStatusRow => {
    const request = image.buildRequest;
    const row: ImageStatusRow = {
      image: image.name,
      paused: image.paused,
      build_request: request ? (request.pending ? 'pending' : 'building') : null,
      build_request_age: request ? Math.trunc(request.stateTime) : null,
    };
    if (extras) row.backoff = extras.backoff.get(image.name) ?? null;
    return row;
  });
  return {
    headers: [
      ['image', 'Image'],
      ['paused', 'Paused'],
      ['build_request', 'Build Request'],
      ['build_request_age', 'Build Request Age'],
    ],
    rows,
  };
}
