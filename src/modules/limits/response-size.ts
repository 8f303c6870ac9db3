import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooComplex } from './limit-errors.js';

/**
 * Whether `value` serialized as JSON would take more than `max` bytes. Counts as it walks and
 * stops as soon as it is over, so a huge answer costs no more than `max` bytes of walking; the
 * count is JSON's to within a few bytes per value (string escapes aside).
 */
export function exceedsJsonBytes(value: unknown, max: number): boolean {
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') bytes += Buffer.byteLength(next) + 2;
    else if (typeof next === 'number' || typeof next === 'boolean') bytes += String(next).length;
    else if (next === null || next === undefined) bytes += 4;
    else if (Array.isArray(next)) {
      bytes += 1 + next.length;
      for (const item of next) pending.push(item);
    } else if (typeof next === 'object') {
      if (typeof (next as { toJSON?: unknown }).toJSON === 'function') {
        pending.push((next as { toJSON: () => unknown }).toJSON());
        continue;
      }
      bytes += 2;
      for (const [key, entry] of Object.entries(next)) {
        bytes += Buffer.byteLength(key) + 4;
        pending.push(entry);
      }
    }
    if (bytes > max) return true;
  }
  return false;
}

/** A query's or mutation's result (not a subscription's stream of them). */
export const isSingleResult = (result: unknown): result is ExecutionResult =>
  typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);

/**
 * Caps the bytes of one answer (a query's result, each event of a subscription) on every
 * transport: the cost model bounds what a question may produce, this bounds what the server
 * buffers for it whatever the model missed (long strings, wide objects). An answer over the
 * cap is replaced by a QUERY_TOO_COMPLEX error (`limit: responseBytes`, 400 on HTTP, an `error`
 * message over graphql-ws), never sent half-way.
 */
export function useResponseSizeLimit(maxBytes: number): Plugin {
  const capped = (result: ExecutionResult): ExecutionResult | undefined => {
    if (!exceedsJsonBytes(result.data, maxBytes)) return undefined;
    return {
      errors: [
        queryTooComplex(
          `The answer is larger than ${maxBytes} bytes; ask for less (fewer items, a shorter range, a coarser interval).`,
          { limit: 'responseBytes', max: maxBytes },
        ),
      ],
      ...(result.extensions ? { extensions: result.extensions } : {}),
    };
  };
  const onNext = ({
    result,
    setResult,
  }: {
    result: ExecutionResult;
    setResult: (result: ExecutionResult) => void;
  }) => {
    const replacement = capped(result);
    if (replacement) setResult(replacement);
  };
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (!isSingleResult(result)) return { onNext };
        const replacement = capped(result);
        if (replacement) setResult(replacement);
        return undefined;
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (!isSingleResult(result)) return { onNext };
        const replacement = capped(result);
        if (replacement) setResult(replacement);
        return undefined;
      },
    }),
  };
}
