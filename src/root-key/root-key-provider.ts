/**
 * Root protection: the operator-controlled key that wraps the instance root key.
 * Software (a KEK from the environment) today; PKCS#11 plugs in behind the same contract.
 * Implementations never expose the protection key itself, only wrap/unwrap of the instance root key.
 */
export type EncryptionStrategy = 'software' | 'hsm';

export interface RootKeyProvider {
  readonly strategy: EncryptionStrategy;
  /** A non-secret fingerprint of the protection key, stored beside the wrapped root key for clear errors. */
  checkValue(): Promise<string>;
  wrap(rootKey: Buffer, aad: Buffer): Promise<Buffer>;
  /** Rejects with RootKeyMismatchError when the blob was not wrapped by this protection key. */
  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  describe(): { strategy: EncryptionStrategy; detail: string };
  close(): Promise<void>;
}

export class RootKeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootKeyMismatchError';
  }
}

export class RootKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootKeyConfigError';
  }
}
