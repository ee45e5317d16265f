import { html, type SafeHtml } from './html.js';

export interface PageContext {
  /** Content-hashed asset URLs by logical name. */
  assets: { css: string; js: string };
  csrfToken: string | null;
  loggedIn: boolean;
  email?: string;
  isAdmin?: boolean;
}

// Inline, so the browser's icon request costs no round trip and never 404s.
const FAVICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6" fill="#16a34a"/></svg>')}`;

export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Watchpost</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="${ctx.assets.css}">
<script type="module" src="${ctx.assets.js}"></script>
${ctx.csrfToken ? html`<meta name="csrf-token" content="${ctx.csrfToken}">` : ''}
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">Watchpost</a>
  <nav>
    ${
      ctx.loggedIn
        ? html`<span class="who">${ctx.email ?? ''}</span>
    <a href="/monitors/new">New monitor</a>
    ${ctx.isAdmin ? html`<a href="/ops">Ops</a>` : ''}
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}"><button type="submit" class="link">Log out</button></form>`
        : html`<a href="/login">Log in</a> <a href="/signup">Sign up</a>`
    }
  </nav>
</header>
<main>
${body}
</main>
</body>
</html>`.value;
}

export function fieldError(errors: Record<string, string>, name: string): SafeHtml {
  const message = errors[name];
  return message ? html`<p class="field-error" id="${name}-error">${message}</p>` : html``;
}
