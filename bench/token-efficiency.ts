/**
 * Token efficiency of the presets on the scripted DRPO model: per preset and role the calls, prompt
 * and generated tokens, the best rewards, and the engine's own overhead per call (run time minus time
 * inside the model). Targets: quick ≤ 20% of paper's generated tokens; overhead < 1 ms per call.
 */
import { runDrpo } from '../src/core/engine';
import { buildRunConfig } from '../src/core/presets';
import type { RunResult } from '../src/core/run-api';
import type { PresetName } from '../src/core/types';
import { ROLES } from '../src/core/types';
import { SYNTHETIC_QUERIES, ScriptedDrpoModel, cpuNow } from '../test/fixtures/scripted-drpo-model';
import type { BenchSection } from './types';

/** Scored with the same generous answer length for every prompt, so presets compare fairly. */
const HELD_OUT = SYNTHETIC_QUERIES.slice(24);

const DATA = {
  trainQueries: SYNTHETIC_QUERIES.slice(0, 24),
  validationQueries: SYNTHETIC_QUERIES.slice(24),
  icl: SYNTHETIC_QUERIES.slice(0, 16).map((q) => ({
    query: q.text,
    answer: 'A short first draft. I hope this helps.',
  })),
};

interface Measured {
  result: RunResult;
  ms: number;
  modelMs: number;
  /** CPU time of the run outside the model: robust on a busy machine, unlike wall time. */
  coreCpuMs: number;
}

async function measure(preset: PresetName): Promise<Measured> {
  const m = new ScriptedDrpoModel({ capabilities: { logprobs: true } });
  const t0 = performance.now();
  const c0 = cpuNow();
  const result = await runDrpo(
    buildRunConfig(preset, DATA),
    { models: { policy: m, aspect: m, judge: m, optimizer: m } },
    { runId: `bench-${preset}` },
  );
  const cpu = cpuNow() - c0;
  return { result, ms: performance.now() - t0, modelMs: m.timeMs, coreCpuMs: cpu - m.cpuMs };
}

export async function benchTokenEfficiency(): Promise<BenchSection> {
  await measure('quick'); // warm-up: JIT, so overhead reflects steady state
  const runs = { paper: await measure('paper'), quick: await measure('quick') };
  const rows: Record<string, string | number>[] = [];
  for (const [preset, { result, ms, modelMs, coreCpuMs }] of Object.entries(runs)) {
    for (const role of ROLES) {
      const s = result.stats.perRole[role];
      rows.push({ preset, role, calls: s.calls, promptTokens: s.promptTokens, generatedTokens: s.generatedTokens });
    }
    rows.push({
      preset,
      role: 'total',
      calls: result.stats.calls,
      promptTokens: result.stats.promptTokens,
      generatedTokens: result.stats.generatedTokens,
      bestTrainReward: round(result.artifact?.scores.train ?? 0),
      heldOutReward: round(await heldOut(result.artifact?.systemPrompt ?? '')),
      validationReward:
        result.artifact?.scores.validation === undefined ? '-' : round(result.artifact.scores.validation),
      wallOverheadMsPerCall: round((ms - modelMs) / Math.max(1, result.stats.calls), 3),
      cpuOverheadMsPerCall: round(coreCpuMs / Math.max(1, result.stats.calls), 3),
    });
  }
  rows.push({
    preset: 'initial prompt',
    role: 'total',
    heldOutReward: round(await heldOut('You are a helpful assistant.')),
  });
  const ratio = runs.quick.result.stats.generatedTokens / Math.max(1, runs.paper.result.stats.generatedTokens);
  const overhead = Math.max(...Object.values(runs).map((r) => r.coreCpuMs / Math.max(1, r.result.stats.calls)));
  return {
    name: 'DRPO token efficiency (scripted model)',
    rows,
    targets: [
      { label: 'quick generated tokens ≤ 20% of paper', value: `${(ratio * 100).toFixed(1)}%`, ok: ratio <= 0.2 },
      { label: 'core overhead per call < 1 ms (CPU)', value: `${overhead.toFixed(3)} ms`, ok: overhead < 1 },
    ],
  };
}

/** Mean reward of a prompt on the held-out queries (a one-level run whose root is the prompt). */
async function heldOut(prompt: string): Promise<number> {
  const m = new ScriptedDrpoModel();
  const config = buildRunConfig('paper', {
    initialPrompt: prompt,
    trainQueries: HELD_OUT,
    settings: {
      depth: 1,
      beamWidth: 1,
      actions: 1,
      queriesPerLevel: HELD_OUT.length,
      iclRounds: 0,
      maxDepthExtension: 0,
    },
  });
  const r = await runDrpo(config, { models: { policy: m, aspect: m, judge: m, optimizer: m } }, { runId: 'held-out' });
  return r.nodes[0]?.reward ?? 0;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
