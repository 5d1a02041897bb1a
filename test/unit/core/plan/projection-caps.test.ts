/**
 * The Run page projects a run before any of its models exists, the run (Live) and `drpo optimize` once they
 * do: all three read the models' capabilities through projectionCaps, the page from each role's engine. The
 * audit found the page projecting without them (Quick: ~165 calls on the card, ~155 on Live and the CLI).
 */
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../../../src/core/plan/presets';
import { projectionCaps, projectRun } from '../../../../src/core/plan/projection';
import { ENGINE_CAPABILITIES } from '../../../../src/core/contracts/chat-model';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import { PRESET_NAMES, ROLES } from '../../../../src/core/contracts/run-config';
import type { Role, RoleBinding } from '../../../../src/core/contracts/run-config';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import { WebLlmChatModel } from '../../../../src/llm/webllm/webllm-adapter';
import type { WebLlmEngineLike } from '../../../../src/llm/webllm/webllm-adapter';
import { SYNTHETIC_QUERIES } from '../../../fixtures/scripted-drpo-model';

/** The model the worker (or the CLI) builds for a binding. */
function built(b: RoleBinding): ChatModel {
  return b.engine === 'openai'
    ? new OpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:8080/v1', model: b.modelId })
    : new WebLlmChatModel({} as WebLlmEngineLike, b.modelId);
}

const openai: RoleBinding = { engine: 'openai', modelId: 'served', endpointId: 'e1' };
const local: RoleBinding = { engine: 'webllm', modelId: 'local' };

describe('projectionCaps', () => {
  it('declares for each engine what its adapter declares for every model', () => {
    for (const b of [openai, local]) expect(built(b).capabilities).toMatchObject(ENGINE_CAPABILITIES[b.engine]);
  });

  it('projects from the bindings exactly what the run and the CLI project from the models they built', () => {
    const mixes: Partial<Record<Role, RoleBinding>>[] = [
      { policy: openai },
      { policy: local },
      { policy: local, judge: openai },
      { policy: openai, optimizer: local },
    ];
    for (const roles of mixes) {
      for (const preset of PRESET_NAMES) {
        const config = buildRunConfig(preset, {
          roles,
          trainQueries: SYNTHETIC_QUERIES.slice(0, 20),
          validationQueries: SYNTHETIC_QUERIES.slice(20, 32),
        });
        const models = Object.fromEntries(ROLES.map((r) => [r, built(config.roles[r])])) as Record<Role, ChatModel>;
        expect(projectRun(config, projectionCaps(config.roles))).toEqual(projectRun(config, projectionCaps(models)));
      }
    }
  });

  it('matters: an endpoint optimizer writes its rewrites in one call, and the projection counts so', () => {
    const config = buildRunConfig('quick', {
      roles: { policy: openai },
      trainQueries: SYNTHETIC_QUERIES.slice(0, 20),
      validationQueries: SYNTHETIC_QUERIES.slice(20, 32),
    });
    const withCaps = projectRun(config, projectionCaps(config.roles));
    expect(withCaps.perRole.optimizer.calls).toBeLessThan(projectRun(config).perRole.optimizer.calls);
  });
});
