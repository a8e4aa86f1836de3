import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedElement } from './build-plan.js';

/**
 * DIB's block-device config choice for elements that ship one: the first
 * element (in Kiln's sorted order, so deterministic) with
 * block-device-<ARCH>.yaml, else the first with block-device-default.yaml.
 * Returned as DIB_BLOCK_DEVICE_CONFIG text for assembly; undefined when the
 * user set DIB_BLOCK_DEVICE_CONFIG or no element ships a layout (assembly
 * then uses its built-in layouts).
 */
export function elementBlockDeviceConfig(elements: PlannedElement[], arch: string, env: Record<string, string>): string | undefined {
  if (env.DIB_BLOCK_DEVICE_CONFIG?.trim()) return undefined;
  const archName = arch === 'ppc64le' || arch === 'ppc64el' ? 'ppc64el' : arch;
  for (const file of [`block-device-${archName}.yaml`, 'block-device-default.yaml']) {
    for (const element of elements) {
      const path = join(element.path, file);
      if (existsSync(path)) return readFileSync(path, 'utf8');
    }
  }
  return undefined;
}
