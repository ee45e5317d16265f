import { hash, verify } from '@node-rs/argon2';

// Argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A hash of a random password, verified against when the email is unknown, so that the time a
// login takes does not tell whether an account exists.
const unknownUserHash = hash(`no such user ${Math.random()}`);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    await verify(await unknownUserHash, password);
    return false;
  }
  return verify(passwordHash, password);
}
