// The module object itself (an import namespace's bindings cannot be spied on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto: typeof import('node:crypto') = require('node:crypto');

/** Spies on scrypt, recording how many computations ran at once at most and how many ran in all. */
export function watchScrypt() {
  const original = crypto.scrypt;
  const seen = { running: 0, most: 0, calls: 0 };
  const spy = jest.spyOn(crypto, 'scrypt').mockImplementation(((...args: unknown[]) => {
    const done = args.pop() as (err: Error | null, key: Buffer) => void;
    seen.calls++;
    seen.most = Math.max(seen.most, ++seen.running);
    (original as (...a: unknown[]) => void)(...args, (err: Error | null, key: Buffer) => {
      seen.running--;
      done(err, key);
    });
  }) as typeof crypto.scrypt);
  return { seen, restore: () => spy.mockRestore() };
}
