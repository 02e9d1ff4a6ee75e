// R-U5: people sign in at the identity provider (its own page), never by pasting a token here.
export function SignIn({ notice, onSignIn }: { notice: string | null; onSignIn: (() => void) | null }) {
  return (
    <main className="sign-in" id="konten">
      <h1>Masuk ke Konsol APKT</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <p className="help">Masuk dengan akun korporat Anda di penyedia identitas. Dalam mode pengembangan, orang demo dan kata sandinya tercetak saat layanan dimulai.</p>
      {onSignIn && (
        <button type="button" onClick={onSignIn} autoFocus>
          Masuk
        </button>
      )}
    </main>
  );
}
