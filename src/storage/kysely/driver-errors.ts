import { KmsError } from '../../core/errors.js';

/** Unique violations become AlreadyExists; every other driver failure is Internal, without driver text. */
export async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw translate(e);
  }
}

export function translate(e: unknown): KmsError {
  if (e instanceof KmsError) return e;
  const err = e as { code?: string; message?: string };
  if (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new KmsError('AlreadyExists', 'The resource already exists.', { cause: e });
  }
  return new KmsError('Internal', 'The storage layer failed to complete the request.', { cause: e });
}
