/**
 * The aspect catalog behind the dynamic reward. The model may propose names in any spelling,
 * or new ones: we normalise tolerantly and keep unknown aspects with a generic description.
 */
import type { AspectDef } from '../contracts/run-config';

export const ASPECT_CATALOG: readonly AspectDef[] = [
  { name: 'Helpfulness', description: 'Actually solves what the user asked, fully and usefully.' },
  { name: 'Clarity', description: 'Easy to follow: well organised, plain words, good formatting.' },
  { name: 'Factuality', description: 'Correct facts and sound claims, no invented details.' },
  { name: 'Depth', description: 'Goes beyond the obvious with detail, reasons and examples where they help.' },
  { name: 'Engagement', description: 'Reads like a thoughtful person talking, not a form letter.' },
  { name: 'Conciseness', description: 'No padding or repetition; length fits the question.' },
  { name: 'Safety', description: 'Avoids harm; declines dangerous requests kindly and offers a safe alternative.' },
  { name: 'Compliance', description: 'Follows every explicit instruction, constraint and format in the query.' },
  {
    name: 'Limitations',
    description: 'Is honest about what it cannot know or do (no live data, no actions in the world).',
  },
  { name: 'Critical-Thinking', description: 'Questions false premises, weighs evidence and alternatives.' },
  { name: 'Creativity', description: 'Original ideas or phrasing where the task invites them.' },
  { name: 'Interactivity', description: 'Asks a clarifying question or invites follow-up when the query is unclear.' },
  { name: 'Empathy', description: "Acknowledges the user's feelings and situation with warmth." },
  { name: 'Sensitivity', description: 'Handles culture, identity and delicate topics with care and balance.' },
];

export const GENERIC_ASPECT_DESCRIPTION = 'A quality the evaluator judged important for this query.';

/** Case, spaces, hyphens and underscores do not matter: "critical thinking" = "Critical-Thinking". */
export function aspectKey(name: string): string {
  return name.toLowerCase().replace(/[\s_\-–—.]+/g, '');
}

export interface AspectCatalog {
  /** Resolves any spelling to a definition; unknown names are kept with a tidy name and a generic description. */
  resolve(name: string): AspectDef;
  all(): AspectDef[];
  has(name: string): boolean;
}

export function createAspectCatalog(custom: readonly AspectDef[] = []): AspectCatalog {
  const byKey = new Map<string, AspectDef>();
  for (const a of ASPECT_CATALOG) byKey.set(aspectKey(a.name), a);
  // Custom aspects may refine a built-in description or add new ones.
  for (const a of custom) {
    const name = tidyAspectName(a.name);
    if (!name) continue;
    byKey.set(aspectKey(name), { name, description: a.description.trim() || GENERIC_ASPECT_DESCRIPTION });
  }
  return {
    resolve(name: string): AspectDef {
      const tidy = tidyAspectName(name);
      const known = byKey.get(aspectKey(tidy));
      return known ?? { name: tidy || 'Overall', description: GENERIC_ASPECT_DESCRIPTION };
    },
    all: () => [...byKey.values()],
    has: (name: string) => byKey.has(aspectKey(name)),
  };
}

/** Trims, collapses whitespace, caps length and capitalises words so model output stays presentable. */
const tidyMemo = new Map<string, string>();

export function tidyAspectName(name: string): string {
  const hit = tidyMemo.get(name);
  if (hit !== undefined) return hit;
  const out = tidy(name);
  if (tidyMemo.size < 5000) tidyMemo.set(name, out);
  return out;
}

function tidy(name: string): string {
  const cleaned = String(name)
    .replace(/[*_`"'#:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40);
  return cleaned.replace(/(^|[\s-])(\p{Ll})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}
