import type { Database } from './client.js';
import type { User } from './generated/prisma/client.js';
import { isUniqueViolation } from './errors.js';

/**
 * Creates a user; returns null when the email is already registered. The first account of an
 * installation becomes its administrator (it sees the ops page).
 */
export async function createUser(db: Database, email: string, passwordHash: string): Promise<User | null> {
  try {
    return await db.$transaction(async (tx) => {
      // Serialises concurrent first sign-ups so exactly one of them becomes the administrator.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('watchpost:first-user'))`;
      const isAdmin = (await tx.user.count({ take: 1 })) === 0;
      return tx.user.create({ data: { email, passwordHash, isAdmin } });
    });
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
