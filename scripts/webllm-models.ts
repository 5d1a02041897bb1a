// Writes src/ui/view-models/webllm-models.ts: web-llm's chat models as the worker lists them
// (src/llm/webllm/webllm-catalog.ts), minus what depends on this device, so the page can search every
// model id before WebLLM's 6 MB package is fetched. test/unit/ui/model-facts.test.ts fails when the
// copy and the installed package differ; then run:
//   npx tsx scripts/webllm-models.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { listChatModels } from '../src/llm/webllm/webllm-catalog';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = (await import('@mlc-ai/web-llm/package.json', { with: { type: 'json' } })).default.version;
const rows = listChatModels(prebuiltAppConfig.model_list, null).map(
  (m) =>
    `  [${[`'${m.id}'`, m.vramMB, m.contextWindow, m.needsShaderF16, m.lowResource, m.base].map(String).join(', ')}],`,
);
const text = `/**
 * web-llm ${version}'s chat models, as the worker lists them (src/llm/webllm/webllm-catalog.ts) before it
 * knows this device (read by prebuiltModels in model-facts.ts): what the model filter
 * searches before WebLLM's 6 MB package is fetched. Written by scripts/webllm-models.ts; a unit test
 * checks it against the installed package.
 */
// [id, vramMB, contextWindow, needsShaderF16, lowResource, base]
export const WEBLLM_MODEL_ROWS = [
${rows.join('\n')}
] as const;
`;
const out = path.join(root, 'src/ui/view-models/webllm-models.ts');
writeFileSync(out, text);
console.log(`${path.relative(root, out)}: ${rows.length} models from web-llm ${version}`);
