/**
 * The worker entry: the only place that imports @mlc-ai/web-llm at runtime (lazily) and the only `Comlink.expose`.
 * The engine is created directly (no WebWorkerMLCEngineHandler: Comlink owns this worker's messages).
 */
import * as Comlink from 'comlink';
import { listEndpointModels } from '../llm/openai/endpoint';
import { OpenAICompatibleModel } from '../llm/openai/openai-compatible';
import { installComlinkErrorTransfer } from '../protocol/error-transfer';
import { releasingCallbacks } from './comlink-release';
import { probeGpu } from '../protocol/gpu-probe';
import { createWorkerApi } from './worker-api-impl';
import { noopRunSink } from '../protocol/run-sink';
import { openStore } from '../store/store';
import { createRunSink } from '../store/store-sink';

installComlinkErrorTransfer();

const api = createWorkerApi({
  probeGpu: () => probeGpu(),
  // Loaded on first use: probing the GPU and endpoint-only use never pay for the 6.8 MB package.
  webllm: async () => {
    const w = await import('@mlc-ai/web-llm');
    return {
      modelList: w.prebuiltAppConfig.model_list,
      createEngine: (config) => new w.MLCEngine(config),
      hasModelInCache: w.hasModelInCache,
      deleteModelAllInfoInCache: w.deleteModelAllInfoInCache,
    };
  },
  endpoints: {
    listModels: (opts) => listEndpointModels(opts),
    createModel: (opts) => new OpenAICompatibleModel(opts),
  },
  // The worker persists runs itself (docs/storage.md). Without IndexedDB (private mode) the worker's
  // store would be a memory store the page cannot see, so the page persists from events instead.
  sink: async () => {
    const store = await openStore();
    return store.persistent ? createRunSink(store) : noopRunSink;
  },
});

Comlink.expose(releasingCallbacks(api));
