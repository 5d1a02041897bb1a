/** Shared bits of the meta-prompts. */
import type { JsonSchema } from '../../contracts/chat-model';

export const STRING_FIELD = { type: 'string' } as const;

/** A JSON Schema object with exactly these properties, every one required (in this order). */
export function objectSchema(properties: Record<string, unknown>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** Delimits user-provided text so instructions inside it are not mistaken for ours. */
export function fence(text: string): string {
  return `<<<\n${text.trim()}\n>>>`;
}

export const JSON_REMINDER = 'Reply with the JSON object only: no prose, no code fences.';

/** Caps long text shown to a judge or optimizer (characters, with a visible cut). */
export function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)} […]`;
}
