/**
 * The ImageProviders of the current config: one per image-managing provider
 * whose driver is registered (provider-registry.ts). Rebuilt on reload for
 * providers whose settings changed; others are kept. Providers of drivers
 * Kiln lacks are skipped with one warning each.
 */
import type { Logger } from 'pino';
import type { NodepoolConfig, Provider } from '../config/types.js';
import { createProvider } from '../providers/provider-registry.js';
import type { ImageProvider } from '../providers/types.js';

export class ProviderSet {
  private readonly providers = new Map<string, { settings: string; provider: ImageProvider }>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get(name: string): ImageProvider | null {
    return this.providers.get(name)?.provider ?? null;
  }

  all(): Map<string, ImageProvider> {
    return new Map([...this.providers].map(([name, p]) => [name, p.provider]));
  }

  async update(config: NodepoolConfig): Promise<void> {
    const wanted = new Map<string, Provider>([...config.providers].filter(([, p]) => p.managesImages));
    for (const [name, entry] of this.providers) {
      const next = wanted.get(name);
      if (!next || settingsOf(next) !== entry.settings) {
        this.providers.delete(name);
        await entry.provider.close().catch(() => undefined);
      }
    }
    for (const [name, provider] of wanted) {
      if (this.providers.has(name)) continue;
      try {
        const created = await createProvider(provider, { env: this.env });
        if (created) this.providers.set(name, { settings: settingsOf(provider), provider: created });
        else if (!this.warned.has(name)) {
          this.warned.add(name);
          this.logger.warn({ provider: name, driver: provider.driver }, 'no Kiln driver for this provider; not uploading to it');
        }
      } catch (err) {
        this.logger.error({ err, provider: name }, 'could not set up the provider');
      }
    }
  }

  async close(): Promise<void> {
    const entries = [...this.providers.values()];
    this.providers.clear();
    await Promise.all(entries.map((e) => e.provider.close().catch(() => undefined)));
  }
}

function settingsOf(provider: Provider): string {
  return JSON.stringify(provider.raw);
}
