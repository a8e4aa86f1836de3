/**
 * Picks a service endpoint from a Keystone v3 catalog (glance-api.md §2): the
 * entry of the wanted type, the endpoint with the cloud's interface and
 * region. Pure, so every combination is unit-tested.
 */
import { OpenStackError } from './openstack-error.js';

export interface CatalogEndpoint {
  interface?: string;
  region_id?: string;
  region?: string;
  url?: string;
}

export interface CatalogEntry {
  type?: string;
  name?: string;
  endpoints?: CatalogEndpoint[];
}

export interface EndpointQuery {
  serviceType: string;
  interface: string;
  /** null: any region, as long as the choice is unambiguous */
  regionName: string | null;
  cloud: string;
}

export function findEndpoint(catalog: readonly CatalogEntry[], query: EndpointQuery): string {
  const service = catalog.find((entry) => entry.type === query.serviceType);
  if (!service) {
    throw new OpenStackError(
      'KILN_OPENSTACK_SERVICE_NOT_FOUND',
      `cloud "${query.cloud}" has no "${query.serviceType}" service in its catalog (services: ${catalog.map((e) => e.type).join(', ') || 'none'})`,
      { cloud: query.cloud },
    );
  }
  const endpoints = (service.endpoints ?? []).filter((e) => typeof e.url === 'string' && e.url !== '');
  const regions = [...new Set(endpoints.map(regionOf).filter((r): r is string => r !== undefined))];
  const inRegion = query.regionName === null ? endpoints : endpoints.filter((e) => regionOf(e) === query.regionName);
  if (query.regionName !== null && inRegion.length === 0) {
    throw new OpenStackError(
      'KILN_OPENSTACK_REGION_NOT_FOUND',
      `cloud "${query.cloud}" has no "${query.serviceType}" endpoint in region "${query.regionName}" (regions: ${regions.join(', ') || 'none'})`,
      { cloud: query.cloud },
    );
  }
  const matching = inRegion.filter((e) => normalizeInterface(e.interface) === normalizeInterface(query.interface));
  const match = matching[0];
  if (!match) {
    throw new OpenStackError(
      'KILN_OPENSTACK_SERVICE_NOT_FOUND',
      `cloud "${query.cloud}" has no ${query.interface} "${query.serviceType}" endpoint${query.regionName ? ` in region "${query.regionName}"` : ''}`,
      { cloud: query.cloud },
    );
  }
  const matchRegions = new Set(matching.map(regionOf));
  if (query.regionName === null && matchRegions.size > 1) {
    throw new OpenStackError(
      'KILN_OPENSTACK_REGION_NOT_FOUND',
      `cloud "${query.cloud}" has "${query.serviceType}" endpoints in several regions (${regions.join(', ')}): set region-name`,
      { cloud: query.cloud },
    );
  }
  return match.url as string;
}

function regionOf(endpoint: CatalogEndpoint): string | undefined {
  return endpoint.region_id ?? endpoint.region;
}

/** keystoneauth accepts `publicURL` etc. (v2 spelling) as well */
function normalizeInterface(value: string | undefined): string {
  return (value ?? '').replace(/URL$/, '').toLowerCase();
}
