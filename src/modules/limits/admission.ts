import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import pLimit from 'p-limit';
import { clientClosedRequest } from '../../errors.js';

export interface OperationAdmission {
  plugin: Plugin;
  /** Operations executing now. */
  running(): number;
  /** Operations waiting for a turn. */
  waiting(): number;
}

/**
 * At most `concurrency` queries and mutations execute at once; the others wait in arrival order.
 * A request whose client goes away while it waits (a closed tab, a load balancer's timeout) is
 * dropped when its turn comes, before it touches the database. Without this, a burst far above
 * capacity leaves minutes of abandoned work queued in the database pool after its clients left.
 * Operations already running finish: at most `concurrency` of them, and yoga's per-field
 * cancellation check costs more CPU (about 3 % of a dashboard query) than it would save here.
 * Subscriptions are not held here: they live for hours and cost nothing while idle.
 */
export function createOperationAdmission(concurrency: number): OperationAdmission {
  const limit = pLimit(concurrency);
  const plugin: Plugin = {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args: ExecutionArgs) => {
        const signal = (args.contextValue as { request?: Request } | undefined)?.request?.signal;
        return limit(() =>
          signal?.aborted ? { errors: [clientClosedRequest()] } : executeFn(args),
        );
      });
    },
  };
  return {
    plugin,
    running: () => limit.activeCount,
    waiting: () => limit.pendingCount,
  };
}
