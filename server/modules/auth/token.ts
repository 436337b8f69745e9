import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';

export const ISSUER = 'samtykke';
export const AUDIENCE = 'samtykke-api';
const ALGORITHM = 'HS256';
const TYPE = 'JWT';

export interface SessionClaims {
  /** Account id. */
  sub: string;
  /** Session id: the row that makes logout and deactivation take effect at once. */
  sid: string;
}

export interface TokenKeys {
  key: Uint8Array;
  kid: string;
}

/** Derives the signing key and its id from SESSION_SECRET. */
export function tokenKeys(secret: string): TokenKeys {
  const key = createHash('sha256').update(`samtykke-session:${secret}`).digest();
  const kid = createHash('sha256').update(key).digest('base64url').slice(0, 16);
  return { key: new Uint8Array(key), kid };
}

export async function signSessionToken(keys: TokenKeys, claims: SessionClaims, now: Date, expiresAt: Date): Promise<string> {
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: ALGORITHM, typ: TYPE, kid: keys.kid })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keys.key);
}

// Headers that point a verifier at other keys have no place in our own tokens.
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];

/** Returns the claims of a token we issued, or null for anything else. Never throws. */
export async function verifySessionToken(keys: TokenKeys, token: string, now: Date): Promise<SessionClaims | null> {
  try {
    const header = decodeProtectedHeader(token);
    if (header.kid !== keys.kid || FORBIDDEN_HEADERS.some((h) => h in header)) return null;
    const { payload } = await jwtVerify(token, keys.key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TYPE,
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { sub: payload.sub, sid: payload.sid };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError || err instanceof TypeError || err instanceof SyntaxError) return null;
    throw err;
  }
}
