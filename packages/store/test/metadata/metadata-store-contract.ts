import { describe } from 'node:test';
import { domainAndTokenContract } from './contract/domain-token-contract.js';
import { lifecycleContract } from './contract/lifecycle-contract.js';
import { pluginContract } from './contract/plugin-contract.js';
import { pluginListContract } from './contract/plugin-list-contract.js';
import type { HarnessFactory } from './contract/store-fixtures.js';
import { registryContract } from './contract/registry-contract.js';
import { repositoryContract } from './contract/repository-contract.js';
import { versionContract } from './contract/version-contract.js';

export type { HarnessFactory, StoreHarness } from './contract/store-fixtures.js';

/**
 * The one test body every `MetadataStore` backend must pass. Each test gets a fresh database from
 * `factory`, so tests never see each other's data.
 */
export function metadataStoreContract(factory: HarnessFactory): void {
  describe('domains and tokens', () => domainAndTokenContract(factory));
  describe('plugins', () => pluginContract(factory));
  describe('plugin lists', () => pluginListContract(factory));
  describe('versions', () => versionContract(factory));
  describe('repositories', () => repositoryContract(factory));
  describe('registry', () => registryContract(factory));
  describe('lifecycle', () => lifecycleContract(factory));
}
