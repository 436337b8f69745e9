import { api } from '../../lib/api';
import type { Language } from '../../i18n';
import type { SessionResponse } from '../../types/api';

export function signIn(email: string, password: string): Promise<SessionResponse> {
  return api<SessionResponse>('/api/auth/login', { method: 'POST', body: { email, password } });
}

export function requestSignInLink(email: string, lang: Language): Promise<{ ok: true }> {
  return api<{ ok: true }>('/api/auth/magic-link', { method: 'POST', body: { email, lang } });
}

// A link is good for one use; React may run an effect twice (StrictMode), so the same token
// is only ever sent once per page load.
const redeemed = new Map<string, Promise<SessionResponse>>();
export function redeemSignInLink(token: string): Promise<SessionResponse> {
  let pending = redeemed.get(token);
  if (!pending) {
    pending = api<SessionResponse>(`/api/auth/magic/${encodeURIComponent(token)}`);
    redeemed.set(token, pending);
  }
  return pending;
}
