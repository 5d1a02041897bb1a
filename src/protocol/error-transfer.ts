/**
 * Comlink's default error transfer keeps only `name`, `message` and `stack` of thrown Error objects,
 * and passes anything else through structured clone. We also need `detail`, `status` and `retryable`
 * (AppError), so both sides replace the 'throw' handler with one that ships a SerializedError and
 * rebuilds an AppError. Must be installed in the worker AND in the page (it is idempotent).
 */
import * as Comlink from 'comlink';
import { deserializeError, serializeError } from '../core/contracts/errors';
import type { SerializedError } from '../core/contracts/errors';

interface WireError {
  isError: true;
  value: SerializedError;
}

const INSTALLED = Symbol.for('drpo-studio.comlink-errors');

export function installComlinkErrorTransfer(): void {
  const registry = globalThis as unknown as Record<symbol, boolean>;
  if (registry[INSTALLED]) return;
  const original = Comlink.transferHandlers.get('throw');
  if (!original) return;
  const handler: Comlink.TransferHandler<{ value: unknown }, WireError> = {
    canHandle: (v: unknown): v is { value: unknown } => original.canHandle(v),
    serialize: ({ value }) => [{ isError: true, value: serializeError(value) }, []],
    deserialize: (wire) => {
      // Rebuilds a named AppError so callers can branch on its name.
      throw deserializeError(wire.value);
    },
  };
  Comlink.transferHandlers.set('throw', handler as Comlink.TransferHandler<unknown, unknown>);
  registry[INSTALLED] = true;
}
