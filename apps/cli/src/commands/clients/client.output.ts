import { Output } from '../../remote/output';

/** An OAuth2Client as the API answers it (the fields the table shows). */
export interface ClientDocument {
  client_id: string;
  client_secret?: string;
  client_name?: string;
  grant_types?: string[];
  response_types?: string[];
  scope?: string;
  audience?: string[];
  redirect_uris?: string[];
  [field: string]: unknown;
}

const HEADERS = ['CLIENT ID', 'CLIENT SECRET', 'GRANT TYPES', 'RESPONSE TYPES', 'SCOPE', 'AUDIENCE', 'REDIRECT URIS'];

function columns(client: ClientDocument): unknown[] {
  return [client.client_id, client.client_secret, client.grant_types, client.response_types, client.scope, client.audience, client.redirect_uris];
}

/** One client, as Hydra's CLI prints it. */
export function printClient(output: Output, client: ClientDocument): void {
  const values = columns(client);
  output.row(
    HEADERS.map((header, i) => [header, values[i]]),
    client,
  );
}

/** Several clients: a table, or a JSON array (or `document` when given, e.g. a page of a list). */
export function printClients(output: Output, clients: ClientDocument[], document: unknown = clients): void {
  output.table(HEADERS, clients.map(columns), document);
}
