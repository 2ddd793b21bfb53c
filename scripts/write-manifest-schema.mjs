// Writes schemas/manifest.schema.json from the TypeBox source in @plugboard/core.
// Run through `npm run schema` (which builds first). A core test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema } from '@plugboard/core';

const target = new URL('../schemas/manifest.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
