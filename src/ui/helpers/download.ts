/** Browser-side file download and clipboard helpers shared by history, share preview and results. */

export function safeFileName(name: string, ext: string): string {
  const base =
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'drpo';
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
