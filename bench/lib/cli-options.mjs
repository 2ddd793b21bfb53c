// Flags of `npm run bench -- [--quick] [--only PART[,PART…]]`.
import { parseArgs } from 'node:util';

/** The parts in the order they run. */
export const PARTS = ['calls', 'registry', 'install', 'ingest', 'web'];

/** Usage text printed by --help and on a bad flag. */
export const USAGE = `npm run bench -- [--quick] [--only ${PARTS.join('|')}[,…]] [--keep-temp]

  --quick       short runs (3 s load runs, fewer repetitions) for a first look
  --only        run only these parts: ${PARTS.join(', ')}
  --keep-temp   keep the temporary folder (catalog, plugin roots) for inspection`;

/** Reads the flags; throws with the usage text on anything unknown. */
export function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      'keep-temp': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  const only = (values.only ?? []).flatMap((item) => item.split(',')).filter((item) => item !== '');
  const unknown = only.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}\n\n${USAGE}`);
  return {
    quick: values.quick,
    parts: only.length === 0 ? PARTS : PARTS.filter((part) => only.includes(part)),
    keepTemp: values['keep-temp'],
    help: values.help,
  };
}
