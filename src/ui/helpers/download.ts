/** Browser-side file download and clipboard helpers shared by history, share preview and results. */

/**
 * A file name made of `name`: letters and digits of any script kept ("Café", "模型" stay), anything else one
 * dash; a trailing `.ext` is dropped first, so "Examples from icl-examples.json" is not saved as "….json.json".
 */
export function safeFileName(name: string, ext: string): string {
  const trim = (s: string) => s.replace(/^[-.]+|[-.]+$/g, '');
  const dotExt = `.${ext}`.toLowerCase();
  const bare = name.trim().toLowerCase().endsWith(dotExt) ? name.trim().slice(0, -dotExt.length) : name;
  const cleaned = trim(bare.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, '-'));
  // Cut by characters, never inside a surrogate pair.
  const base = trim(Array.from(cleaned).slice(0, 80).join('')) || 'drpo';
  return `${base}.${ext}`;
}

export function downloadJson(value: unknown, fileName: string): void {
  downloadText(JSON.stringify(value, null, 2), fileName, 'application/json');
}

/** Saves text as a file through a temporary object URL. */
export function downloadText(text: string, fileName: string, type: string): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Resolves false instead of throwing when the clipboard is blocked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The page's own address with a new fragment. */
export function pageUrlWithFragment(fragment: string): string {
  const f = fragment.startsWith('#') ? fragment : `#${fragment}`;
  return `${location.origin}${location.pathname}${location.search}${f}`;
}
