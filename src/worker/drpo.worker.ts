/**
 * The worker entry: the only place that imports @mlc-ai/web-llm at runtime (lazily) and the only `Comlink.expose`.
 * The engine is created directly (no WebWorkerMLCEngineHandler: Comlink owns this worker's messages).
 */
import * as Comlink from 'comlink';
import { listEndpointModels } from '../llm/endpoint';
import { OpenAICompatibleModel } from '../llm/openai-compatible';
import { installComlinkErrorTransfer } from './comlink-errors';
import { releasingCallbacks } from './comlink-release';
import { probeGpu } from './gpu-probe';
import { createWorkerApi } from './worker-api-impl';

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
  // The store helper's IndexedDB sink is wired here by the lead (src/store/run-sink.ts).
});

Comlink.expose(releasingCallbacks(api));
