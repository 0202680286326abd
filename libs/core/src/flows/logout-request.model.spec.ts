import { canTransitionLogout, LogoutState } from './logout-request.model';

describe('the logout request state machine', () => {
  it('accepts then uses, or rejects, a request that is still open', () => {
    expect(canTransitionLogout('initialized', 'accepted')).toBe(true);
    expect(canTransitionLogout('accepted', 'used')).toBe(true);
    expect(canTransitionLogout('initialized', 'rejected')).toBe(true);
  });

  it('refuses skipping the decision, deciding twice, going back, and leaving a final state', () => {
    expect(canTransitionLogout('initialized', 'used')).toBe(false);
    expect(canTransitionLogout('accepted', 'rejected')).toBe(false);
    expect(canTransitionLogout('accepted', 'initialized')).toBe(false);
    expect(canTransitionLogout('initialized', 'initialized')).toBe(false);
    for (const final of ['used', 'rejected'] as LogoutState[]) {
      for (const to of ['initialized', 'accepted', 'used', 'rejected'] as LogoutState[]) expect(canTransitionLogout(final, to)).toBe(false);
    }
  });
});
