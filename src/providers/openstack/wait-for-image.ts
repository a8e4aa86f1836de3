/**
 * Polls an image until Glance reports it `active` (glance-api.md §3.2, §4):
 * `killed`, `deleted`, `deactivated` or a vanished image end the wait with
 * KILN_OPENSTACK_IMAGE_FAILED (quoting `os_glance_failed_import` when an
 * import failed); the caller's deadline signal ends it with the timeout.
 */
import type { GlanceImage, GlanceImages } from './glance-images.js';
import { OpenStackError } from './openstack-error.js';
import { defaultSleep } from './rate-limiter.js';

const FAILED_STATES = new Set(['killed', 'deleted', 'deactivated', 'pending_delete']);

export async function waitForActive(
  images: GlanceImages,
  id: string,
  options: { pollMs: number; cloud: string; signal: AbortSignal },
): Promise<GlanceImage> {
  for (;;) {
    const image = await images.get(id, options.signal);
    if (!image) throw new OpenStackError('KILN_OPENSTACK_IMAGE_FAILED', `image ${id} disappeared from cloud "${options.cloud}" while waiting for it to become active`, { cloud: options.cloud });
    if (image.status === 'active') return image;
    const failedImport = image['os_glance_failed_import'];
    if (FAILED_STATES.has(image.status) || (typeof failedImport === 'string' && failedImport !== '')) {
      const detail = typeof failedImport === 'string' && failedImport ? ` (import failed in store ${failedImport})` : '';
      throw new OpenStackError('KILN_OPENSTACK_IMAGE_FAILED', `image ${id} on cloud "${options.cloud}" went to status ${image.status}${detail}`, { cloud: options.cloud });
    }
    await defaultSleep(options.pollMs, options.signal);
  }
}
