/** Hydra's names of the key sets Hydrant signs with. */
export const KEY_SETS = {
  idToken: 'hydra.openid.id-token',
  accessToken: 'hydra.jwt.access-token',
} as const;

/** Signing algorithms Hydrant can generate keys for. */
export const GENERATABLE_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type GeneratableAlg = (typeof GENERATABLE_ALGS)[number];
