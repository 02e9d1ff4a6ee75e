import { useState } from 'react';
import { isExpired, parseToken, type Session } from '../session';

export function SignIn({ notice, onSignIn }: { notice: string | null; onSignIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const session = parseToken(token);
    if (!session) return setError('Token tidak dapat dibaca. Tempel token Bearer (JWT) yang lengkap.');
    if (isExpired(session)) return setError('Token ini sudah kedaluwarsa.');
    onSignIn(session);
  };

  return (
    <main className="sign-in" id="konten">
      <h1>Masuk ke Konsol APKT</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="token">Token Bearer</label>
        <textarea
          id="token"
          rows={5}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="token-help"
          aria-invalid={error ? true : undefined}
          autoFocus
          spellCheck={false}
        />
        <p id="token-help" className="help">
          Tempel token dari administrator. Dalam mode pengembangan, tautan konsol per peran tercetak saat layanan dimulai.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">Masuk</button>
      </form>
    </main>
  );
}
