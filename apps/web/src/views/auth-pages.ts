import { html } from './html.js';
import { fieldError, layout, type PageContext } from './layout.js';

export interface AuthForm {
  email: string;
  errors: Record<string, string>;
  message?: string;
}

function authPage(ctx: PageContext, kind: 'login' | 'signup', form: AuthForm): string {
  const title = kind === 'login' ? 'Log in' : 'Sign up';
  const other =
    kind === 'login'
      ? html`No account yet? <a href="/signup">Sign up</a>`
      : html`Already have an account? <a href="/login">Log in</a>`;
  return layout(
    ctx,
    title,
    html`<section class="card narrow">
  <h1>${title}</h1>
  ${form.message ? html`<p class="alert" role="alert">${form.message}</p>` : ''}
  <form method="post" action="/${kind}" novalidate>
    ${ctx.csrfToken ? html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">` : ''}
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" required value="${form.email}">
    ${fieldError(form.errors, 'email')}
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="${kind === 'login' ? 'current-password' : 'new-password'}" required>
    ${fieldError(form.errors, 'password')}
    <button type="submit">${title}</button>
  </form>
  <p class="muted">${other}</p>
</section>`,
  );
}

export const loginPage = (ctx: PageContext, form: AuthForm) => authPage(ctx, 'login', form);
export const signupPage = (ctx: PageContext, form: AuthForm) => authPage(ctx, 'signup', form);
