import { request, type Dispatcher } from 'undici';
import { webhookUrlProblem, type EgressPolicy } from './ssrf.js';

/** Response bytes kept for the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 1024;
/** Response bytes read at most (the rest is dropped with the connection). */
const MAX_RESPONSE_READ_BYTES = 64 * 1024;

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface AttemptResponse {
  startedAt: Date;
  durationMs: number;
  /** Null when no response came (refused, blocked, timed out). */
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  retryAfter: string | null;
}

/**
 * One POST, redirects not followed (a 3xx is a failure), bounded by `timeoutMs` from start to
 * the end of the response. The URL is checked against the egress policy again first (the rules
 * or the endpoint may have changed since it was saved); the dispatcher checks the address.
 */
export async function sendAttempt(
  dispatcher: Dispatcher,
  policy: EgressPolicy,
  attempt: AttemptRequest,
  timeoutMs: number,
  now: () => Date = () => new Date(),
): Promise<AttemptResponse> {
  const startedAt = now();
  const started = performance.now();
  const finish = (fields: Partial<AttemptResponse>): AttemptResponse => ({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    statusCode: null,
    error: null,
    responseExcerpt: null,
    retryAfter: null,
    ...fields,
  });
  const problem = webhookUrlProblem(policy, attempt.url);
  if (problem) return finish({ error: `URL refused: ${problem}` });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await request(attempt.url, {
      method: 'POST',
      headers: attempt.headers,
      body: attempt.body,
      dispatcher,
      signal,
    });
    const excerpt = await readExcerpt(response.body);
    const retryAfter = response.headers['retry-after'];
    return finish({
      statusCode: response.statusCode,
      responseExcerpt: excerpt,
      retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
    });
  } catch (error) {
    if (signal.aborted) return finish({ error: `timed out after ${timeoutMs} ms` });
    return finish({ error: describe(error) });
  }
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (read < RESPONSE_EXCERPT_BYTES) chunks.push(buffer);
    read += buffer.length;
    if (read >= MAX_RESPONSE_READ_BYTES) {
      body.destroy();
      break;
    }
  }
  // A cut inside a multi-byte character decodes to U+FFFD, which is fine for a log.
  return Buffer.concat(chunks)
    .subarray(0, RESPONSE_EXCERPT_BYTES)
    .toString('utf8')
    .replaceAll('\u0000', '');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: string }).code;
  const text = code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  return cause instanceof Error && cause.message !== error.message
    ? `${text} (${cause.message})`
    : text;
}
