import { Command } from 'commander';
import { CliError } from '../../remote/cli.error';
import { commaList } from '../../remote/remote.options';

type FlagKind = 'string' | 'list' | 'scope' | 'boolean' | 'json';

/** One client flag of Hydra's CLI and the OAuth2Client field it sets. */
interface ClientFlag {
  flag: string;
  field: string;
  kind: FlagKind;
  description: string;
}

const CLIENT_FLAGS: ClientFlag[] = [
  { flag: 'id', field: 'client_id', kind: 'string', description: "the client's id (default: generated)" },
  { flag: 'secret', field: 'client_secret', kind: 'string', description: "the client's secret (default: generated)" },
  { flag: 'name', field: 'client_name', kind: 'string', description: "the client's name" },
  { flag: 'grant-type', field: 'grant_types', kind: 'list', description: 'grant types the client may use (repeatable or comma separated; default: authorization_code)' },
  { flag: 'response-type', field: 'response_types', kind: 'list', description: 'response types the client may use (default: code)' },
  { flag: 'scope', field: 'scope', kind: 'scope', description: 'scopes the client may request (repeatable or comma separated)' },
  { flag: 'audience', field: 'audience', kind: 'list', description: 'audiences the client may request' },
  { flag: 'redirect-uri', field: 'redirect_uris', kind: 'list', description: 'allowed redirect URIs' },
  { flag: 'post-logout-callback', field: 'post_logout_redirect_uris', kind: 'list', description: 'allowed post-logout redirect URIs' },
  { flag: 'token-endpoint-auth-method', field: 'token_endpoint_auth_method', kind: 'string', description: 'client_secret_basic (default), client_secret_post, private_key_jwt or none' },
  { flag: 'owner', field: 'owner', kind: 'string', description: "the client's owner" },
  { flag: 'contact', field: 'contacts', kind: 'list', description: 'ways to contact the people responsible for the client' },
  { flag: 'metadata', field: 'metadata', kind: 'json', description: 'a JSON object of your choosing' },
  { flag: 'skip-consent', field: 'skip_consent', kind: 'boolean', description: 'tell the consent app it may skip the consent screen' },
  { flag: 'skip-logout-consent', field: 'skip_logout_consent', kind: 'boolean', description: 'tell the logout app it may skip the logout confirmation' },
  { flag: 'subject-type', field: 'subject_type', kind: 'string', description: 'public or pairwise' },
  { flag: 'jwks-uri', field: 'jwks_uri', kind: 'string', description: "URL of the client's JSON Web Key Set (private_key_jwt)" },
  { flag: 'policy-uri', field: 'policy_uri', kind: 'string', description: "URL of the client's privacy policy" },
  { flag: 'tos-uri', field: 'tos_uri', kind: 'string', description: "URL of the client's terms of service" },
  { flag: 'client-uri', field: 'client_uri', kind: 'string', description: "URL of the client's home page" },
  { flag: 'logo-uri', field: 'logo_uri', kind: 'string', description: "URL of the client's logo" },
  { flag: 'allowed-cors-origin', field: 'allowed_cors_origins', kind: 'list', description: 'origins allowed to make CORS requests' },
  { flag: 'access-token-strategy', field: 'access_token_strategy', kind: 'string', description: 'opaque or jwt' },
  { flag: 'request-uri', field: 'request_uris', kind: 'list', description: 'pre-registered request_uri values' },
  { flag: 'request-object-signing-alg', field: 'request_object_signing_alg', kind: 'string', description: 'the algorithm request objects must be signed with' },
  { flag: 'sector-identifier-uri', field: 'sector_identifier_uri', kind: 'string', description: 'https URL of the JSON array of redirect URIs that pairwise subjects are computed for' },
  { flag: 'backchannel-logout-callback', field: 'backchannel_logout_uri', kind: 'string', description: 'URL that receives logout tokens' },
  { flag: 'backchannel-logout-session-required', field: 'backchannel_logout_session_required', kind: 'boolean', description: 'logout tokens must carry sid' },
  { flag: 'frontchannel-logout-callback', field: 'frontchannel_logout_uri', kind: 'string', description: 'URL rendered in an iframe at logout' },
  { flag: 'frontchannel-logout-session-required', field: 'frontchannel_logout_session_required', kind: 'boolean', description: 'front-channel logout carries iss and sid' },
];

const BOOLEAN_FLAGS = CLIENT_FLAGS.filter((f) => f.kind === 'boolean').map((f) => f.flag);

/** Hydra's `--skip-consent=false` form of a boolean flag, as commander's `--no-skip-consent`. */
export function normalizeBooleanFlags(argv: string[]): string[] {
  return argv.map((arg) => {
    const match = /^--([a-z-]+)=(true|false)$/.exec(arg);
    if (!match || !BOOLEAN_FLAGS.includes(match[1])) return arg;
    return match[2] === 'true' ? `--${match[1]}` : `--no-${match[1]}`;
  });
}

/** commander's camelCase key of a flag. */
function key(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Adds every client flag, and `--file`, to a command. */
export function withClientFlags(command: Command): Command {
  for (const { flag, kind, description } of CLIENT_FLAGS) {
    if (kind === 'boolean') command.option(`--${flag}`, description).option(`--no-${flag}`, `unset --${flag}`);
    else if (kind === 'list' || kind === 'scope') command.option(`--${flag} <value>`, description, commaList);
    else command.option(`--${flag} <value>`, description);
  }
  return command.option('--file <path>', "read the client from this JSON file ('-' for stdin); flags given beside it override its fields");
}

/** The OAuth2Client fields of the client flags that were given on the command line, and only those. */
export function clientFieldsFromFlags(command: Command): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const { flag, field, kind } of CLIENT_FLAGS) {
    const name = key(flag);
    if (command.getOptionValueSource(name) !== 'cli') continue;
    const value: unknown = command.getOptionValue(name);
    if (kind === 'scope') fields[field] = (value as string[]).join(' ');
    else if (kind === 'json') fields[field] = parseJsonObject(flag, value as string);
    else fields[field] = value;
  }
  return fields;
}

function parseJsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`--${flag}: not JSON: ${text.slice(0, 60)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`--${flag}: must be a JSON object`);
  return value as Record<string, unknown>;
}

/** The grant types a response type needs (OIDC Registration §2: code needs authorization_code, token and id_token need implicit). */
function grantsNeededBy(responseType: string): string[] {
  const parts = responseType.split(' ');
  return [...(parts.includes('code') ? ['authorization_code'] : []), ...(parts.some((p) => p === 'token' || p === 'id_token') ? ['implicit'] : [])];
}

/**
 * Hydra's CLI sends response types its server never checks against the grant types (its tutorial creates
 * a client with `--grant-type authorization_code,refresh_token --response-type code,id_token`), while
 * Hydrant's server refuses a response type whose grant the client lacks. Answers the response types that
 * `grantTypes` cannot use, which `create` leaves out (saying so) so that such scripts run.
 */
export function unusableResponseTypes(responseTypes: string[], grantTypes: string[]): string[] {
  return responseTypes.filter((r) => !grantsNeededBy(r).every((g) => grantTypes.includes(g)));
}
