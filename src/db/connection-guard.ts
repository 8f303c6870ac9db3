import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { DatabaseUnavailableError } from './errors.js';

export interface ConnectionGuardOptions {
  /**
   * A connection that sent something and then hears nothing back for this long is dropped.
   * PostgreSQL answers every statement within statement_timeout, so only a dead or stalled
   * peer stays silent longer; a stalled TCP connection never errors on its own.
   */
  silenceMs: number;
  /** While the database is unreachable, one real connection attempt per interval probes it. */
  probeIntervalMs: number;
}

/** The slice of postgres.js's options its `socket` factory receives. */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
  ssl?: unknown;
}

/** The first message of a connection that only cancels another one's query. */
const isCancelRequest = (chunk: unknown) =>
  Buffer.isBuffer(chunk) && chunk.length === 16 && chunk.readInt32BE(4) === 80877102;

type Stream = Socket | Duplex;

/**
 * postgres.js 3.4.9 mishandles a connection that dies with work on it (porsager/postgres#1208,
 * #1215): on 'close' it drops its socket, so the ROLLBACK its `begin()` sends next is written to
 * nothing, an uncaught TypeError that ends the process; and a write still waiting for its tick at
 * 'close' stays in its buffer, garbling that connection's every later attempt. So its queries
 * are failed first (an 'error'), and 'close' waits for the write that follows (the ROLLBACK, or a
 * query the pool sent meanwhile): delivered from inside postgres.js's flush, which empties its
 * buffer right after. Without a write, 'close' follows once that tick has passed.
 */
function deferClose<T extends Stream>(stream: T, onClose: () => void): T {
  const emit = stream.emit.bind(stream) as (event: string, ...args: unknown[]) => boolean;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let failed = false;
  let deliverClose: (() => void) | undefined;
  stream.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'error') failed = true;
    if (event !== 'close') return emit(event, ...args);
    onClose();
    // postgres.js stops listening on a socket it hands over to TLS: then nobody would catch this.
    if (!failed && stream.listenerCount('error') > 0)
      emit('error', new DatabaseUnavailableError('The database connection closed.'));
    let fallback: NodeJS.Timeout | undefined;
    deliverClose = () => {
      deliverClose = undefined;
      clearTimeout(fallback);
      emit('close', ...args);
    };
    setImmediate(() => (fallback = setTimeout(() => deliverClose?.(), 0)));
    return true;
  }) as T['emit'];
  stream.write = ((...args: unknown[]) => {
    if (!deliverClose) return write(...args);
    deliverClose();
    return false;
  }) as T['write'];
  return stream;
}

/**
 * A postgres.js `socket` factory that bounds how long a query can wait on the network. It drops
 * silent connections (postgres.js then fails their queries and reconnects on demand), and while
 * the database is unreachable it fails new connections at once instead of letting every query
 * queue behind connection attempts that time out one by one.
 */
export function createConnectionGuard(options: ConnectionGuardOptions) {
  let unreachable = false;
  let lastProbeAt = 0;
  let nextHost = 0;
  const watched = new Set<Socket>();

  /**
   * One silent connection means the server stopped answering, and the others (idle ones too)
   * would each wait out the silence in turn on the next query: drop them all together.
   */
  function dropAll() {
    unreachable = true;
    lastProbeAt = performance.now();
    for (const socket of watched) socket.destroy();
  }

  function refuse(): Duplex {
    // Fails on postgres.js's first write rather than at once: that write waits for the next
    // tick, and a socket closed before then would leave it to corrupt the next connection.
    const socket = new Duplex({
      read() {},
      write: (_chunk, _encoding, done) => done(new DatabaseUnavailableError()),
    });
    return deferClose(socket, () => {});
  }

  function watch(socket: Socket): Socket {
    let heardBack = false;
    let silence: NodeJS.Timeout | undefined;
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      // The server answers a cancel request by closing: no sign of an outage.
      if (isCancelRequest(args[0])) heardBack = true;
      silence ??= setTimeout(dropAll, options.silenceMs);
      return write(...args);
    }) as Socket['write'];
    socket.on('data', () => {
      heardBack = true;
      unreachable = false;
      clearTimeout(silence);
      silence = undefined;
    });
    watched.add(socket);
    return deferClose(socket, () => {
      watched.delete(socket);
      clearTimeout(silence);
      if (!heardBack) unreachable = true;
    });
  }

  return function socketFactory(target: SocketTarget): Stream {
    const index = nextHost++ % target.host.length;
    const dial = () =>
      target.path
        ? connect(target.path)
        : connect(target.port[index] ?? target.port[0]!, target.host[index]);
    // Under TLS postgres.js reads and writes through its own TLS socket, out of this one's sight.
    if (target.ssl) return dial();
    if (unreachable) {
      const now = performance.now();
      if (now - lastProbeAt < options.probeIntervalMs) return refuse();
      lastProbeAt = now;
    }
    return watch(dial());
  };
}
