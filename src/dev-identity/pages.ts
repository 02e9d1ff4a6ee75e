// The development provider's own pages: its sign-in form and its sign-out step. Plain HTML, no script
// except the one that submits the sign-out form, so the browser tests drive them like any login page.

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f3f5f8;margin:0}main{max-width:22rem;margin:4rem auto;background:#fff;padding:1.5rem 2rem;border-radius:6px;box-shadow:0 1px 3px #0003}' +
  'label{display:block;margin-top:1rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem}' +
  '.error{color:#a00;font-weight:600}.help{color:#555;font-size:.9rem}';

/** No icon of its own: an empty one, so the browser does not ask the provider for /favicon.ico (a 404 in the console log). */
const ICON = '<link rel="icon" href="data:,">';

export function loginPage(action: string, clientName: string, options: { username?: string; error?: string } = {}): string {
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Masuk — penyedia identitas pengembangan</title>${ICON}<style>${STYLE}</style></head>
<body><main>
<h1>Masuk</h1>
<p class="help">Penyedia identitas pengembangan APKT untuk ${escape(clientName)}. Orang demo dan kata sandinya tercetak saat layanan dimulai.</p>
${options.error ? `<p class="error" role="alert">${escape(options.error)}</p>` : ''}
<form method="post" action="${escape(action)}" autocomplete="off">
<label for="username">Nama pengguna</label><input id="username" name="username" required autofocus value="${escape(options.username ?? '')}">
<label for="password">Kata sandi</label><input id="password" name="password" type="password" required>
<button type="submit">Masuk</button>
</form>
</main></body></html>`;
}

/** oidc-provider's sign-out step: the person already chose to sign out in the console, so it submits itself. */
export function logoutPage(form: string): string {
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Keluar</title>${ICON}<style>${STYLE}</style></head>
<body><main><h1>Keluar</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" id="logout-yes">Keluar dari penyedia identitas</button>
<script>document.getElementById('logout-yes').click()</script>
</main></body></html>`;
}
