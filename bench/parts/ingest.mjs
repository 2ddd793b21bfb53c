export async function runIngest() {
  return [];
}
