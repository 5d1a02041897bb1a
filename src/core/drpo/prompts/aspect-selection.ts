/** Aspect selection: the first half of the dynamic reward. Short on purpose: it runs once per query. */
import type { AspectCatalog } from '../aspect-catalog';
import type { ChatMessage, StructuredOutput } from '../../contracts/chat-model';
import type { JsonObject } from '../../calls/json-repair';
import { str } from '../../calls/json-repair';
import type { SelectedAspect } from '../../contracts/search-node';
import { fence, objectSchema, STRING_FIELD } from './common';
import { SETTING_DEFAULTS } from '../../plan/settings-schema';

export const ASPECT_SCHEMA: StructuredOutput = {
  name: 'aspect_selection',
  schema: objectSchema({
    analysis: STRING_FIELD,
    aspects: { type: 'array', items: objectSchema({ name: STRING_FIELD, reason: STRING_FIELD }) },
  }),
};

export const MIN_ASPECTS = 2;
/** Without a `maxAspects` setting the judge may pick up to this many. */
const MAX_ASPECTS: number = SETTING_DEFAULTS.maxAspects;

export function aspectMessages(query: string, catalog: AspectCatalog, max = MAX_ASPECTS): ChatMessage[] {
  const list = catalog
    .all()
    .map((a) => `- ${a.name}: ${a.description}`)
    .join('\n');
  return [
    { role: 'system', content: 'You decide what a good answer to a user query must get right.' },
    {
      role: 'user',
      content: `Query:\n${fence(query)}\n\nIn one sentence, note what the user needs (intent, ambiguity, format, risks). Then pick the ${MIN_ASPECTS}–${max} aspects that matter most for judging an answer, most important first, each with a reason of a few words. Aspects:\n${list}\nName another aspect only if none fits.\nReply with JSON only: {"analysis": "...", "aspects": [{"name": "...", "reason": "..."}]}`,
    },
  ];
}

/** Accepts [{name, reason}], ["Clarity", ...] or {"Clarity": "reason"}; resolves names; 2–max kept (most important first). */
export function parseAspects(obj: JsonObject, catalog: AspectCatalog, max = MAX_ASPECTS): SelectedAspect[] | string {
  const raw = obj.aspects ?? obj.selected_aspects ?? obj.selected ?? obj.criteria;
  let items: { name: string; reason: string }[] = [];
  if (Array.isArray(raw)) {
    items = raw.map((x) =>
      typeof x === 'string'
        ? { name: x, reason: '' }
        : typeof x === 'object' && x !== null
          ? { name: str((x as JsonObject).name ?? (x as JsonObject).aspect), reason: str((x as JsonObject).reason) }
          : { name: '', reason: '' },
    );
  } else if (typeof raw === 'object' && raw !== null) {
    items = Object.entries(raw as JsonObject).map(([name, reason]) => ({ name, reason: str(reason) }));
  }
  const seen = new Set<string>();
  const out: SelectedAspect[] = [];
  for (const item of items) {
    if (!item.name) continue;
    const def = catalog.resolve(item.name);
    const key = def.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: def.name, reason: item.reason.slice(0, 300) });
    if (out.length >= max) break;
  }
  if (out.length === 0) return 'no aspects in the reply';
  // One aspect is too narrow a reward: add the most generally useful ones.
  for (const fill of ['Helpfulness', 'Clarity']) {
    if (out.length >= MIN_ASPECTS) break;
    if (!seen.has(fill.toLowerCase())) out.push({ name: fill, reason: 'added: at least two aspects are scored' });
  }
  return out;
}
