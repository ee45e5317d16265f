import { createUser, findUserByEmail, type Database, type User } from '@watchpost/db';
import { hashPassword, verifyPassword } from './passwords.js';
import type { LoginLimiter } from './login-limiter.js';

export class EmailTakenError extends Error {
  readonly statusCode = 409;
  constructor() {
    super('An account with this email already exists');
  }
}

export class InvalidCredentialsError extends Error {
  readonly statusCode = 401;
  constructor() {
    super('Email or password is incorrect');
  }
}

/** Registers a user (email already normalised); throws EmailTakenError for a registered email. */
export async function signUp(db: Database, email: string, password: string): Promise<User> {
  const user = await createUser(db, email, await hashPassword(password));
  if (!user) throw new EmailTakenError();
  return user;
}

/** Checks credentials within the login rate limits; returns the user or throws. */
export async function authenticate(
  db: Database,
  limiter: LoginLimiter,
  ip: string,
  email: string,
  password: string,
): Promise<User> {
  await limiter.beforeAttempt(ip, email);
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !valid) {
    await limiter.recordFailure(email);
    throw new InvalidCredentialsError();
  }
  await limiter.recordSuccess(email);
  return user;
}
