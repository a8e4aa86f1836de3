/**
 * ImageProvider for `driver: openstack`: Keystone v3 + Glance v2 for one
 * provider of nodepool.yaml. The cloud (clouds.yaml + secure.yaml) is
 * resolved on first use, so a broken clouds.yaml fails that provider's
 * uploads with a clear error instead of the daemon's start.
 *
 * Provider keys read besides upstream's: `upload-method` (Kiln extension):
 * `put` (default; what openstacksdk does for nodepool: PUT …/file) or
 * `glance-direct` (interoperable import: stage, then import).
 */
import type { Provider } from '../../config/types.js';
import type { CloudImage, ImageProvider, UploadedImage, UploadRequest } from '../types.js';
import type { CloudConfig } from './cloud-config.js';
import { readCloudsFiles } from './clouds-files.js';
import { noFormatProbe, qemuImgProbe } from './format-probe.js';
import { GlanceImages, imageProperties } from './glance-images.js';
import { HttpTransport } from './http-transport.js';
import { ImageApi } from './image-api.js';
import { KeystoneSession } from './keystone-session.js';
import { OpenStackError } from './openstack-error.js';
import { silentOpenStackLogger, type OpenStackLogger } from './openstack-logger.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { resolveCloud } from './resolve-cloud.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { uploadImage, type UploadContext, type UploadMethod } from './upload-image.js';

export interface OpenStackProviderOptions {
  /** environment and directory for the clouds.yaml search (default: the process's) */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logger?: OpenStackLogger;
  /** per API call retries of transient failures */
  retry?: Partial<RetryPolicy>;
  /** attempts of a whole upload (create → transfer → verify), default 3 */
  uploadAttempts?: number;
  /** idle timeout of API calls, default 60 s */
  requestTimeoutMs?: number;
  /** idle timeout of the data transfer, default 600 s */
  transferTimeoutMs?: number;
  /** status polling interval while waiting for `active`, default 2 s (never below `rate`) */
  pollIntervalMs?: number;
  /** check files with `qemu-img info` before uploading, default true */
  probeFormat?: boolean;
}

export const UPLOAD_METHODS: readonly UploadMethod[] = ['put', 'glance-direct'];

export function createOpenStackProvider(provider: Provider, options: OpenStackProviderOptions = {}): OpenStackProvider {
  return new OpenStackProvider(provider, options);
}

interface Connection {
  cloud: CloudConfig;
  transport: HttpTransport;
  images: GlanceImages;
}

export class OpenStackProvider implements ImageProvider {
  readonly name: string;
  readonly uploadMethod: UploadMethod;
  private readonly limiter: RateLimiter;
  private readonly logger: OpenStackLogger;
  private readonly retry: RetryPolicy;
  private connection: Promise<Connection> | undefined;
  private closed = false;

  constructor(
    private readonly provider: Provider,
    private readonly options: OpenStackProviderOptions,
  ) {
    if (!provider.cloud) {
      throw new OpenStackError('KILN_OPENSTACK_PROVIDER_INVALID', `provider "${provider.name}" has no cloud: set providers[].cloud`);
    }
    this.name = provider.name;
    this.uploadMethod = uploadMethodOf(provider);
    this.limiter = createRateLimiter({ rate: provider.rate });
    this.logger = options.logger ?? silentOpenStackLogger;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  async uploadImage(request: UploadRequest): Promise<UploadedImage> {
    const { cloud, images } = await this.connect();
    const context: UploadContext = {
      cloud: cloud.name,
      images,
      method: this.uploadMethod,
      attempts: { ...this.retry, attempts: this.options.uploadAttempts ?? 3 },
      pollMs: Math.max(this.options.pollIntervalMs ?? 2000, this.provider.rate * 1000),
      transferTimeoutMs: this.options.transferTimeoutMs ?? 600_000,
      probe: this.options.probeFormat === false ? noFormatProbe : qemuImgProbe,
      logger: this.logger,
    };
    const uploaded = await uploadImage(context, request);
    this.logger.info({ provider: this.name, imageId: uploaded.externalId, image: uploaded.externalName }, 'image uploaded');
    return uploaded;
  }

  async deleteImage(externalId: string): Promise<void> {
    const { images } = await this.connect();
    await images.delete(externalId);
  }

  async listImages(): Promise<CloudImage[]> {
    const { images } = await this.connect();
    return (await images.list()).map((image) => ({ id: image.id, name: image.name, properties: imageProperties(image) }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    if (connection) (await connection.catch(() => undefined))?.transport.close();
  }

  private connect(): Promise<Connection> {
    if (this.closed) return Promise.reject(new OpenStackError('KILN_OPENSTACK_ABORTED', `provider "${this.name}" is closed`));
    this.connection ??= this.open().catch((err: unknown) => {
      // clouds.yaml may be fixed while the daemon runs: try again on the next call
      this.connection = undefined;
      throw err;
    });
    return this.connection;
  }

  private async open(): Promise<Connection> {
    const files = await readCloudsFiles({ ...(this.options.env ? { env: this.options.env } : {}), ...(this.options.cwd ? { cwd: this.options.cwd } : {}) });
    const cloud = resolveCloud(files, this.provider.cloud as string, this.provider.regionName);
    const transport = new HttpTransport(cloud.tls);
    const timeoutMs = this.options.requestTimeoutMs ?? 60_000;
    const common = { cloud, transport, limiter: this.limiter, retry: this.retry, logger: this.logger, timeoutMs };
    const session = new KeystoneSession(common);
    const images = new GlanceImages(new ImageApi({ ...common, session }));
    this.logger.debug({ provider: this.name, cloud: cloud.name, region: cloud.regionName, source: cloud.source }, 'cloud resolved');
    return { cloud, transport, images };
  }
}

function uploadMethodOf(provider: Provider): UploadMethod {
  const value = provider.raw['upload-method'] ?? 'put';
  if (typeof value === 'string' && (UPLOAD_METHODS as readonly string[]).includes(value)) return value as UploadMethod;
  throw new OpenStackError(
    'KILN_OPENSTACK_PROVIDER_INVALID',
    `provider "${provider.name}": upload-method must be one of ${UPLOAD_METHODS.join(', ')} (got ${JSON.stringify(value)})`,
  );
}
