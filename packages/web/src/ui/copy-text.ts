/**
 * Copies `text` to the clipboard: the Clipboard API where the page is a secure context, else a
 * hidden text area and `execCommand('copy')` (a registry served over plain http on a LAN).
 */
export async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard !== undefined) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: try the old way below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  try {
    // Deprecated but the only copy available outside secure contexts.
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}
