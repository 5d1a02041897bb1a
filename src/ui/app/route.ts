/**
 * Hash routes. Plain functions so the router is testable without a DOM.
 * Resume handshake: `#/live/<runId>?resume=1` → `<drpo-live-view run-id=<id> resume>`.
 */
export const ROUTE_NAMES = [
  'setup',
  'data',
  'run',
  'live',
  'result',
  'playground',
  'evaluate',
  'history',
  'share',
  'not-found',
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export interface Route {
  name: RouteName;
  runId?: string;
  resume?: boolean;
  /** For 'share': the fragment (`#a=…`, or `#/share?a=…`). */
  fragment?: string;
  /**
   * For 'result': its closest candidate is to be shown open, its "Evaluate it against your prompt" focused
   * (`#/result/<runId>?closest=1`: Evaluate's note on a result that kept its starting prompt points there).
   */
  closest?: boolean;
  /** For 'history': a saved alignment to show (`#/history?alignment=<id>`), its row scrolled to and focused. */
  alignmentId?: string;
  /** For 'not-found': what was asked for, cut after `SHOWN_PATH_CHARS`. */
  path?: string;
}

const SIMPLE: readonly RouteName[] = ['setup', 'data', 'run', 'playground', 'evaluate', 'history'];

/** How much of an unknown address "Page not found" repeats: a mistyped share link can be 64 KB long. */
export const SHOWN_PATH_CHARS = 80;

const notFound = (h: string): Route => {
  const path = h.slice(1);
  return { name: 'not-found', path: path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path };
};

/**
 * A share link as made (`#a=…`), with its `=` escaped by a mail or chat app (`#a%3D…`), or escaped twice by
 * two of them (`#a%253D…`; a payload is base64url, which has no `%`), or under the share route (`#/share?a=…`):
 * what the preview decodes, or null.
 */
function shareFragment(h: string): string | null {
  const s = h.replace(/%(?:25)*3D/gi, '=');
  return s.startsWith('#a=') || /^#\/share(?:$|[/?])/.test(s) ? s : null;
}

export function parseRoute(hash: string): Route {
  const h = hash.startsWith('#') ? hash : `#${hash}`;
  const fragment = shareFragment(h);
  if (fragment !== null) return { name: 'share', fragment };
  if (h === '#' || h === '#/' || h === '') return { name: 'setup' };
  if (!h.startsWith('#/')) return notFound(h);
  const [pathPart = '', queryPart = ''] = h.slice(2).split('?', 2);
  const parts = pathPart.split('/').filter(Boolean);
  const name = parts[0] ?? 'setup';
  const params = new URLSearchParams(queryPart);
  if (name === 'history' && parts.length === 1 && params.get('alignment')) {
    return { name, alignmentId: params.get('alignment')! };
  }
  if (SIMPLE.includes(name as RouteName) && parts.length === 1) return { name: name as RouteName };
  if ((name === 'live' || name === 'result') && parts.length <= 2) {
    const route: Route = { name };
    if (parts[1]) {
      // A hand-edited link may hold a broken escape ("%E0%A4%A"): a page not found, not a page that fails.
      const runId = decodeOrNull(parts[1]);
      if (runId === null) return notFound(h);
      route.runId = runId;
    }
    if (name === 'live' && params.get('resume') === '1') route.resume = true;
    if (name === 'result' && route.runId && params.get('closest') === '1') route.closest = true;
    return route;
  }
  return notFound(h);
}

function decodeOrNull(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function routeHref(name: RouteName, runId?: string | null, resume = false): string {
  if (name === 'live' || name === 'result') {
    const id = runId ? `/${encodeURIComponent(runId)}` : '';
    return `#/${name}${id}${resume && name === 'live' ? '?resume=1' : ''}`;
  }
  return `#/${name}`;
}

/** Where a saved alignment is shown: its row in History (the pages that save one point to it). */
export function alignmentHref(alignmentId: string): string {
  return `#/history?alignment=${encodeURIComponent(alignmentId)}`;
}

/** A run's Result with its closest candidate opened, ready to be evaluated against the starting prompt. */
export function closestCandidateHref(runId: string): string {
  return `${routeHref('result', runId)}?closest=1`;
}

/** The steps of the studio in the order of the navigation; each link reads as its route's name. */
const NAV_ROUTES = ['setup', 'data', 'run', 'live', 'result', 'playground', 'evaluate', 'history'] as const;

export const NAV_ITEMS: readonly { name: RouteName; label: string }[] = NAV_ROUTES.map((name) => ({
  name,
  label: name[0]!.toUpperCase() + name.slice(1),
}));

/** What the tab title calls a route's view (its navigation label, else its own words). */
export function viewLabel(name: RouteName): string {
  if (name === 'share') return 'Shared alignment';
  if (name === 'not-found') return 'Page not found';
  return NAV_ITEMS.find((i) => i.name === name)?.label ?? '';
}
