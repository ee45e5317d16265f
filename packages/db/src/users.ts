import type { Database } from './client.js';
import type { User } from './generated/prisma/client.js';
import { isUniqueViolation } from './errors.js';

/** Creates a user; returns null when the email is already registered. */
export async function createUser(db: Database, email: string, passwordHash: string): Promise<User | null> {
  try {
    return await db.user.create({ data: { email, passwordHash } });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export function findUserByEmail(db: Database, email: string): Promise<User | null> {
  return db.user.findUnique({ where: { email } });
}

export function findUserById(db: Database, id: string): Promise<User | null> {
  return db.user.findUnique({ where: { id } });
}
