/**
 * Owns the worker's single MLCEngine: GPU probe before any load, the cross-tab model lock,
 * throttled load progress with an ETA, unload, and cache management. The engine and the
 * package functions are injected (WebLlmRuntime) so browser tests can use a fake engine.
 */
import type { AppConfig, InitProgressReport, ModelRecord } from '@mlc-ai/web-llm';
import { AppError, ErrorName } from '../core/contracts/errors';
import { WebLlmChatModel } from '../llm/webllm/webllm-adapter';
import type { WebLlmEngineLike } from '../llm/webllm/webllm-adapter';
import { contextWindowOf, listChatModels, needsShaderF16 } from '../llm/webllm/webllm-catalog';
import { mapWebLlmError } from '../llm/webllm/webllm-errors';
import type { CacheBackend, GpuProbe, LoadedModel, LoadProgress, ModelInfo } from '../protocol/worker-api';
import { lacksShaderF16, NO_WEBGPU } from '../core/contracts/webgpu';
import { ModelLock } from './model-lock';
import { throttle } from './throttle';

export interface MlcEngineLike extends WebLlmEngineLike {
  reload(modelId: string): Promise<void>;
  unload(): Promise<void>;
}

export interface WebLlmRuntime {
  modelList: readonly ModelRecord[];
  createEngine(config: { appConfig: AppConfig; initProgressCallback: (r: InitProgressReport) => void }): MlcEngineLike;
  hasModelInCache(modelId: string, appConfig: AppConfig): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string, appConfig: AppConfig): Promise<void>;
}

export interface WebLlmHostOptions {
  /** A factory defers loading the 6.8 MB web-llm package until a model is listed or loaded. */
  runtime: WebLlmRuntime | (() => Promise<WebLlmRuntime>);
  probeGpu: () => Promise<GpuProbe>;
  lock?: ModelLock;
  now?: () => number;
  progressIntervalMs?: number;
}

export class WebLlmHost {
  private engine: MlcEngineLike | null = null;
  private backend: CacheBackend | null = null;
  private model: WebLlmChatModel | null = null;
  private info: LoadedModel | null = null;
  private probe: GpuProbe | null = null;
  private onReport: ((r: InitProgressReport) => void) | null = null;
  /** Loads and unloads run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lock: ModelLock;
  private readonly now: () => number;
  private runtimePromise: Promise<WebLlmRuntime> | null = null;

  constructor(private readonly opts: WebLlmHostOptions) {
    this.lock = opts.lock ?? new ModelLock();
    this.now = opts.now ?? Date.now;
  }

  async gpu(refresh = false): Promise<GpuProbe> {
    if (!this.probe || refresh) this.probe = await this.opts.probeGpu();
    return this.probe;
  }

  async listModels(cacheBackend: CacheBackend): Promise<ModelInfo[]> {
    const [probe, rt] = await Promise.all([this.gpu(), this.runtime()]);
    const appConfig = appConfigFor(rt, cacheBackend);
    const cached = new Set<string>();
    await Promise.all(
      rt.modelList.map(async (r) => {
        // A cache that cannot be read (private mode, quota) just means "not cached".
        const hit = await rt.hasModelInCache(r.model_id, appConfig).catch(() => false);
        if (hit) cached.add(r.model_id);
      }),
    );
    return listChatModels(rt.modelList, probe, cached);
  }

  loaded(): LoadedModel[] {
    return this.info ? [this.info] : [];
  }

  /** The loaded model, or ModelNotLoadedError naming what was asked for (what to do is the page's hint). */
  chatModel(modelId: string): WebLlmChatModel {
    if (!this.model || this.model.id !== modelId) {
      const what = this.model ? `"${this.model.id}" is loaded instead` : 'no model is loaded';
      throw new AppError(ErrorName.ModelNotLoaded, `The in-browser model "${modelId}" is not loaded (${what}).`);
    }
    return this.model;
  }

  /** After a lost GPU device the model is gone: forget it, so the next load really reloads it. */
  forgetLostModel(): void {
    this.model = null;
    this.info = null;
    this.lock.releaseLock();
  }

  /** Engine-wide: stops whatever the in-browser model is generating. */
  interrupt(): void {
    void this.engine?.interruptGenerate().catch(() => undefined);
  }

  load(modelId: string, cacheBackend: CacheBackend, onProgress?: (p: LoadProgress) => void): Promise<LoadedModel> {
    return this.serial(() => this.loadNow(modelId, cacheBackend, onProgress));
  }

  unload(): Promise<void> {
    return this.serial(async () => {
      try {
        await this.engine?.unload();
      } catch (err) {
        throw mapWebLlmError(err);
      } finally {
        this.model = null;
        this.info = null;
        this.lock.releaseLock();
      }
    });
  }

  async deleteCached(modelId: string, cacheBackend: CacheBackend): Promise<void> {
    const rt = await this.runtime();
    record(rt, modelId);
    try {
      await rt.deleteModelAllInfoInCache(modelId, appConfigFor(rt, cacheBackend));
    } catch (err) {
      throw mapWebLlmError(err);
    }
  }

  private async loadNow(
    modelId: string,
    cacheBackend: CacheBackend,
    onProgress?: (p: LoadProgress) => void,
  ): Promise<LoadedModel> {
    // Probe first: without WebGPU there is no point downloading the engine code. These errors say what is
    // missing; what to do is the page's hint for their name, beside them.
    const probe = await this.gpu(true);
    if (!probe.available) throw new AppError(ErrorName.WebGpuUnavailable, probe.reason ?? NO_WEBGPU);
    const rt = await this.runtime();
    const rec = record(rt, modelId);
    if (needsShaderF16(rec) && !probe.shaderF16) {
      throw new AppError(ErrorName.ShaderF16Missing, lacksShaderF16(`"${modelId}"`));
    }
    if (this.info?.modelId === modelId && this.backend === cacheBackend) return this.info;
    await this.lock.acquire();
    const engine = this.engineFor(rt, cacheBackend);
    const started = this.now();
    const progress = throttle<LoadProgress>((p) => onProgress?.(p), this.opts.progressIntervalMs ?? 100, this.now);
    this.onReport = (r) => progress.push(toProgress(modelId, r, (this.now() - started) / 1000));
    this.model = null;
    this.info = null;
    try {
      await engine.reload(modelId);
    } catch (err) {
      progress.cancel();
      this.lock.releaseLock();
      throw mapWebLlmError(err);
    } finally {
      this.onReport = null;
    }
    progress.push({ modelId, progress: 1, elapsedS: (this.now() - started) / 1000, etaS: 0, text: 'Model loaded.' });
    progress.flush();
    const contextWindow = contextWindowOf(rec);
    this.model = new WebLlmChatModel(engine, modelId, { contextWindow });
    this.info = { engine: 'webllm', modelId, contextWindow };
    return this.info;
  }

  private engineFor(rt: WebLlmRuntime, cacheBackend: CacheBackend): MlcEngineLike {
    if (this.engine && this.backend === cacheBackend) return this.engine;
    // A different cache backend needs a new engine; the old one's model is dropped.
    void this.engine?.unload().catch(() => undefined);
    this.engine = rt.createEngine({
      appConfig: appConfigFor(rt, cacheBackend),
      initProgressCallback: (r) => this.onReport?.(r),
    });
    this.backend = cacheBackend;
    return this.engine;
  }

  private runtime(): Promise<WebLlmRuntime> {
    const rt = this.opts.runtime;
    if (typeof rt !== 'function') return Promise.resolve(rt);
    if (!this.runtimePromise) {
      this.runtimePromise = rt().catch((err: unknown) => {
        this.runtimePromise = null;
        throw new AppError(
          ErrorName.ModelDownload,
          'Could not load the in-browser engine code. Check your connection and reload the page.',
          { detail: err instanceof Error ? err.message : String(err), retryable: true },
        );
      });
    }
    return this.runtimePromise;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function record(rt: WebLlmRuntime, modelId: string): ModelRecord {
  const r = rt.modelList.find((m) => m.model_id === modelId);
  if (!r) {
    throw new AppError(ErrorName.InvalidInput, `"${modelId}" is not a known in-browser model. Pick one from the list.`);
  }
  return r;
}

function appConfigFor(rt: WebLlmRuntime, cacheBackend: CacheBackend): AppConfig {
  return { model_list: [...rt.modelList], cacheBackend };
}

/** ETA from the observed rate; null until there is enough progress to extrapolate. */
export function toProgress(modelId: string, r: InitProgressReport, elapsedS: number): LoadProgress {
  const p = Math.max(0, Math.min(1, r.progress));
  const elapsed = Number.isFinite(r.timeElapsed) && r.timeElapsed > 0 ? r.timeElapsed : elapsedS;
  const etaS = p >= 1 ? 0 : p > 0.01 && elapsed > 0.5 ? (elapsed * (1 - p)) / p : null;
  return { modelId, progress: p, elapsedS: elapsed, etaS, text: r.text };
}
