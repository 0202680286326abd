import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';

/**
 * A certificate for 127.0.0.1, ::1 and localhost, and its key, for https servers that tests start on
 * loopback (a sector_identifier_uri must be https). Made for tests only, valid 2020–2120, self-signed:
 * test servers of Hydrant trust it (test-runtime.ts) and nothing else does.
 */
export const LOOPBACK_TLS = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdud3yTp6isL52jD+
NbstB/r+7d6+e9zKZ9Y28Itxp5ShRANCAASU+y9pjyb2cVeZIX0Ur6pkZ4nPuHdw
nsS8B22LJRGHBAGGVMpXlYT5Q13ckpl2pZ0im6JW1yAIrz9NIy8DnS/f
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBtTCCAVygAwIBAgICEAAwCgYIKoZIzj0EAwIwIDEeMBwGA1UEAwwVaHlkcmFu
dCBsb29wYmFjayB0ZXN0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAw
WjAgMR4wHAYDVQQDDBVoeWRyYW50IGxvb3BiYWNrIHRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAASU+y9pjyb2cVeZIX0Ur6pkZ4nPuHdwnsS8B22LJRGHBAGG
VMpXlYT5Q13ckpl2pZ0im6JW1yAIrz9NIy8DnS/fo4GDMIGAMCwGA1UdEQQlMCOH
BH8AAAGHEAAAAAAAAAAAAAAAAAAAAAGCCWxvY2FsaG9zdDAMBgNVHRMBAf8EAjAA
MA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQU
Ws1Cid2QhuYZWbCRlWcSw3hDqj0wCgYIKoZIzj0EAwIDRwAwRAIgV7JNw+IkEcyT
LdWxEpSgzSn6flFb2eW34YzEC9l2qKECIEWf9fasvrHAw58NvqYC9kTUXDbJ8BtY
htSEkzXYIMaU
-----END CERTIFICATE-----
`,
};

export interface LoopbackServer {
  /** e.g. `https://127.0.0.1:41234` */
  origin: string;
  server: Server;
  /** Requests received, in order, as `METHOD /path`. */
  received: string[];
  close: () => Promise<void>;
}

/** Starts an http or https server on 127.0.0.1 that answers with `handler` and records what it received. */
export async function startLoopbackServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: { tls?: boolean } = {},
): Promise<LoopbackServer> {
  const received: string[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    received.push(`${req.method} ${req.url}`);
    handler(req, res);
  };
  const server: Server = options.tls ? createHttpsServer(LOOPBACK_TLS, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    server,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
