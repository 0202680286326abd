import { Command, InvalidArgumentError } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { ClientDocument, printClients } from './client.output';

/** The `page_token` of the Link header's rel="next", if there is a next page. */
export function nextPageToken(link: string | string[] | undefined): string | undefined {
  for (const part of (Array.isArray(link) ? link.join(',') : (link ?? '')).split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return new URL(match[1], 'http://link.invalid').searchParams.get('page_token') ?? undefined;
  }
  return undefined;
}

function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('must be a whole number from 1 to 500');
  return n;
}

/** `hydrant list oauth2-clients`: one page; JSON prints `{items, next_page_token, is_last_page}`. */
export function listClientsCommand(): Command {
  const command = new Command('oauth2-clients')
    .aliases(['clients', 'oauth2-client', 'client'])
    .description('list OAuth 2.0 clients, a page at a time')
    .option('--page-size <n>', 'clients per page', pageSize, 100)
    .option('--page-token <token>', 'the page to print (the next_page_token of the previous page)')
    .action(async (flags: RemoteFlags & { pageSize: number; pageToken?: string }) => {
      const { api, output } = remote(flags);
      const response = await api.request({ path: '/admin/clients', query: { page_size: String(flags.pageSize), page_token: flags.pageToken } });
      const items = response.body as ClientDocument[];
      const next = nextPageToken(response.headers.link);
      printClients(output, items, { items, next_page_token: next ?? '', is_last_page: next === undefined });
      if (output.format === 'table' && next !== undefined) process.stderr.write(`next page: --page-token ${next}\n`);
    });
  return withRemoteFlags(command, 'admin');
}
