import { scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  /** The stable identifier Hydrant puts in `sub`. */
  subject: string;
  username: string;
  /** `scrypt$N$r$p$salt$hash` (base64url), as a real user store would keep it: never the password. */
  passwordHash: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  emailVerified: boolean;
}

/** The demo accounts: alice / wonderland and bob / builder. */
const USERS: DemoUser[] = [
  {
    subject: 'alice',
    username: 'alice',
    passwordHash: 'scrypt$16384$8$1$_gXLWU-C5ukd1bfshyLhcg$97urY_fOtNvEYgF9Q-F-cF_lPTjqu1GURb03OvtI3CE',
    name: 'Alice Liddell',
    givenName: 'Alice',
    familyName: 'Liddell',
    email: 'alice@example.com',
    emailVerified: true,
  },
  {
    subject: 'bob',
    username: 'bob',
    passwordHash: 'scrypt$16384$8$1$wT1YIfCN71qj4ipdLcHCCQ$QaGTvI_YvA77o_6SupNihFJVWadmOqi_l7UEfkYMtbU',
    name: 'Bob Builder',
    givenName: 'Bob',
    familyName: 'Builder',
    email: 'bob@example.com',
    emailVerified: false,
  },
];

/** Checked when the username is unknown, so that a wrong name costs as long as a wrong password. */
const DECOY_HASH = USERS[0].passwordHash;

function derive(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, options, (e, key) => (e ? reject(e) : resolve(key))));
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

/** The user with these credentials, or undefined. */
export async function authenticate(username: string, password: string): Promise<DemoUser | undefined> {
  const user = USERS.find((u) => u.username === username);
  const matches = await passwordMatches(password, user?.passwordHash ?? DECOY_HASH);
  return user && matches ? user : undefined;
}

export function findUser(subject: string): DemoUser | undefined {
  return USERS.find((u) => u.subject === subject);
}

/**
 * The ID token claims the user agreed to share: OIDC Core §5.4 ties `name` and its kin to the `profile`
 * scope and `email`, `email_verified` to `email`. Hydrant also answers these at the userinfo endpoint.
 */
export function claimsFor(user: DemoUser, grantedScope: string[]): Record<string, unknown> {
  return {
    ...(grantedScope.includes('profile') && { name: user.name, given_name: user.givenName, family_name: user.familyName }),
    ...(grantedScope.includes('email') && { email: user.email, email_verified: user.emailVerified }),
  };
}
