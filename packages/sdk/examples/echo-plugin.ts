#!/usr/bin/env node
// The echo example as an executable: the pattern for a plugin file of your own.
import { servePlugin } from '@plugboard/sdk';
import echo from './echo-definition.js';

await servePlugin(echo);
