import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { ConnectionDrainer } from './connection-drainer';

/**
 * A constructor of `base` instances born with `prototype`: Node's server creates its requests and responses
 * with `new`, and this runs Node's own constructor on an object that already has Express's prototype.
 * Node's IncomingMessage and ServerResponse are plain functions, so they can run on `this` (Reflect.construct
 * would work for classes too, but its objects take V8's slow paths again). Should a later Node make them
 * classes, the server falls back to Node's constructors and Express's prototype change.
 */
function bornWith<C extends new (...args: never[]) => object>(base: C, prototype: object): C {
  if (/^class\b/.test(Function.prototype.toString.call(base))) return base;
  const construct = base as unknown as (this: object, ...args: unknown[]) => void;
  function Constructed(this: object, ...args: unknown[]): void {
    construct.apply(this, args);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as C;
}

/**
 * Nest's Express adapter, with an HTTP server whose requests and responses are born with the Express app's
 * prototypes (`app.request`, `app.response`). Express gives each request its methods by changing the
 * prototype of Node's objects as the request arrives (`Object.setPrototypeOf` in `app.handle`); after
 * that V8 takes its slow paths in every Node internal that touches them, and a no-op route cost 2.5 times
 * the CPU of one without the change (250 against 100 µs a request on this project's 2-core machine). Born
 * with those prototypes, the objects need no change: `setPrototypeOf` sees the prototype they already have
 * and does nothing, and Express behaves exactly as before.
 */
export class HydrantExpressAdapter extends ExpressAdapter {
  private readonly connections = new ConnectionDrainer();

  /** Hydrant serves plain HTTP (TLS ends in front of it) and never asks Nest to force-close connections. */
  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.forceCloseConnections) throw new Error('HydrantExpressAdapter serves plain HTTP only');
    const app = this.getInstance<Express>();
    const server = createServer(
      { IncomingMessage: bornWith(IncomingMessage, app.request), ServerResponse: bornWith(ServerResponse, app.response) as typeof ServerResponse },
      this.connections.listener(app),
    );
    this.connections.track(server);
    this.httpServer = server;
  }

  /**
   * Shutdown, before the app's close(): stops accepting and ends every kept-alive connection without losing
   * a request a client sent (connection-drainer.ts); idle connections wait `lingerMs` for one on its way.
   */
  drain(lingerMs: number): Promise<void> {
    return this.connections.drain(this.httpServer as Server, lingerMs);
  }
}
