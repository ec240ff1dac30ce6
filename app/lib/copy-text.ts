/**
 * Copies text to the clipboard. The async Clipboard API exists only in secure
 * contexts (https or localhost); a labdock server reached over plain http on a
 * LAN has none, so fall back to selecting a hidden textarea and execCommand.
 */
export async function copyText(text: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission denied or document not focused: the fallback still works.
    }
  }
  const active = document.activeElement as HTMLElement | null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  active?.focus();
  if (!ok) throw new Error('the browser refused to copy: select the text and press Ctrl+C');
}

/** Reads the clipboard for right-click paste; null where the browser does not allow it. */
export async function readClipboard(): Promise<string | null> {
  if (!window.isSecureContext || !navigator.clipboard?.readText) return null;
  try {
    return await navigator.clipboard.readText();
  } catch {
    return null;
  }
}
