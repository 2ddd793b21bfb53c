/** Reads a field the native types do not declare (native objects are open, their types are not). */
export function extraField(record: object | undefined, key: string): unknown {
  return record === undefined ? undefined : (record as Record<string, unknown>)[key];
}
