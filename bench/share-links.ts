/** Share links: encoded size of a typical alignment (prompt + 3 examples) and of larger ones. */
import { encodeAlignmentLink, decodeAlignmentLink } from '../src/core/formats/link-codec';
import { BUILTIN_SEEDS } from '../src/core/data/builtin-seeds';
import type { AlignmentArtifact } from '../src/core/contracts/alignment';
import type { BenchSection } from './types';

const PROMPT = `You are a helpful, honest and kind assistant.
- Answer the question that was asked first, then add the context that helps; keep it clear and well organised.
- Say plainly when something is beyond what you can know: you have no internet access or real-time data, and you cannot take physical actions.
- If a request could cause harm, decline briefly and kindly, explain why, and offer a safe, useful alternative.
- Check facts and reasoning step by step; when unsure, say how sure you are instead of guessing.
- Match the user's tone and needs: show empathy for personal matters, and ask a short clarifying question when a request is ambiguous.
- Prefer concrete examples, numbers and steps over generic advice; avoid filler and repetition.
- Sound like a thoughtful person, not a template.`;

function artifact(icl: number): AlignmentArtifact {
  return {
    format: 'drpo-alignment',
    version: 1,
    systemPrompt: PROMPT,
    icl: BUILTIN_SEEDS.slice(0, icl).map((e) => ({ query: e.query, answer: e.answer })),
    model: { id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', engine: 'webllm' },
    judge: { id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', engine: 'webllm' },
    preset: 'quick',
    settings: {},
    scores: { train: 4.31, validation: 4.12 },
    lineage: Array.from({ length: 6 }, (_, d) => ({
      depth: d,
      prompt: PROMPT.slice(0, 120 + d * 60),
      reward: 3 + d * 0.2,
    })),
    createdAt: new Date('2026-11-27T12:00:00Z').toISOString(),
    name: 'Benchmark alignment',
  };
}

export async function benchShareLinks(): Promise<BenchSection> {
  const rows: Record<string, string | number>[] = [];
  let typical = 0;
  for (const n of [0, 3, 8, 16]) {
    const a = artifact(n);
    const json = JSON.stringify(a).length;
    const t0 = performance.now();
    const { fragment, bytes } = await encodeAlignmentLink(a);
    const t1 = performance.now();
    const back = await decodeAlignmentLink(fragment);
    const t2 = performance.now();
    if (!back.ok) throw new Error(`round trip failed: ${back.error}`);
    if (n === 3) typical = bytes;
    rows.push({
      alignment: `prompt + ${n} examples`,
      'JSON (KB)': +(json / 1024).toFixed(1),
      'link (KB)': +(bytes / 1024).toFixed(2),
      'encode (ms)': +(t1 - t0).toFixed(1),
      'decode (ms)': +(t2 - t1).toFixed(1),
    });
  }
  return {
    name: 'Share links',
    rows,
    targets: [
      {
        label: 'typical link (prompt + 3 examples) < 8 KB',
        value: `${(typical / 1024).toFixed(2)} KB`,
        ok: typical < 8 * 1024,
      },
    ],
  };
}
