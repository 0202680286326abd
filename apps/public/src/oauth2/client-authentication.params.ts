import { ParameterDoc } from '@hydrant/core';

/** The form fields of client authentication (RFC 6749 §2.3.1 client_secret_post, RFC 7523 §2.2 private_key_jwt). */
export const CLIENT_AUTHENTICATION_FIELDS: Readonly<Record<string, ParameterDoc>> = {
  client_id: { description: 'The client, when it does not authenticate with HTTP Basic.' },
  client_secret: { description: 'client_secret_post.' },
  client_assertion_type: { description: 'private_key_jwt: `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`.' },
  client_assertion: { description: 'private_key_jwt: the signed JWT.' },
};
