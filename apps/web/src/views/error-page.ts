import { html } from './html.js';

/** A self-contained error page (no assets, no session): used whatever state the app is in. */
export function renderErrorPage(error: { statusCode: number; error: string; message: string }, loggedIn: boolean): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${error.statusCode} ${error.error} · Watchpost</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933}h1{font-size:1.6rem}</style>
</head><body>
<h1>${error.statusCode} ${error.error}</h1>
<p>${error.message}</p>
<p><a href="${loggedIn ? '/' : '/login'}">${loggedIn ? 'Back to your monitors' : 'Log in'}</a></p>
</body></html>`.value;
}
