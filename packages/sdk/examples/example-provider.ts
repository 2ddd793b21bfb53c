#!/usr/bin/env node
// The provider example as an executable.
import { servePlugin } from '@plugboard/sdk';
import provider from './provider-definition.js';

await servePlugin(provider);
