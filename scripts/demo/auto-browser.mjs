// `npm run demo -- --auto`: what the user's browser would do, done by hand. It follows every redirect
// itself, keeps cookies (Hydrant's CSRF and session cookies, the example app's CSRF cookie) and fills the
// example app's login form as alice and its consent form with every scope ticked.
const USER = { username: 'alice', password: 'wonderland' };
const MAX_STEPS = 20;

/**
 * Every server of the demo is on 127.0.0.1, and cookies are scoped by host, not port (RFC 6265 §8.5), so
 * one name → value map is the whole jar. A Max-Age=0 or an empty value deletes, as Set-Cookie clears.
 */
class CookieJar {
  #cookies = new Map();

  store(response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const [name, value = ''] = pair.trim().split(/=(.*)/s);
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const decodeEntities = (s) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);

/** The form of an example app page: where it posts, its hidden fields, and its checkboxes that are ticked. */
function readForm(page) {
  const action = /<form\b[^>]*\baction="([^"]*)"/.exec(page)?.[1];
  if (!action) return undefined;
  const fields = new URLSearchParams();
  for (const [input] of page.matchAll(/<input\b[^>]*>/g)) {
    const attribute = (name) => {
      const value = new RegExp(`\\b${name}="([^"]*)"`).exec(input)?.[1];
      return value === undefined ? undefined : decodeEntities(value);
    };
    const ticked = attribute('type') === 'checkbox' && /\bchecked\b/.test(input);
    if (attribute('type') === 'hidden' || ticked) fields.append(attribute('name'), attribute('value'));
  }
  return { action: decodeEntities(action), fields };
}

/** The answer the user gives on each page of the example app. */
function fillIn(pageUrl, form) {
  const path = new URL(pageUrl).pathname;
  if (path === '/login') {
    console.log(`  login page: signing in as ${USER.username}`);
    form.fields.set('username', USER.username);
    form.fields.set('password', USER.password);
    form.fields.set('action', 'sign-in');
  } else if (path === '/consent') {
    console.log(`  consent page: allowing ${form.fields.getAll('scope').join(' ')}`);
    form.fields.set('action', 'allow');
  } else {
    throw new Error(`did not expect a form at ${pageUrl}`);
  }
  return form.fields;
}

/** Drives the flow from the authorization URL until Hydrant redirects to `redirectUri`; returns that URL. */
export async function playBrowser(authorizationUrl, redirectUri) {
  const jar = new CookieJar();
  let url = authorizationUrl.href;
  let form;
  console.log('Playing the browser:');
  for (let step = 0; step < MAX_STEPS; step++) {
    if (url.startsWith(redirectUri)) {
      console.log(`  back at the client: ${url.split('?')[0]}`);
      return new URL(url);
    }
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      body: form,
      headers: { Cookie: jar.header() },
      redirect: 'manual',
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      form = undefined;
      console.log(`  ${response.status} → ${url.split('?')[0]}`);
      continue;
    }
    const page = await response.text();
    const found = readForm(page);
    if (!found) {
      const text = page.replace(/<style[\s\S]*?<\/style>|<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
      throw new Error(`${url} answered ${response.status}: ${decodeEntities(text).slice(0, 300)}`);
    }
    form = fillIn(url, found);
    url = new URL(found.action, url).href;
  }
  throw new Error(`no way back to the client after ${MAX_STEPS} steps`);
}
