import { canTransition, FlowState } from './flow.model';

describe('the flow state machine', () => {
  it('moves only forward, one step at a time, as Hydra\'s flow does', () => {
    const path: FlowState[] = ['login_initialized', 'login_unused', 'consent_initialized', 'consent_unused', 'consent_used'];
    for (let i = 0; i + 1 < path.length; i++) expect(canTransition(path[i], path[i + 1])).toBe(true);
    expect(canTransition('login_unused', 'login_error')).toBe(true);
    expect(canTransition('consent_unused', 'consent_error')).toBe(true);
  });

  it('refuses skipping a step, going back, and leaving a final state', () => {
    expect(canTransition('login_initialized', 'consent_initialized')).toBe(false);
    expect(canTransition('consent_unused', 'login_unused')).toBe(false);
    expect(canTransition('login_initialized', 'login_initialized')).toBe(false);
    for (const final of ['consent_used', 'consent_error', 'login_error'] as FlowState[]) {
      expect(canTransition(final, 'login_initialized')).toBe(false);
      expect(canTransition(final, 'consent_used')).toBe(false);
    }
  });
});
