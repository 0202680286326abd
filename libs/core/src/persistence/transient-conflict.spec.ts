import { isTransientConflict, retryOnConflict } from './transient-conflict';

/** Errors as TypeORM's QueryFailedError carries them: the driver's error, with PostgreSQL's SQLSTATE. */
const driverError = (code: string) => Object.assign(new Error(`SQLSTATE ${code}`), { driverError: { code } });

describe('isTransientConflict', () => {
  it('is true for a deadlock and a serialization failure, as the driver or TypeORM reports them', () => {
    expect(isTransientConflict(driverError('40P01'))).toBe(true);
    expect(isTransientConflict(driverError('40001'))).toBe(true);
    expect(isTransientConflict(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
  });

  it('is false for every other failure', () => {
    for (const e of [driverError('23505'), driverError('SQLITE_BUSY'), new Error('boom'), undefined, null, 'text']) expect(isTransientConflict(e)).toBe(false);
  });
});

describe('retryOnConflict', () => {
  it('runs the work again after a conflict and answers what the next attempt answers', async () => {
    const work = jest.fn().mockRejectedValueOnce(driverError('40P01')).mockRejectedValueOnce(driverError('40001')).mockResolvedValue('done');
    await expect(retryOnConflict(work)).resolves.toBe('done');
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('throws the conflict of the last attempt', async () => {
    const conflict = driverError('40P01');
    const work = jest.fn().mockRejectedValue(conflict);
    await expect(retryOnConflict(work, 2)).rejects.toBe(conflict);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('never runs the work again after any other error', async () => {
    const other = driverError('23505');
    const work = jest.fn().mockRejectedValue(other);
    await expect(retryOnConflict(work)).rejects.toBe(other);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
