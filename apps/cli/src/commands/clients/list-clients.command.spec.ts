import { nextPageToken } from './list-clients.command';

describe('nextPageToken (the Link header of GET /admin/clients)', () => {
  it('answers the page_token of rel="next"', () => {
    const link = '</admin/clients?page_size=2>; rel="first",</admin/clients?page_size=2&page_token=abc%3D>; rel="next"';
    expect(nextPageToken(link)).toBe('abc=');
  });

  it('answers undefined on the last page or without a header', () => {
    expect(nextPageToken('</admin/clients?page_size=2>; rel="first"')).toBeUndefined();
    expect(nextPageToken(undefined)).toBeUndefined();
  });
});
