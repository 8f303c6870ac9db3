import type { IncomingMessage } from 'node:http';
import { BREAK, GraphQLError, visit, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../../db/client.js';
import type { Config, ProtectionConfig, Tier } from '../../env.js';
import { badUserInput } from '../../errors.js';
import {
  containsUnstorableText,
  isStorableText,
  UNSTORABLE_TEXT_MESSAGE,
} from '../common/input.js';
import { useArmor, withoutSuggestion } from './armor.js';
import { operationCost } from './cost-model.js';
import { persistedQueryRequired, queryTooComplex, rateLimited } from './limit-errors.js';
import { PersistedDocuments, usePersistedDocuments } from './persisted-documents.js';
import {
  RateLimits,
  rateLimitHeader,
  rateLimitPolicyHeader,
  type RateDecision,
  type WindowState,
} from './rate-limit.js';
import { isIntrospectionOnly } from '../auth/require-viewer.js';
import { isSingleResult } from './response-size.js';
import { UsageRecorder, usageCredential } from './usage-recorder.js';

/** Rate limits, cost limits, persisted documents and usage, as the rest of the app sees them. */
export interface LimitsService {
  readonly config: ProtectionConfig;
  readonly rateLimits: RateLimits;
  readonly usage: UsageRecorder;
  readonly persistedDocuments: PersistedDocuments;
  tierOf(viewer: Viewer | null): Tier;
  /**
   * The rate-limit budget a viewer draws on: one per account, shared by all its API keys and
   * OAuth grants (a new key is not a new budget; tier limits are the account's).
   */
  budgetKeyOf(viewer: Viewer): string;
  /** What is left of the viewer's quotas, without counting anything. */
  quotaOf(viewer: Viewer): Promise<WindowState[]>;
  /** Writes pending usage and lets go of the rate-limit store. */
  stop(): Promise<void>;
}

/** What every response reports in `extensions.cost`. */
export interface CostReport {
  /** This operation's cost (null when it could not be measured: its variables are invalid). */
  requested: number | null;
  /** The largest cost one operation of this tier may have. */
  limit: number;
  tier: Tier;
  /** Whether limits are enforced (they are, outside tests). */
  enforced: { cost: boolean; rate: boolean };
  /** What is left of the rate-limit quotas after this operation. */
  rateLimit: Partial<Record<WindowState['name'], Omit<WindowState, 'name'>>> | null;
}

/** The parts of yoga's context these plugins read (HTTP: request; WebSocket: req). */
type ServerContext = {
  request?: Request;
  req?: IncomingMessage;
  params?: { query?: unknown; variables?: Record<string, unknown>; operationName?: string | null };
};

/** What the limit plugins read of a request's context. */
type LimitsContext = ServerContext & { viewer: Viewer | null };

const FIRST_PARTY_HEADERS = ['x-pulse-client', 'apollographql-client-name'];

function headerOf(context: ServerContext, name: string): string | undefined {
  const fromFetch = context.request?.headers.get(name);
  if (fromFetch) return fromFetch;
  const fromNode = context.req?.headers[name];
  return Array.isArray(fromNode) ? fromNode[0] : fromNode;
}

function reportOf(
  cost: number | undefined,
  tier: Tier,
  config: ProtectionConfig,
  decision: RateDecision | undefined,
  windows: WindowState[] | undefined,
): CostReport {
  const shown = decision?.windows ?? windows;
  return {
    requested: cost ?? null,
    limit: config.tiers[tier].maxCost,
    tier,
    enforced: { cost: config.costLimit.enabled, rate: config.rateLimit.enabled },
    rateLimit: shown
      ? Object.fromEntries(shown.map(({ name, ...window }) => [name, window]))
      : null,
  };
}

/** Whether a string literal in the document is text PostgreSQL cannot store. */
function documentHasUnstorableText(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!isStorableText(node.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const withCost = (result: ExecutionResult, report: CostReport): ExecutionResult => ({
  ...result,
  extensions: { ...result.extensions, cost: report },
});

export function createLimits({ config, db, logger }: { config: Config; db: Db; logger: Logger }): {
  service: LimitsService;
  plugins: Plugin[];
} {
  const protection = config.protection;
  const rateLimits = new RateLimits(protection, db, logger.child({ component: 'rate-limit' }));
  const usage = new UsageRecorder(
    db,
    logger.child({ component: 'usage' }),
    protection.usageFlushIntervalMs,
  );
  const persistedDocuments = new PersistedDocuments(protection.persistedDocuments);
  const costCeiling = Math.max(...Object.values(protection.tiers).map((tier) => tier.maxCost));
  /** Cost per request context, measured at validation (where the variables are known). */
  const costs = new WeakMap<object, number | undefined>();
  /** Rate-limit outcome per HTTP request, for the response headers. */
  const decisions = new WeakMap<Request, RateDecision>();

  const service: LimitsService = {
    config: protection,
    rateLimits,
    usage,
    persistedDocuments,
    tierOf: (viewer) => viewer?.user.plan ?? 'anonymous',
    budgetKeyOf: (viewer) => `account:${viewer.user.id}`,
    quotaOf: (viewer) => rateLimits.peek(service.budgetKeyOf(viewer), service.tierOf(viewer)),
    async stop() {
      await usage.stop();
      await rateLimits.close();
    },
  };

  const isFirstParty = (context: ServerContext & { viewer: Viewer | null }) => {
    const clients = protection.persistedDocuments.firstPartyClients;
    const credential = context.viewer?.credential;
    if (credential?.kind === 'oauth' && clients.includes(credential.clientId)) return true;
    return FIRST_PARTY_HEADERS.some((name) => {
      const value = headerOf(context, name);
      return value !== undefined && clients.includes(value);
    });
  };

  /** Measures cost once the document is valid; over every tier's limit it is refused here. */
  const measureCost: Plugin = {
    onValidate({ context, params }) {
      return ({ valid }) => {
        if (!valid) return;
        const request = (context as ServerContext).params;
        let measured: ReturnType<typeof operationCost>;
        try {
          measured = operationCost(
            params.schema,
            params.documentAST,
            request?.operationName,
            request?.variables,
            { config },
          );
        } catch (error) {
          // An argument that cannot be read (a malformed global ID): what execution would say.
          if (error instanceof GraphQLError) {
            throw error.extensions['code'] ? error : badUserInput(error.message);
          }
          logger.error({ err: error }, 'query cost could not be computed');
          throw queryTooComplex('The cost of this operation could not be computed.');
        }
        // Variables that do not fit their types: refused here, before authentication and SQL.
        if (measured && 'variableErrors' in measured) {
          const [first] = measured.variableErrors;
          throw badUserInput(
            protection.armor.blockSuggestions ? withoutSuggestion(first!.message) : first!.message,
          );
        }
        // Refused as input here rather than failing (NUL) or silently changing (lone surrogates)
        // in SQL; the same rule as every other input path (modules/common/input.ts).
        if (
          containsUnstorableText(request?.variables) ||
          documentHasUnstorableText(params.documentAST)
        ) {
          throw badUserInput(UNSTORABLE_TEXT_MESSAGE);
        }
        const cost = measured?.cost;
        costs.set(context, cost);
        // Before authentication, so before any SQL: nothing may cost more than the top tier.
        if (protection.costLimit.enabled && cost !== undefined && cost > costCeiling) {
          throw queryTooComplex(
            `This operation costs ${cost}; no plan allows more than ${costCeiling}.`,
            { cost: { requested: cost, limit: costCeiling } },
          );
        }
      };
    },
  };

  /**
   * Admission of one operation (an HTTP query or mutation, an SSE or WebSocket subscription, a
   * WebSocket query): persisted-document policy, then the account's rate limit (every admitted
   * or refused operation counts), then the tier's cost limit. Returns the refusal, if any.
   */
  async function admit(
    document: DocumentNode,
    operationName: string | null | undefined,
    context: LimitsContext,
  ): Promise<{ refusal?: ExecutionResult; report: CostReport }> {
    const viewer = context.viewer;
    const tier = service.tierOf(viewer);
    const cost = costs.get(context);
    const record = (rejected: boolean) => {
      if (viewer) {
        usage.record(viewer.user.id, usageCredential(viewer.credential), {
          cost: rejected ? 0 : (cost ?? 0),
          rejected,
        });
      }
    };

    if (
      persistedDocuments.config.only !== 'off' &&
      !persistedDocuments.isKnown(context.params?.query) &&
      !isIntrospectionOnly(document, operationName) &&
      (persistedDocuments.config.only === 'all' || isFirstParty(context))
    ) {
      record(true);
      return {
        refusal: { errors: [persistedQueryRequired()] },
        report: reportOf(cost, tier, protection, undefined, undefined),
      };
    }

    let decision: RateDecision | undefined;
    if (rateLimits.enabled) {
      const key = viewer
        ? service.budgetKeyOf(viewer)
        : `ip:${context.req?.socket.remoteAddress ?? 'unknown'}`;
      decision = await rateLimits.consume(key, tier);
      if (context.request) decisions.set(context.request, decision);
    }
    const report = reportOf(cost, tier, protection, decision, undefined);
    if (decision && !decision.allowed) {
      record(true);
      const window = decision.exceeded!;
      const retryAfter = decision.retryAfterSeconds!;
      return {
        refusal: {
          errors: [
            rateLimited(
              `Rate limit reached: ${report.rateLimit?.[window]?.limit} operations per ${window} on the ${tier} plan. Retry in ${retryAfter} s.`,
              { window, retryAfter, tier },
              { 'Retry-After': String(retryAfter) },
            ),
          ],
        },
        report,
      };
    }

    if (protection.costLimit.enabled && cost !== undefined && cost > report.limit) {
      record(true);
      return {
        refusal: {
          errors: [
            queryTooComplex(
              `This operation costs ${cost}; the ${tier} plan allows ${report.limit} per operation. Ask for fewer items (first/last) or fewer nested lists.`,
              { cost: { requested: cost, limit: report.limit } },
            ),
          ],
        },
        report,
      };
    }
    record(false);
    return { report };
  }

  const enforce: Plugin<LimitsContext> = {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as LimitsContext;
      const { refusal, report } = await admit(args.document, args.operationName, context);
      if (refusal) {
        setResultAndStopExecution(withCost(refusal, report));
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (isSingleResult(result)) setResult(withCost(result, report));
        },
      };
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as LimitsContext;
      const { refusal, report } = await admit(args.document, args.operationName, context);
      if (refusal) setResultAndStopExecution(withCost(refusal, report));
    },
    onResponse({ request, response }) {
      const decision = decisions.get(request);
      if (!decision) return;
      response.headers.set('RateLimit-Policy', rateLimitPolicyHeader(decision.windows));
      response.headers.set('RateLimit', rateLimitHeader(decision.windows));
      if (!decision.allowed)
        response.headers.set('Retry-After', String(decision.retryAfterSeconds));
    },
  };

  return {
    service,
    plugins: [
      usePersistedDocuments(persistedDocuments),
      ...useArmor(protection.armor),
      measureCost,
      enforce as Plugin,
    ],
  };
}
