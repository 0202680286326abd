// The peer: panva's oidc-provider (OpenID Certified), with its in-memory store, configured for the same
// machine-to-machine work: client_credentials tokens (opaque, or JWT through a resource server) and
// introspection. Its store lives in one process, so it runs as one.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const format = process.env.TOKEN_FORMAT ?? 'opaque';
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench',
      client_secret: process.env.CLIENT_SECRET,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'read',
    },
  ],
  scopes: ['read'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:bench:api',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'read',
        accessTokenFormat: format,
        ...(format === 'jwt' ? { jwt: { sign: { alg: 'RS256' } } } : {}),
      }),
    },
  },
  // Its own dev signing keys are fine for a benchmark; the warning goes to stderr.
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => process.send?.('ready'));
