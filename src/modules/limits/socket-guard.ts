import type { Logger } from 'pino';
import type { WebSocket } from 'ws';

/** RFC 6455 close codes the guard uses (PRODUCT.md: abuse 1008, overload 1013). */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;

export interface SocketGuardOptions {
  /** More subscribe messages than this within `windowMs` close the socket with 1008. */
  maxSubscribes: number;
  windowMs: number;
  /** Unsent bytes past which the socket is closed with 1013 (the client does not keep up). */
  maxBufferedBytes: number;
  logger?: Pick<Logger, 'warn'>;
  now?: () => number;
}

export interface SocketGuard {
  /** Starts watching a new socket; it is forgotten when it closes. */
  attach(socket: WebSocket): void;
  /**
   * Records one `subscribe` message. Returns true when it is one too many: the socket is then
   * being closed with 1008 and the operation must not run.
   */
  subscribed(socket: WebSocket): boolean;
  /** Sockets watched now, and how many were closed for flooding (1008) or slowness (1013). */
  stats(): { sockets: number; floodClosed: number; slowClosed: number };
}

interface Tracked {
  /** Times of the last `maxSubscribes` subscribes, a ring; `oldest` indexes the oldest one. */
  times: Float64Array | undefined;
  oldest: number;
}

/**
 * Per-socket abuse and overload protection for the graphql-ws bridge, outside graphql-ws: a
 * sliding-window cap on subscribe messages (a subscribe/complete flood costs a parse, a
 * validation and a context each time, while the running-subscriptions cap never trips), and a
 * bound on each socket's send buffer (a client that stops reading would otherwise make the
 * server buffer every message for it).
 */
export function createSocketGuard(options: SocketGuardOptions): SocketGuard {
  const { maxSubscribes, windowMs, maxBufferedBytes, logger, now = Date.now } = options;
  const sockets = new Map<WebSocket, Tracked>();
  const closed = { floodClosed: 0, slowClosed: 0 };

  function watchBuffer(socket: WebSocket) {
    const send = socket.send.bind(socket) as (...args: unknown[]) => void;
    // graphql-ws sends through socket.send; checking after each send bounds the buffer to the
    // threshold plus one message.
    socket.send = ((...args: unknown[]) => {
      send(...args);
      if (socket.readyState === socket.OPEN && socket.bufferedAmount > maxBufferedBytes) {
        logger?.warn(
          { bufferedBytes: socket.bufferedAmount },
          'closing a WebSocket that reads too slowly',
        );
        // Later sends are dropped by ws once closing; if the peer never reads the close frame,
        // ws destroys the socket after its close timeout.
        closed.slowClosed += 1;
        socket.close(CLOSE_TRY_AGAIN_LATER, 'Try again later: the client reads too slowly');
      }
    }) as WebSocket['send'];
  }

  return {
    attach(socket) {
      sockets.set(socket, { times: undefined, oldest: 0 });
      socket.once('close', () => sockets.delete(socket));
      watchBuffer(socket);
    },
    subscribed(socket) {
      const tracked = sockets.get(socket);
      if (!tracked) return false;
      const at = now();
      tracked.times ??= new Float64Array(maxSubscribes).fill(-Infinity);
      // The subscribe `maxSubscribes` messages ago is still inside the window: this one is the
      // (max + 1)-th within it.
      if (tracked.times[tracked.oldest]! > at - windowMs) {
        if (socket.readyState === socket.OPEN) {
          logger?.warn({ maxSubscribes, windowMs }, 'closing a WebSocket flooding subscribes');
          closed.floodClosed += 1;
          socket.close(CLOSE_POLICY_VIOLATION, 'Too many subscribe messages');
        }
        return true;
      }
      tracked.times[tracked.oldest] = at;
      tracked.oldest = (tracked.oldest + 1) % maxSubscribes;
      return false;
    },
    stats: () => ({ sockets: sockets.size, ...closed }),
  };
}
