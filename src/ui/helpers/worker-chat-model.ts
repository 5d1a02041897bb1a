/**
 * A ChatModel that runs in the worker: each call goes through WorkerClient.chat with plain data,
 * so page-side algorithms (the evaluation) drive WebLLM or an endpoint without owning an engine.
 */
import type { ChatModel, ChatRequest, ChatResult, ModelCapabilities } from '../../core/contracts/chat-model';
import { AppError, ErrorName } from '../../core/contracts/errors';
import type { RoleBinding } from '../../core/contracts/run-config';
import type { WorkerClient } from '../../client/worker-client';
import type { PlainChatRequest } from '../../protocol/worker-api';

/** The slice of WorkerClient used here (tests pass a fake). */
export type ChatClient = Pick<WorkerClient, 'chat' | 'cancel' | 'newJobId'>;

/**
 * The worker's chat boundary carries the JSON Schema (plain data) and the adapter maps it to the
 * engine's structured output; every evaluation prompt also spells out the JSON it wants.
 */
const CAPABILITIES: ModelCapabilities = {
  jsonSchema: true,
  logprobs: false,
  seed: true,
  multipleChoices: false,
  contextWindow: 4096,
  embeddings: false,
  rawCompletion: false,
};

export class WorkerChatModel implements ChatModel {
  readonly id: string;
  readonly engine: RoleBinding['engine'];
  readonly capabilities: ModelCapabilities;

  constructor(
    private readonly client: ChatClient,
    private readonly binding: RoleBinding,
    capabilities: Partial<ModelCapabilities> = {},
  ) {
    this.id = binding.modelId;
    this.engine = binding.engine;
    this.capabilities = { ...CAPABILITIES, ...capabilities };
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    const { signal } = req;
    if (signal?.aborted) throw new AppError(ErrorName.Abort, 'Stopped.');
    const plain: PlainChatRequest = { messages: req.messages.map((m) => ({ role: m.role, content: m.content })) };
    if (req.temperature !== undefined) plain.temperature = req.temperature;
    if (req.top_p !== undefined) plain.top_p = req.top_p;
    if (req.max_tokens !== undefined) plain.max_tokens = req.max_tokens;
    if (req.seed !== undefined) plain.seed = req.seed;
    if (req.json) plain.json = { name: req.json.name, schema: req.json.schema };
    const jobId = this.client.newJobId();
    const onAbort = () => void this.client.cancel(jobId).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const onStream = req.onToken ? (b: { text: string }) => b.text && req.onToken?.(b.text) : undefined;
      return await this.client.chat(jobId, { ...this.binding }, plain, onStream);
    } catch (err) {
      if (signal?.aborted) throw new AppError(ErrorName.Abort, 'Stopped.', { cause: err });
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
