/**
 * OIDC Core §5.4: the standard claims each scope requests. A standard claim reaches userinfo only when
 * its scope was granted; claims outside this table are the consent app's own and pass as given.
 */
export const CLAIMS_BY_SCOPE: Record<string, readonly string[]> = {
  profile: ['name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

const STANDARD = new Map(Object.entries(CLAIMS_BY_SCOPE).flatMap(([scope, claims]) => claims.map((c) => [c, scope] as const)));

/** The claims the granted scopes allow. */
export function claimsForScopes(claims: Record<string, unknown>, scopes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([claim]) => {
    const scope = STANDARD.get(claim);
    return scope === undefined || scopes.includes(scope);
  }));
}

/** Every claim Hydrant can release, for discovery's `claims_supported`. */
export const SUPPORTED_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'sid', 'at_hash', ...STANDARD.keys()];
