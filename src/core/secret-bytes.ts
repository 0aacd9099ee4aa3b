import { inspect } from 'node:util';

/**
 * Secret material (key bytes, data keys, plaintexts on their way out). Reading the bytes takes an explicit,
 * searchable call (`reveal`), the value never prints or serialises by accident, and `zero` wipes it.
 */
export class SecretBytes {
  #bytes: Buffer | undefined;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Takes ownership of `bytes`: the caller must not keep using the buffer. */
  static adopt(bytes: Buffer): SecretBytes {
    return new SecretBytes(bytes);
  }

  get length(): number {
    return this.#bytes?.length ?? 0;
  }

  get zeroed(): boolean {
    return this.#bytes === undefined;
  }

  reveal(): Buffer {
    if (!this.#bytes) throw new Error('secret bytes were already zeroed');
    return this.#bytes;
  }

  zero(): void {
    this.#bytes?.fill(0);
    this.#bytes = undefined;
  }

  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return `SecretBytes(${this.length} bytes)`;
  }
}
