/** In-memory stand-ins for the worker client and the store, enough for the run/live/result views. */
import type { RunCheckpoint, RunResult } from '../../src/core/contracts/run-api';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import type { RunConfig } from '../../src/core/contracts/run-config';
import type { RunEvent, RunStatus } from '../../src/core/contracts/run-events';
import type { SearchNode } from '../../src/core/contracts/search-node';
import type { RunRecord, StorageFacts, Store } from '../../src/store/store';
import type { WorkerClient } from '../../src/client/worker-client';
import { buildRunConfig } from '../../src/core/plan/presets';
import { emptyStats } from './live-fixtures';
import { numberedName } from '../../src/core/words/list-words';

export function testConfig(): RunConfig {
  return buildRunConfig('quick', {
    roles: { policy: { engine: 'webllm', modelId: 'Tiny-Model' } },
    trainQueries: [{ id: 'q1', text: 'How do I keep basil alive indoors?' }],
    budget: { maxCalls: 100 },
  });
}

export class FakeStore {
  runs = new Map<string, RunRecord>();
  events = new Map<string, RunEvent[]>();
  nodes = new Map<string, SearchNode[]>();
  checkpoints = new Map<string, RunCheckpoint>();
  saved: { name: string; artifact: AlignmentArtifact; source: string }[] = [];
  failSave = false;
  failGetRun = false;
  /** What navigator.storage.estimate says (null: the browser does not say). */
  storage: StorageFacts | null = null;
  private n = 0;

  addRun(id: string, status: RunStatus, events: RunEvent[] = [], extra: Partial<RunRecord> = {}): RunRecord {
    const rec: RunRecord = {
      id,
      name: `Run ${id}`,
      config: testConfig(),
      status,
      progress: { depth: 0, maxDepth: 5, nodes: 0, calls: 0, generatedTokens: 0 },
      best: null,
      stats: emptyStats(),
      createdAt: 1,
      updatedAt: 1,
      ...extra,
    };
    this.runs.set(id, rec);
    this.events.set(id, events);
    return rec;
  }

  async nextRunName(base: string) {
    const runs = new Set([...this.runs.values()].map((r) => r.name));
    const alignments = new Set(this.saved.map((r) => r.name));
    const name = numberedName(base, (n) => runs.has(n) || alignments.has(n));
    if (name === base) return { name };
    return { name, taken: { name: base, by: alignments.has(base) ? ('alignment' as const) : ('run' as const) } };
  }
  async createRun(
    config: RunConfig,
    name?: string,
    _id?: string,
    opts: { numbered?: boolean } = {},
  ): Promise<RunRecord> {
    const numbered = opts.numbered ? (await this.nextRunName(name ?? config.name)).name : undefined;
    const id = `run-${++this.n}`;
    const rec = this.addRun(id, 'pending');
    rec.config = config;
    rec.name = numbered ?? name ?? config.name;
    return rec;
  }
  async getRun(id: string) {
    if (this.failGetRun) throw Object.assign(new Error('IndexedDB is blocked'), { name: 'StorageUnavailableError' });
    return this.runs.get(id);
  }
  async listRuns() {
    return [...this.runs.values()];
  }
  async getEvents(id: string) {
    return this.events.get(id) ?? [];
  }
  async getNodes(id: string) {
    return (this.nodes.get(id) ?? []).map((n) => ({ ...n, runId: id }));
  }
  async getCheckpoint(id: string) {
    return this.checkpoints.get(id);
  }
  async updateRun(id: string, patch: Partial<RunRecord>) {
    const rec = { ...this.runs.get(id)!, ...patch };
    this.runs.set(id, rec);
    return rec;
  }
  async saveAlignment(input: { name: string; artifact: AlignmentArtifact; source: string }) {
    if (this.failSave) throw Object.assign(new Error('The quota was exceeded.'), { name: 'QuotaExceededError' });
    this.saved.push(input);
    return {
      id: `al-${this.saved.length}`,
      name: input.name,
      artifact: input.artifact,
      source: input.source,
      savedAt: 1,
    };
  }
  async listAlignments() {
    return this.saved.map((x, i) => ({
      id: `al-${i + 1}`,
      name: x.name,
      artifact: x.artifact,
      source: x.source,
      savedAt: 1,
    }));
  }
  async getAlignment(id: string) {
    const saved = this.saved[Number(id.slice('al-'.length)) - 1];
    return saved && { id, name: saved.name, artifact: saved.artifact, source: saved.source, savedAt: 1 };
  }
  async renameAlignment(id: string, name: string) {
    const saved = this.saved[Number(id.slice('al-'.length)) - 1]!;
    saved.name = name;
    return { id, name, artifact: saved.artifact, source: saved.source, savedAt: 1 };
  }
  async findAlignment(artifact: AlignmentArtifact) {
    const i = this.saved.findIndex((x) => x.artifact === artifact);
    return i < 0 ? undefined : { id: `al-${i + 1}`, name: this.saved[i]!.name, artifact, source: 'run', savedAt: 1 };
  }
  /** How many times the page asked how full storage is. */
  estimates = 0;
  async storageEstimate() {
    this.estimates++;
    return this.storage;
  }
  asStore(): Store {
    return this as unknown as Store;
  }
}

export class FakeClient {
  starts: { jobId: string; config: RunConfig; checkpoint: RunCheckpoint | null }[] = [];
  cancels: [string, string][] = [];
  onEvents: ((events: RunEvent[]) => void) | undefined;
  private settle: { resolve: (r: RunResult) => void; reject: (e: unknown) => void } | null = null;
  private jobs = 0;

  startRun(
    jobId: string,
    config: RunConfig,
    checkpoint: RunCheckpoint | null,
    onEvents?: (events: RunEvent[]) => void,
  ) {
    this.starts.push({ jobId, config, checkpoint });
    this.onEvents = onEvents;
    return new Promise<RunResult>((resolve, reject) => (this.settle = { resolve, reject }));
  }
  async cancel(jobId: string, mode: 'pause' | 'cancel' = 'cancel') {
    this.cancels.push([jobId, mode]);
    this.fail(Object.assign(new Error('Stopped'), { name: 'AbortError' }));
  }
  newJobId() {
    return `job-${++this.jobs}`;
  }
  emit(events: RunEvent[]) {
    this.onEvents?.(events);
  }
  finish(status: RunStatus = 'completed', artifact: AlignmentArtifact | null = null) {
    this.settle?.resolve({ status, best: null, artifact, stats: emptyStats(), nodes: [] });
    this.settle = null;
  }
  fail(err: unknown) {
    this.settle?.reject(err);
    this.settle = null;
  }
  asClient(): WorkerClient {
    return this as unknown as WorkerClient;
  }
}

export const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** The live tests' name for dom.ts's waitFor. */
export { waitFor as until } from './dom';
