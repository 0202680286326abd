import { ClientMetadata } from './client.metadata';

export type SectorFields = Pick<ClientMetadata, 'subject_type' | 'sector_identifier_uri' | 'redirect_uris'>;

/** The hosts of the redirect URIs, by hostname: OIDC Core §8.1 speaks of hostnames, and a port does not make another party. */
export function redirectHostnames(redirectUris: readonly string[]): Set<string> {
  return new Set(redirectUris.map((uri) => parsed(uri)?.hostname ?? uri));
}

/**
 * OIDC Core §8.1: the sector of a pairwise client is the host of its sector_identifier_uri; without one,
 * the host of its redirect URI, which is only one sector when every redirect URI has the same hostname.
 * `undefined` for a client that spans several hostnames and registered no sector_identifier_uri: it has
 * no sector, and taking one of its hosts would let it pose as another client of that host.
 * The redirect-URI case keeps Hydra's input, `redirect_uris[0]`'s host (with its port), so that the
 * subjects of existing single-host clients do not change.
 */
export function pairwiseSector(client: SectorFields): string | undefined {
  if (client.sector_identifier_uri) return parsed(client.sector_identifier_uri)?.host ?? client.sector_identifier_uri;
  if (redirectHostnames(client.redirect_uris).size > 1) return undefined;
  const first = client.redirect_uris[0] ?? '';
  return parsed(first)?.host ?? first;
}

function parsed(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}
