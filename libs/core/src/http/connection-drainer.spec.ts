import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { httpRequest, RawConnection } from '../../../../test/support/raw-http';
import { ConnectionDrainer } from './connection-drainer';

const LINGER_MS = 200;

/** A server whose `/slow` answers when the spec says so and whose other paths answer at once. */
async function startServer() {
  const drainer = new ConnectionDrainer();
  let served = 0;
  const slow: Array<() => void> = [];
  const answerSlow = () => slow.splice(0).forEach((answer) => answer());
  const server: Server = createServer(
    drainer.listener((req: IncomingMessage, res: ServerResponse) => {
      served++;
      req.resume();
      req.on('end', () => {
        if (req.url === '/slow') slow.push(() => res.end('slow'));
        else if (req.url === '/stream') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('first part;');
          slow.push(() => res.end('last part'));
        } else res.end('fast');
      });
    }),
  );
  drainer.track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { drainer, server, port, served: () => served, pendingSlow: () => slow.length, answerSlow };
}

const get = (path: string) => httpRequest('GET', path);
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('ConnectionDrainer', () => {
  it('answers a request in flight with Connection: close, then closes its connection and settles', async () => {
    const s = await startServer();
    const conn = await RawConnection.open(s.port);
    const answer = conn.exchange(get('/slow'));
    await until(() => s.pendingSlow() === 1);
    const drained = s.drainer.drain(s.server, LINGER_MS);
    s.answerSlow();
    expect(await answer).toMatchObject({ kind: 'answered', status: 200, body: 'slow', close: true });
    await drained;
    await until(() => conn.ended);
  });

  it('stops accepting new connections at once', async () => {
    const s = await startServer();
    const drained = s.drainer.drain(s.server, LINGER_MS);
    const refused = await new Promise<string>((resolve) => connect({ port: s.port, host: '127.0.0.1' }).once('connect', () => resolve('accepted')).once('error', (e: NodeJS.ErrnoException) => resolve(e.code!)));
    expect(refused).toBe('ECONNREFUSED');
    await drained;
  });

  it('answers a request that arrives on an idle kept-alive connection right after the signal, with Connection: close', async () => {
    const s = await startServer();
    const conn = await RawConnection.open(s.port);
    expect(await conn.exchange(get('/fast'))).toMatchObject({ kind: 'answered', close: false });
    const drained = s.drainer.drain(s.server, LINGER_MS);
    expect(await conn.exchange(get('/fast'))).toMatchObject({ kind: 'answered', status: 200, body: 'fast', close: true });
    await drained;
  });

  it('closes a connection that stays idle cleanly, and never serves what crosses the close', async () => {
    const s = await startServer();
    // A client that keeps its side open after the server's FIN, so that it can still send: one whose request crossed it.
    const socket = connect({ port: s.port, host: '127.0.0.1', allowHalfOpen: true });
    let received = '';
    let error: string | undefined;
    let ended = false;
    socket.on('data', (chunk) => (received += chunk)).on('error', (e: NodeJS.ErrnoException) => (error = e.code)).on('end', () => (ended = true));
    socket.write(get('/fast'));
    await until(() => received.endsWith('fast'));
    const drained = s.drainer.drain(s.server, LINGER_MS);
    await until(() => ended);
    socket.write(get('/fast'));
    await new Promise((r) => setTimeout(r, 100));
    socket.end();
    await new Promise((resolve) => socket.once('close', resolve));
    await drained;
    expect({ error, served: s.served(), answers: received.split('HTTP/1.1').length - 1 }).toEqual({ error: undefined, served: 1, answers: 1 });
  });

  it('lets a response whose headers went out before the signal finish, then closes its connection after the linger', async () => {
    const s = await startServer();
    const conn = await RawConnection.open(s.port);
    const answer = conn.exchange(get('/stream'));
    await until(() => s.pendingSlow() === 1);
    const drained = s.drainer.drain(s.server, LINGER_MS);
    s.answerSlow();
    expect(await answer).toMatchObject({ kind: 'answered', body: 'first part;last part', close: false });
    // The client was not told to close: a request it sends now is still answered, and that answer closes.
    expect(await conn.exchange(get('/fast'))).toMatchObject({ kind: 'answered', body: 'fast', close: true });
    await drained;
  });
});
