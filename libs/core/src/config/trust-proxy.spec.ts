import express from 'express';
import { IsTrustProxy, parseTrustProxy } from './trust-proxy';
import { validateSync } from 'class-validator';

/** The address Express would report for a request from `socket` carrying `X-Forwarded-For: forwarded`. */
function clientAddress(trust: ReturnType<typeof parseTrustProxy>, socket: string, forwarded: string): string {
  const app = express();
  app.set('trust proxy', trust);
  const trusts = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  // Express walks X-Forwarded-For from the right, starting at the socket's peer, while hops are trusted.
  const chain = [socket, ...forwarded.split(',').map((s) => s.trim()).reverse()];
  let i = 0;
  while (i < chain.length - 1 && trusts(chain[i], i)) i++;
  return chain[i];
}

describe('SERVE_TRUST_PROXY', () => {
  it.each([
    ['false', false],
    ['TRUE', true],
    ['0', 0],
    ['1', 1],
    [' 2 ', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.7 ,fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
    ['loopback,uniquelocal,linklocal', ['loopback', 'uniquelocal', 'linklocal']],
    ['::1', ['::1']],
  ])('reads %p as %p', (raw, parsed) => {
    expect(parseTrustProxy(raw)).toEqual(parsed);
  });

  it.each(['maybe', '-1', '1.5', '', ' , ', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/8', 'proxy.example', '10.0.0.1,nonsense', '10.0.0.0/x'])(
    'refuses %p, naming what it takes',
    (raw) => {
      expect(() => parseTrustProxy(raw)).toThrow(/number of hops.*CIDRs/);
    },
  );

  describe('as Express applies it to X-Forwarded-For', () => {
    const forwarded = '203.0.113.9, 198.51.100.7, 10.0.0.5';

    it('false and 0 ignore the header', () => {
      expect(clientAddress(parseTrustProxy('false'), '127.0.0.1', forwarded)).toBe('127.0.0.1');
      expect(clientAddress(parseTrustProxy('0'), '127.0.0.1', forwarded)).toBe('127.0.0.1');
    });

    it('a hop count believes that many proxies, counted from the socket', () => {
      expect(clientAddress(parseTrustProxy('1'), '127.0.0.1', forwarded)).toBe('10.0.0.5');
      expect(clientAddress(parseTrustProxy('2'), '127.0.0.1', forwarded)).toBe('198.51.100.7');
    });

    it('a list believes only the listed proxies, so the first address it does not list is the client', () => {
      expect(clientAddress(parseTrustProxy('loopback,10.0.0.0/8'), '127.0.0.1', forwarded)).toBe('198.51.100.7');
      expect(clientAddress(parseTrustProxy('10.0.0.0/8'), '127.0.0.1', forwarded)).toBe('127.0.0.1');
    });

    it('true believes every hop, including one the client wrote itself', () => {
      expect(clientAddress(parseTrustProxy('true'), '127.0.0.1', forwarded)).toBe('203.0.113.9');
    });
  });

  it('validates a parsed value on a hand-built configuration', () => {
    class Holder {
      @IsTrustProxy() trust: unknown;
    }
    const check = (trust: unknown) => {
      const holder = new Holder();
      holder.trust = trust;
      return validateSync(holder).length === 0;
    };
    expect([true, 0, 3, ['10.0.0.0/8']].map(check)).toEqual([true, true, true, true]);
    expect(['true', -1, 1.5, [], ['nonsense']].map(check)).toEqual([false, false, false, false, false]);
  });
});
