import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { User } from '../types/api';
import { api, isApiError, setSessionLostHandler } from './api';

export type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'failed'; error: unknown }
  | { status: 'authenticated'; user: User };

type SessionContextValue = {
  session: Session;
  /** After a successful sign-in, so the app need not ask the server again. */
  signedIn(user: User): void;
  signOut(): Promise<void>;
  reload(): void;
};

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const asking = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    asking.current = controller;
    api<{ user: User }>('/api/me', { signal: controller.signal })
      .then(({ user }) => setSession({ status: 'authenticated', user }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setSession(isApiError(error) && error.status === 401 ? { status: 'anonymous' } : { status: 'failed', error });
      });
    return () => controller.abort();
  }, [attempt]);

  useEffect(() => {
    setSessionLostHandler(() => setSession({ status: 'anonymous' }));
    return () => setSessionLostHandler(null);
  }, []);

  // A sign-in (by password or e-mailed link) can finish before the first "who am I?" does,
  // whose "nobody" answer must not then undo it.
  const signedIn = useCallback((user: User) => {
    asking.current?.abort();
    setSession({ status: 'authenticated', user });
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api<void>('/api/auth/logout', { method: 'POST' });
    } finally {
      setSession({ status: 'anonymous' });
    }
  }, []);
  const reload = useCallback(() => {
    setSession({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ session, signedIn, signOut, reload }), [session, signedIn, signOut, reload]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for pages behind the sign-in guard. */
export function useUser(): User {
  const { session } = useSession();
  if (session.status !== 'authenticated') throw new Error('useUser needs a signed-in user');
  return session.user;
}
