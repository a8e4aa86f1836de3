/** What build and upload workers share with the daemon. */
import type { Logger } from 'pino';
import type { NodepoolConfig } from '../config/types.js';
import type { ImageStore } from '../model/image-store.js';
import type { ImageProvider } from '../providers/types.js';
import type { BackoffPolicy } from './backoff.js';
import type { BuilderEvents } from './builder-events.js';

export interface WorkerContext {
  store: ImageStore;
  /** the current config (changes on reload) */
  config(): NodepoolConfig;
  builderId: string;
  /** written as `builder` into build records */
  hostname: string;
  imagesDir: string;
  labels: readonly string[];
  logger: Logger;
  events: BuilderEvents;
  backoff: BackoffPolicy;
  /** the ImageProvider of a configured provider, or null when its driver is not available */
  provider(name: string): ImageProvider | null;
}
