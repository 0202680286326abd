import { LOOPBACK_TLS, LoopbackServer, startLoopbackServer } from '../../../../test/support/loopback-server';
import { OAuth2Error } from '../errors';
import { OutboundHttpClient } from '../http/outbound/outbound-http.client';
import { PrivateAddressRule } from '../http/outbound/private-address.rule';
import { SectorFields } from './sector-identifier';
import { SectorIdentifierVerifier } from './sector-identifier.verifier';

describe('SectorIdentifierVerifier', () => {
  let server: LoopbackServer;
  let http: OutboundHttpClient;
  let verifier: SectorIdentifierVerifier;
  const documents = new Map<string, string>();

  beforeAll(async () => {
    server = await startLoopbackServer(
      (req, res) => {
        const body = documents.get(req.url ?? '');
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      },
      { tls: true },
    );
    http = new OutboundHttpClient({ timeoutMs: 2_000, rule: new PrivateAddressRule(false), ca: LOOPBACK_TLS.cert });
    verifier = new SectorIdentifierVerifier(http);
  });

  afterAll(async () => {
    http.close();
    await server.close();
  });

  const REDIRECTS = ['https://a.example/cb', 'https://b.example/cb'];
  const sector = (path: string, body: unknown) => {
    documents.set(path, typeof body === 'string' ? body : JSON.stringify(body));
    return `${server.origin}${path}`;
  };
  const fields = (f: Partial<SectorFields>): SectorFields => ({ subject_type: 'pairwise', sector_identifier_uri: '', redirect_uris: REDIRECTS, ...f });
  async function refusal(f: Partial<SectorFields>): Promise<OAuth2Error> {
    const error = await verifier.verify(fields(f)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2Error).error).toBe('invalid_client_metadata');
    return error as OAuth2Error;
  }

  it('accepts a document that lists every redirect URI, and a single-host pairwise client without one', async () => {
    await verifier.verify(fields({ sector_identifier_uri: sector('/all.json', [...REDIRECTS, 'https://c.example/cb']) }));
    await verifier.verify(fields({ redirect_uris: ['https://a.example/cb', 'https://a.example:8443/other'] }));
    await verifier.verify(fields({ subject_type: 'public' }));
  });

  it('refuses a pairwise client whose redirect URIs span several hosts without a sector_identifier_uri', async () => {
    expect((await refusal({})).hint).toMatch(/several hosts.*sector_identifier_uri/);
    expect((await refusal({ redirect_uris: ['https://a.example/cb', 'com.example.app:/cb'] })).hint).toMatch(/several hosts/);
  });

  it('refuses a document that misses a redirect URI, or is not an array of strings', async () => {
    expect((await refusal({ sector_identifier_uri: sector('/partial.json', [REDIRECTS[0]]) })).hint).toContain(REDIRECTS[1]);
    expect((await refusal({ sector_identifier_uri: sector('/object.json', { redirect_uris: REDIRECTS }) })).hint).toMatch(/JSON array/);
    expect((await refusal({ sector_identifier_uri: sector('/mixed.json', [...REDIRECTS, 1]) })).hint).toMatch(/JSON array/);
  });

  it('refuses a sector_identifier_uri that is not https, before fetching it', async () => {
    const before = server.received.length;
    expect((await refusal({ sector_identifier_uri: `http://127.0.0.1:${new URL(server.origin).port}/all.json` })).hint).toMatch(/https/);
    expect(server.received.length).toBe(before);
  });

  it('answers one hint for every fetch failure, with the detail only in debug', async () => {
    const missing = await refusal({ sector_identifier_uri: `${server.origin}/missing.json` });
    const notJson = await refusal({ sector_identifier_uri: sector('/html', '<html>') });
    const closed = await refusal({ sector_identifier_uri: 'https://127.0.0.1:9/sector.json' });
    expect(new Set([missing.hint, notJson.hint, closed.hint]).size).toBe(1);
    expect(missing.hint).toBe('The "sector_identifier_uri" could not be fetched.');
    expect(missing.debug).toMatch(/404/);
  });
});
