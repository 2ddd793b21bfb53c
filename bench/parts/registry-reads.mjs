export async function runRegistryReads() {
  return [];
}
