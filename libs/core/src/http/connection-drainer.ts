import { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Server as NetServer, Socket } from 'node:net';

/** How long a connection told to close may keep its side open before it is cut. */
const HALF_CLOSED_LIMIT_MS = 2000;

/**
 * Ends an HTTP server's connections on shutdown without losing a request that a client had sent.
 *
 * A kept-alive client sends its next request whenever it likes; a server that closes an idle connection at
 * the moment that request arrives resets it, and clients do not retry a POST. `http.Server.close()` does
 * exactly that: it destroys every idle connection at once, and a response finished later leaves its
 * connection open for the next request, which the following sweep resets. So once draining:
 *
 * - the listener stops accepting at once;
 * - every response not yet begun says `Connection: close`, and Node closes its connection after it;
 * - a connection that is idle lingers a moment, so that a request already on its way is answered (with
 *   `Connection: close`) instead of reset;
 * - then it is closed gracefully: a FIN, and a request that still crosses it is read and never served, so
 *   the client sees a clean close (its request did nothing) rather than a reset.
 *
 * Its cost while serving is one WeakMap write per request.
 */
export class ConnectionDrainer {
  private readonly sockets = new Set<Socket>();
  /** The latest response of each connection; one that has not ended means the connection is busy. */
  private readonly current = new WeakMap<Socket, ServerResponse>();
  /** Connections closed by the drainer: what arrives on them is not served. */
  private readonly closed = new WeakSet<Socket>();
  private draining = false;

  /** Wraps the app's request listener; `track` must see the server's connections. */
  listener(app: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      if (this.draining) {
        if (this.closed.has(req.socket)) {
          req.resume(); // read, never served: the client has been told that the connection closes
          return;
        }
        res.setHeader('Connection', 'close');
      }
      this.current.set(req.socket, res);
      app(req, res);
    };
  }

  track(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /**
   * Stops accepting and closes every connection as described above; settles once none is left. A
   * request in flight is waited for however long it takes.
   */
  drain(server: Server, lingerMs: number): Promise<void> {
    this.draining = true;
    // net.Server's close stops the listener and reports when the last connection is gone; http.Server's
    // would also destroy the idle connections at once.
    const done = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    for (const socket of this.sockets) {
      const res = this.current.get(socket);
      if (!res || res.writableEnded) this.linger(socket, lingerMs);
      else if (!res.headersSent) res.setHeader('Connection', 'close');
      // Its headers went out before the signal without `Connection: close`: the client may send again.
      else res.once('finish', () => this.linger(socket, lingerMs));
    }
    return done;
  }

  /** Closes an idle connection after `lingerMs`, unless a request came meanwhile (its answer closes the connection). */
  private linger(socket: Socket, lingerMs: number): void {
    setTimeout(() => {
      const res = this.current.get(socket);
      if (socket.destroyed || (res && !res.writableEnded)) return;
      this.closed.add(socket);
      socket.end();
      setTimeout(() => socket.destroy(), HALF_CLOSED_LIMIT_MS).unref();
    }, lingerMs).unref();
  }
}
