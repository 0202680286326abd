import { sourceNetwork } from './source-network';

describe('sourceNetwork', () => {
  it('counts an IPv4 source by its address', () => {
    expect(sourceNetwork('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceNetwork('192.0.2.2')).not.toBe(sourceNetwork('192.0.2.1'));
  });

  it.each(['::ffff:192.0.2.1', '::FFFF:192.0.2.1', '::ffff:c000:201', '0:0:0:0:0:ffff:c000:0201'])(
    'counts the IPv4-mapped address %s as the IPv4 address',
    (address) => expect(sourceNetwork(address)).toBe('192.0.2.1'),
  );

  it('counts every address of an IPv6 /64 as one source', () => {
    const network = sourceNetwork('2001:db8:1:2::1');
    expect(network).toBe('2001:db8:1:2::/64');
    for (const address of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:abcd', '2001:db8:1:2:a:b:c:d', '2001:db8:1:2::10.0.0.1']) {
      expect(sourceNetwork(address)).toBe(network);
    }
  });

  it('counts neighbouring /64s apart', () => {
    expect(sourceNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(sourceNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceNetwork('::1')).toBe('0:0:0:0::/64');
  });

  it('ignores a zone index', () => {
    expect(sourceNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('counts a value that is no address on its own, in a bounded key', () => {
    const long = sourceNetwork('x'.repeat(10_000));
    expect(long.length).toBeLessThan(64);
    expect(long).toMatch(/^unparsed:/);
    expect(sourceNetwork('not an address')).not.toBe(long);
    expect(sourceNetwork('not an address')).toBe(sourceNetwork('not an address'));
  });
});
