import { BoundedLru } from './bounded-lru';

describe('BoundedLru', () => {
  it('drops the least recently used entry beyond its entry count', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('drops old entries until the total weight fits, and counts a replaced entry once', () => {
    const lru = new BoundedLru<string, string>(100, 10);
    lru.set('a', 'x', 4);
    lru.set('b', 'y', 4);
    lru.set('a', 'x2', 5);
    expect(lru.weight).toBe(9);
    lru.set('c', 'z', 4);
    // b was least recently used (a moved up when replaced); dropping it is enough.
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('x2');
    expect(lru.get('c')).toBe('z');
    expect(lru.weight).toBe(9);
  });

  it('stays within its bounds however many keys arrive', () => {
    const lru = new BoundedLru<number, number>(50, 1_000);
    for (let i = 0; i < 10_000; i++) lru.set(i, i, i % 40);
    expect(lru.size).toBeLessThanOrEqual(50);
    expect(lru.weight).toBeLessThanOrEqual(1_000);
  });
});
