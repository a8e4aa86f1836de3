/**
 * Schema validation of a parsed nodepool.yaml: the top-level schema, then each
 * provider against its driver's schema, as upstream's config_validator does
 * (`get_provider_config(provider).getSchema()` extended with the common keys).
 */
import type { ConfigIssue } from './config-issue.js';
import { resolveDriver } from './drivers.js';
import { isRecord } from './key-path.js';
import { providerBaseSchema } from './schema/provider-common.js';
import { providerSchemaFor } from './schema/provider-schemas.js';
import { secureSchema } from './schema/secure.js';
import { topLevelSchema } from './schema/top-level.js';
import { validateAgainst } from './schema-validator.js';

export function validateConfigData(data: unknown): ConfigIssue[] {
  const issues = validateAgainst(topLevelSchema, data);
  const providers = isRecord(data) && Array.isArray(data['providers']) ? data['providers'] : [];
  providers.forEach((provider: unknown, index) => {
    // a provider whose name or driver is already wrong has been reported; its driver is unknown
    if (validateAgainst(providerBaseSchema, provider).length > 0 || !isRecord(provider)) return;
    const driver = resolveDriver(provider as { name: string; driver?: unknown });
    issues.push(...validateAgainst(providerSchemaFor(driver), provider, data, ['providers', index]));
  });
  return issues;
}

export function validateSecureData(data: unknown): ConfigIssue[] {
  return validateAgainst(secureSchema, data);
}
