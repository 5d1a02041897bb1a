/** The model realm: adapters that implement core's ChatModel. The WebLLM adapter is imported by the worker only. */
export type {
  ChatChoice,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResult,
  ChatRole,
  CompletionRequest,
  EngineKind,
  FinishReason,
  JsonSchema,
  ModelCapabilities,
  StructuredOutput,
  TokenLogprob,
  TopLogprob,
  Usage,
} from '../core/chat-model';
export { ENGINE_KINDS } from '../core/chat-model';
export { OpenAICompatibleModel, OPENAI_DEFAULT_CAPABILITIES } from './openai-compatible';
export type { OpenAICompatibleOptions } from './openai-compatible';
export { listEndpointModels, assertModelListed, closeMatches, parseModelList } from './endpoint';
export type { ListModelsOptions } from './endpoint';
export { normalizeBaseUrl } from './url';
export { estimateTokens, estimateUsage } from './openai-wire';
export type { SleepFn } from './http';
