import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { Browser, codeRequest, createClient, FlowServer, introspect, startFlowServer, tokenRequest } from './support/browser-flow';
import { LoopbackServer, startLoopbackServer } from './support/loopback-server';

/**
 * OIDC Core §8.1 pairwise subject identifiers, end to end, with a server that offers `public,pairwise`:
 * - a pairwise client sees one `sub` everywhere it is told the subject (ID token, userinfo, back-channel
 *   logout token), never the real subject, while a public client of the same login session sees the real one;
 * - clients of one sector (one redirect host, or one sector_identifier_uri host) share that `sub`, clients of
 *   different sectors do not;
 * - introspection answers the real `sub` and, for a pairwise client's token only, Hydra's `obfuscated_subject`;
 * - a pairwise client on several redirect hosts must register a sector_identifier_uri, and then its sector is
 *   that document's host.
 * What a sector_identifier_uri fetch accepts or refuses is pinned in security-outbound.e2e-spec.ts.
 */

const SALT = 'pairwise-subjects-e2e-salt-0123';

interface Rp {
  id: string;
  secret: string;
  redirectUri: string;
  /** The path on the catcher that its back-channel logout tokens arrive at. */
  backchannelPath: string;
}

interface SignedIn {
  /** The `sub` of the ID token. */
  sub: string;
  accessToken: string;
}

describe('pairwise subject identifiers (OIDC Core §8.1)', () => {
  let env: FlowServer;
  /** The relying parties' back-channel logout endpoints: logout tokens by path. */
  let catcher: LoopbackServer;
  const logoutTokens = new Map<string, string[]>();
  /** An https server of sector documents: GET /{name}.json answers `sectorDocuments[name]`. */
  let sectors: LoopbackServer;
  const sectorDocuments = new Map<string, string[]>();

  beforeAll(async () => {
    catcher = await startLoopbackServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const token = new URLSearchParams(body).get('logout_token');
        if (token) logoutTokens.set(req.url ?? '', [...(logoutTokens.get(req.url ?? '') ?? []), token]);
        res.writeHead(200).end();
      });
    });
    sectors = await startLoopbackServer(
      (req, res) => {
        const listed = sectorDocuments.get(req.url ?? '');
        if (!listed) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed));
      },
      { tls: true },
    );
    env = await startFlowServer({ OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise', OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: SALT });
  });
  afterAll(async () => {
    await env?.close();
    await Promise.all([catcher?.close(), sectors?.close()]);
  });

  /** Serves a sector document listing `redirectUris` and returns its https URL. */
  function publishSector(redirectUris: string[]): string {
    const path = `/${randomUUID()}.json`;
    sectorDocuments.set(path, redirectUris);
    return `${sectors.origin}${path}`;
  }

  /** Registers a client through the admin API; `metadata` may set subject_type, redirect_uris, sector_identifier_uri. */
  async function rp(metadata: Record<string, unknown> & { redirect_uris: string[] }): Promise<Rp> {
    const backchannelPath = `/backchannel/${randomUUID()}`;
    const created = await createClient(env.adminUrl, {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid',
      backchannel_logout_uri: `${catcher.origin}${backchannelPath}`,
      ...metadata,
    });
    return { id: created.client_id, secret: created.client_secret!, redirectUri: metadata.redirect_uris[0], backchannelPath };
  }

  const pairwise = (redirectUris: string[], extra: Record<string, unknown> = {}) => rp({ subject_type: 'pairwise', redirect_uris: redirectUris, ...extra });

  /** A whole code flow of `client` in `browser` (a remembered login, or the browser's session), then the token exchange. */
  async function signIn(client: Rp, subject: string, browser = new Browser()): Promise<SignedIn> {
    const { url, verifier } = codeRequest(env.publicUrl, client.id, client.redirectUri, { scope: 'openid' });
    const flow = await env.driver.run(browser, url, { login: { accept: { subject, remember: true, remember_for: 3600 } } });
    const code = flow.params.get('code');
    if (!code) throw new Error(`no code: ${flow.callback.href}`);
    const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }, { id: client.id, secret: client.secret });
    expect(tokens.status).toBe(200);
    return { sub: decodeJwt(tokens.body.id_token as string).sub!, accessToken: tokens.body.access_token as string };
  }

  async function userinfoSub(accessToken: string): Promise<string> {
    const res = await fetch(`${env.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { sub: string }).sub;
  }

  /** The `sub` of every back-channel logout token `client` received. */
  const logoutSubs = (client: Rp) => (logoutTokens.get(client.backchannelPath) ?? []).map((token) => {
    expect(decodeJwt(token).aud).toEqual([client.id]);
    return decodeJwt(token).sub;
  });

  /** Hydra's pairwise subject: SHA-256 of sector host, subject and salt, hex. */
  const pairwiseSub = (sectorHost: string, subject: string) => createHash('sha256').update(`${sectorHost}${subject}${SALT}`).digest('hex');

  const newSubject = () => `user-${randomUUID()}`;

  it('tells a pairwise client one pairwise sub in its ID token, at userinfo and in its back-channel logout token, and a public client of the same session the real subject', async () => {
    const subject = newSubject();
    const browser = new Browser();
    const hidden = await pairwise(['https://hidden.example/cb']);
    const open = await rp({ subject_type: 'public', redirect_uris: ['https://open.example/cb'] });

    const seenByHidden = await signIn(hidden, subject, browser);
    const seenByOpen = await signIn(open, subject, browser);
    expect(seenByHidden.sub).not.toBe(subject);
    expect(seenByHidden.sub).toBe(pairwiseSub('hidden.example', subject));
    expect(await userinfoSub(seenByHidden.accessToken)).toBe(seenByHidden.sub);
    expect(seenByOpen.sub).toBe(subject);
    expect(await userinfoSub(seenByOpen.accessToken)).toBe(subject);

    // Ending the login session sends each client of it a logout token (awaited by the admin API).
    const ended = await fetch(`${env.adminUrl}/admin/oauth2/auth/sessions/login?subject=${encodeURIComponent(subject)}`, { method: 'DELETE' });
    expect(ended.status).toBe(204);
    expect(logoutSubs(hidden)).toEqual([seenByHidden.sub]);
    expect(logoutSubs(open)).toEqual([subject]);
  });

  it('gives clients of one redirect host the same pairwise sub and clients of different hosts different ones', async () => {
    const subject = newSubject();
    const first = await signIn(await pairwise(['https://shop.example/cb']), subject);
    const sameHost = await signIn(await pairwise(['https://shop.example/other-callback', 'https://shop.example/cb2']), subject);
    const otherHost = await signIn(await pairwise(['https://news.example/cb']), subject);

    expect(sameHost.sub).toBe(first.sub);
    expect(otherHost.sub).not.toBe(first.sub);
    for (const sub of [first.sub, otherHost.sub]) expect(sub).not.toBe(subject);
    // Another user of the same sector is another pairwise sub.
    expect((await signIn(await pairwise(['https://shop.example/cb']), newSubject())).sub).not.toBe(first.sub);
  });

  it('introspects a pairwise client\'s access token with the real sub and the pairwise obfuscated_subject, a public client\'s without obfuscated_subject', async () => {
    const subject = newSubject();
    const hidden = await signIn(await pairwise(['https://hidden.example/cb']), subject);
    const open = await signIn(await rp({ redirect_uris: ['https://open.example/cb'] }), subject);

    const hiddenToken = await introspect(env.adminUrl, hidden.accessToken);
    expect(hiddenToken).toMatchObject({ active: true, sub: subject, obfuscated_subject: hidden.sub });
    const openToken = await introspect(env.adminUrl, open.accessToken);
    expect(openToken).toMatchObject({ active: true, sub: subject });
    expect(openToken).not.toHaveProperty('obfuscated_subject');
  });

  describe('a pairwise client on several redirect hosts', () => {
    const SPAN = ['https://app-one.example/cb', 'https://app-two.example/cb'];

    it('is refused without a sector_identifier_uri', async () => {
      const res = await fetch(`${env.adminUrl}/admin/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject_type: 'pairwise', redirect_uris: SPAN, scope: 'openid' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client_metadata');
    });

    it('is created with a sector document listing every redirect URI, and its sub derives from that document\'s host', async () => {
      const subject = newSubject();
      const sectorUri = publishSector(SPAN);
      const spanning = await pairwise(SPAN, { sector_identifier_uri: sectorUri });
      const sectorHost = new URL(sectorUri).host;

      const seen = await signIn(spanning, subject);
      expect(seen.sub).toBe(pairwiseSub(sectorHost, subject));
      // Either redirect URI: one sector, one sub.
      expect((await signIn({ ...spanning, redirectUri: SPAN[1] }, subject)).sub).toBe(seen.sub);
      // Not the sector of its first redirect host.
      expect((await signIn(await pairwise([SPAN[0]]), subject)).sub).not.toBe(seen.sub);

      // Another document on the same host, for other redirect hosts: the same sector, the same sub.
      const others = ['https://app-three.example/cb', 'https://app-four.example/cb'];
      const sibling = await pairwise(others, { sector_identifier_uri: publishSector(others) });
      expect((await signIn(sibling, subject)).sub).toBe(seen.sub);
      expect(sectors.received).toEqual(expect.arrayContaining([`GET ${new URL(sectorUri).pathname}`]));
    });
  });
});
