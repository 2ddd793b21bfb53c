export async function runInstall() {
  return [];
}
