import { Command } from 'commander';
import { createClientCommand } from './commands/clients/create-client.command';
import { deleteClientCommand } from './commands/clients/delete-client.command';
import { getClientCommand } from './commands/clients/get-client.command';
import { importClientCommand } from './commands/clients/import-client.command';
import { listClientsCommand } from './commands/clients/list-clients.command';
import { updateClientCommand } from './commands/clients/update-client.command';
import { createJwkCommand } from './commands/keys/create-jwk.command';
import { deleteJwkCommand } from './commands/keys/delete-jwk.command';
import { getJwkCommand } from './commands/keys/get-jwk.command';
import { importJwkCommand } from './commands/keys/import-jwk.command';
import { performAuthorizationCodeCommand } from './commands/perform/authorization-code.command';
import { performClientCredentialsCommand } from './commands/perform/client-credentials.command';
import { performDeviceCodeCommand } from './commands/perform/device-code.command';
import { deleteAccessTokensCommand } from './commands/tokens/delete-access-tokens.command';
import { introspectTokenCommand } from './commands/tokens/introspect-token.command';
import { revokeTokenCommand } from './commands/tokens/revoke-token.command';

/** Hydra's verbs and the nouns each takes; every command calls Hydrant's HTTP API. */
const VERBS: Array<[verb: string, description: string, nouns: Array<() => Command>]> = [
  ['create', 'create OAuth 2.0 clients and JSON Web Keys', [createClientCommand, createJwkCommand]],
  ['get', 'print OAuth 2.0 clients and key sets', [getClientCommand, getJwkCommand]],
  ['list', 'list OAuth 2.0 clients', [listClientsCommand]],
  ['update', 'change an OAuth 2.0 client', [updateClientCommand]],
  ['delete', "delete OAuth 2.0 clients, key sets and a client's tokens", [deleteClientCommand, deleteJwkCommand, deleteAccessTokensCommand]],
  ['import', 'import OAuth 2.0 clients and JSON Web Keys from files', [importClientCommand, importJwkCommand]],
  ['introspect', 'introspect tokens', [introspectTokenCommand]],
  ['revoke', 'revoke tokens', [revokeTokenCommand]],
  ['perform', 'run OAuth 2.0 flows as a client', [performClientCredentialsCommand, performAuthorizationCodeCommand, performDeviceCodeCommand]],
];

/** Adds the commands of Hydra's CLI that manage a running server through its API. */
export function addRemoteCommands(program: Command): void {
  for (const [verb, description, nouns] of VERBS) {
    const group = program.command(verb).description(description);
    for (const noun of nouns) group.addCommand(noun());
  }
}
