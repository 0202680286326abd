import { rejection } from './flow-decision';

describe('rejection (what a rejected login or consent sends the client)', () => {
  it('is access_denied, described as such, when the app names no error', () => {
    expect(rejection({})).toMatchObject({ error: 'access_denied', errorDescription: expect.stringMatching(/denied the request/) });
  });

  it('describes an error the catalogue knows as the catalogue does, unless the app describes it', () => {
    expect(rejection({ error: 'login_required' }).errorDescription).toBe('The Authorization Server requires End-User authentication.');
    expect(rejection({ error: 'login_required', error_description: 'Sign in first.' }).errorDescription).toBe('Sign in first.');
  });

  it('makes up no description for an error of the app\'s own', () => {
    expect(rejection({ error: 'account_locked' })).toMatchObject({ error: 'account_locked', errorDescription: '' });
  });
});
