/** Markup that is already safe: the result of `html` tags, inserted as it is. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated value (text and attribute values alike), except nested
 * `html` results. Everything a page shows comes from Hydrant or the query string, so nothing is trusted.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + render(values[i - 1]) + s));
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; color: #1f2933; background: #eef2f5; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; }
  main { width: min(26rem, 92vw); background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 4px 24px rgb(0 0 0 / 8%); }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  p { line-height: 1.5; }
  label { display: block; margin: .75rem 0 .25rem; }
  label.check { display: flex; gap: .5rem; align-items: center; font-weight: normal; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .55rem;
         border: 1px solid #c4cdd5; border-radius: 6px; font: inherit; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; padding: .6rem; border-radius: 6px; border: 1px solid #3b5bdb; font: inherit; cursor: pointer; }
  button.primary { background: #3b5bdb; color: #fff; }
  button.secondary { background: #fff; color: #3b5bdb; }
  .error { background: #fff0f0; border: 1px solid #f1aeb5; color: #842029; padding: .6rem .8rem; border-radius: 6px; }
  .muted { color: #616e7c; font-size: .9rem; }
  .client { display: flex; gap: .75rem; align-items: center; margin-bottom: 1rem; }
  .client img { width: 48px; height: 48px; object-fit: contain; }
  ul.scopes { list-style: none; padding: 0; }
  code { background: #f0f3f6; padding: 0 .25rem; border-radius: 4px; }
`;

/** A whole page: the shared head and style around `body`. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Hydrant example</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>`.markup;
}
