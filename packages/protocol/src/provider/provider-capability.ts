import type { CapabilityDescriptor } from '../capabilities.js';
import { isJsonObject } from '../json-shape.js';
import { PROVIDER_CAPABILITY_TYPE } from './provider-messages.js';

/** A provider capability as listed in a capabilities document. */
export interface ProviderCapabilityDescriptor extends CapabilityDescriptor {
  readonly type: typeof PROVIDER_CAPABILITY_TYPE;
  /** e.g. `vmware`; with `provider_type` it is the registry key `vendor:provider_type`. */
  readonly vendor: string;
  /** e.g. `vcenter`. */
  readonly provider_type: string;
  /** Resource type slugs the provider produces, e.g. `virtual_machine`. */
  readonly resource_types: readonly string[];
}

/** True when a capability is a provider with `vendor`, `provider_type` and `resource_types`. */
export function isProviderCapability(
  capability: CapabilityDescriptor,
): capability is ProviderCapabilityDescriptor {
  const value: unknown = capability;
  return (
    isJsonObject(value) &&
    value['type'] === PROVIDER_CAPABILITY_TYPE &&
    typeof value['vendor'] === 'string' &&
    typeof value['provider_type'] === 'string' &&
    Array.isArray(value['resource_types']) &&
    value['resource_types'].every((item) => typeof item === 'string')
  );
}

/** The registry key of a provider, `vendor:provider_type` (seed 004). */
export function providerKey(vendor: string, providerType: string): string {
  return `${vendor}:${providerType}`;
}
