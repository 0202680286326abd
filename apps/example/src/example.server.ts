import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AdminApiOptions } from './admin-api';
import { createExampleApp } from './example.app';

export interface ExampleServerOptions extends AdminApiOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface ExampleServer {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  close(): Promise<void>;
}

/** Starts the example app listening; `close()` stops it, dropping kept-alive connections. */
export async function startExampleApp({ port, host = '127.0.0.1', ...admin }: ExampleServerOptions): Promise<ExampleServer> {
  const app = createExampleApp(admin);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
