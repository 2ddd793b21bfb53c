#!/usr/bin/env node
// Turns a module whose default export is a plugin definition into a plugin executable:
//   plugboard-plugin ./my-plugin.js capabilities
//   plugboard-plugin ./my-plugin.js serve --socket /tmp/pb/p.sock
import { runPluginModule } from '../dist/bundle/index.js';

await runPluginModule(process.argv.slice(2));
