import net from 'node:net';

/**
 * One kept-alive HTTP/1.1 connection on a raw socket, for specs of how a server ends connections. HTTP
 * client libraries report a reset and a clean close alike ("socket hang up"); this tells them apart, and
 * tells whether the request had been sent.
 */
export type Exchange =
  | { kind: 'answered'; status: number; headers: Record<string, string>; body: string; close: boolean }
  /** The server closed (FIN) before a complete answer, without a reset. */
  | { kind: 'closed' }
  /** The connection was reset (or the write failed) while the request was out. */
  | { kind: 'reset'; code: string }
  /** The server had closed the connection before the request was written: a client opens another one. */
  | { kind: 'not sent' };

/** The bytes of one request; a body gets its Content-Length. */
export function httpRequest(method: string, path: string, options: { body?: string; contentType?: string; headers?: Record<string, string> } = {}): Buffer {
  const body = Buffer.from(options.body ?? '');
  const headers: Record<string, string> = { host: 'localhost', ...(options.contentType ? { 'content-type': options.contentType } : {}), ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(body.length);
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

export class RawConnection {
  /** The server's FIN arrived, or the connection is gone. */
  ended = false;
  private buffer = Buffer.alloc(0);
  private pending?: (exchange: Exchange) => void;
  private error?: NodeJS.ErrnoException;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('end', () => (this.ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (this.error = e));
    socket.on('close', (hadError) => {
      this.ended = true;
      if (hadError || this.error) this.settle({ kind: 'reset', code: this.error?.code ?? 'ECONNRESET' });
      else this.settle({ kind: 'closed' });
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a whole request and waits for what becomes of it. */
  exchange(request: Buffer): Promise<Exchange> {
    const started = this.start(request, request.length);
    return started.answer;
  }

  /**
   * Sends the first `sent` bytes of a request; `rest()` sends the others. `answer` settles with what became
   * of the request.
   */
  start(request: Buffer, sent: number): { answer: Promise<Exchange>; rest: () => void } {
    if (this.ended) return { answer: Promise.resolve({ kind: 'not sent' }), rest: () => undefined };
    const answer = new Promise<Exchange>((resolve) => (this.pending = resolve));
    this.socket.write(request.subarray(0, sent));
    return { answer, rest: () => void this.socket.write(request.subarray(sent)) };
  }

  close(): void {
    this.socket.destroy();
  }

  private settle(exchange: Exchange): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(exchange);
  }

  private parse(): void {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (!this.pending || headEnd < 0) return;
    const [statusLine, ...lines] = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const bodyStart = headEnd + 4;
    let body: Buffer;
    let consumed: number;
    if (headers['transfer-encoding'] === 'chunked') {
      const chunks: Buffer[] = [];
      let at = bodyStart;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffer.subarray(at, lineEnd).toString('latin1'), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          consumed = lineEnd + 4;
          break;
        }
        chunks.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (this.buffer.length < bodyStart + length) return;
      body = this.buffer.subarray(bodyStart, bodyStart + length);
      consumed = bodyStart + length;
    }
    this.buffer = this.buffer.subarray(consumed);
    const status = Number(statusLine.split(' ')[1]);
    this.settle({ kind: 'answered', status, headers, body: body.toString('utf8'), close: /\bclose\b/i.test(headers.connection ?? '') });
  }
}
