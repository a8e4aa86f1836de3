/**
 * What a CLI command needs, made lazily: the loaded config, a ZooKeeper
 * connection (the configured servers, or the embedded default), an ImageStore.
 * `close()` releases whatever was opened.
 */
import { loadConfig } from '../config/load-config.js';
import type { NodepoolConfig } from '../config/types.js';
import { ZkClient } from '../zk/zk-client.js';
import type { Zk } from '../zk/zk-types.js';
import { ImageStore } from '../model/image-store.js';
import { embeddedStateDir, ensureEmbeddedZooKeeper } from '../embedded/embedded-zookeeper.js';

export interface GlobalOptions {
  configPath: string;
  securePath: string | undefined;
  json: boolean;
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The CLI gives up on ZooKeeper after this long instead of hanging (upstream kazoo would wait forever). */
const CLI_CONNECT_TIMEOUT_MS = 10000;

export class CliContext {
  private configPromise: Promise<NodepoolConfig> | undefined;
  private zkPromise: Promise<Zk> | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly io: Output,
  ) {}

  config(): Promise<NodepoolConfig> {
    this.configPromise ??= loadConfig(this.options.configPath, { securePath: this.options.securePath });
    return this.configPromise;
  }

  zk(): Promise<Zk> {
    this.zkPromise ??= this.connect();
    return this.zkPromise;
  }

  async store(): Promise<ImageStore> {
    return new ImageStore(await this.zk());
  }

  async close(): Promise<void> {
    if (this.zkPromise) {
      const zk = await this.zkPromise.catch(() => undefined);
      await zk?.close();
    }
  }

  private async connect(): Promise<Zk> {
    const config = await this.config();
    const servers =
      config.zookeeperServers.length > 0
        ? config.zookeeperServers
        : [await ensureEmbeddedZooKeeper(embeddedStateDir(config.imagesDir))];
    return ZkClient.connect({
      servers,
      tls: config.zookeeperTls ?? undefined,
      timeoutSeconds: config.zookeeperTimeout,
      connectTimeoutMs: CLI_CONNECT_TIMEOUT_MS,
    });
  }
}
