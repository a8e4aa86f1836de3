/** Feeds BuilderMetrics from the daemon's events and scheduling passes. */
import type { BuilderEvents } from '../builder/builder-events.js';
import type { BuilderMetrics } from './builder-metrics.js';

export function attachMetrics(events: BuilderEvents, metrics: BuilderMetrics): void {
  events.on('build:finished', (e) => {
    metrics.buildDuration.set({ image: e.image }, e.durationMs / 1000);
    metrics.buildRc.set({ image: e.image }, e.exitCode);
    metrics.lastBuild.set({ image: e.image }, Date.now() / 1000);
    for (const [format, bytes] of Object.entries(e.sizes)) metrics.buildSize.set({ image: e.image, format }, bytes);
    if (e.state === 'failed') metrics.buildFailures.inc({ image: e.image });
  });
  events.on('upload:finished', (e) => {
    if (e.state === 'ready') metrics.imageUpdate.observe({ image: e.image, provider: e.provider }, e.durationMs / 1000);
    else metrics.uploadFailures.inc({ image: e.image, provider: e.provider });
  });
}
