/**
 * Cost of the presets on the scripted DRPO model: per preset and role the calls, prompt and generated
 * tokens, and the engine's own overhead per call (run time minus time inside the model). Target:
 * overhead < 1 ms per call. Quality is not measured here: the scripted model's judge has no noise,
 * so every preset looks perfect on it. Quality and the quick/paper token ratio are measured on the
 * simulated worlds (bench/search-quality.ts).
 */
import { runDrpo } from '../src/core/drpo/run';
import { buildRunConfig } from '../src/core/plan/presets';
import type { RunResult } from '../src/core/contracts/run-api';
import type { PresetName } from '../src/core/contracts/run-config';
import { ROLES } from '../src/core/contracts/run-config';
import { SYNTHETIC_QUERIES, ScriptedDrpoModel, cpuNow } from '../test/fixtures/scripted-drpo-model';
import type { BenchSection } from './types';

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
      wallOverheadMsPerCall: round((ms - modelMs) / Math.max(1, result.stats.calls), 3),
      cpuOverheadMsPerCall: round(coreCpuMs / Math.max(1, result.stats.calls), 3),
    });
  }
  const overhead = Math.max(...Object.values(runs).map((r) => r.coreCpuMs / Math.max(1, r.result.stats.calls)));
  return {
    name: 'DRPO cost per preset and engine overhead (scripted model)',
    rows,
    targets: [{ label: 'core overhead per call < 1 ms (CPU)', value: `${overhead.toFixed(3)} ms`, ok: overhead < 1 }],
  };
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
