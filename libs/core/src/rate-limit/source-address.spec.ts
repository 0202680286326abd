import { sourceKey } from './source-address';

describe('sourceKey', () => {
  it('counts an IPv4 address as itself', () => {
    expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
  });

  it('counts an IPv4-mapped IPv6 address (what a dual-stack socket reports) as the IPv4 address', () => {
    expect(sourceKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('::FFFF:192.0.2.1')).toBe('192.0.2.1');
  });

  it('counts an IPv6 address as its /64, however it is written', () => {
    const key = '2001:db8:1:2::/64';
    expect(sourceKey('2001:db8:1:2::1')).toBe(key);
    expect(sourceKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key);
    expect(sourceKey('2001:db8:1:2:0:0:0:0')).toBe(key);
    expect(sourceKey('2001:db8:1:2::192.0.2.1')).toBe(key);
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('2001:db8:1:3::1')).not.toBe(key);
  });

  it('counts anything else as itself', () => {
    expect(sourceKey('not-an-address')).toBe('not-an-address');
    expect(sourceKey('')).toBe('');
  });
});
