import { useState, type FormEvent } from 'react';
import { api, RequestFailed, type User } from './api.ts';

export function Login({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      await api('POST', '/api/auth/login', { username, password });
      const me = await api<{ user: User }>('GET', '/api/auth/me');
      onSignedIn(me.user);
    } catch (e) {
      setProblem(e instanceof RequestFailed ? e.message : 'the server could not be reached');
    }
  }

  return (
    <main className="login">
      <h1>Clearway</h1>
      <form onSubmit={submit}>
        <label>
          Username
          <input
            autoFocus
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {problem && <p role="alert">{problem}</p>}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
