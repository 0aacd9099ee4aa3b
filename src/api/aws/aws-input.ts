import { KmsError } from '../../core/errors.js';
import type { Tag } from '../../core/tenancy.js';

type Limits = { required?: boolean; min?: number; max?: number };

/**
 * Reads one AWS JSON request body the way AWS validates it: type errors are SerializationException,
 * constraint violations are collected into one ValidationException with AWS's wording
 * ("2 validation errors detected: Value '…' at 'keyId' failed to satisfy constraint: …").
 */
export class AwsInput {
  readonly #body: Record<string, unknown>;
  readonly #errors: string[] = [];

  constructor(body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new KmsError('Serialization', 'Start of structure or map found where not expected.');
    }
    this.#body = body as Record<string, unknown>;
  }

  has(name: string): boolean {
    return this.#body[name] !== undefined && this.#body[name] !== null;
  }

  string(name: string, limits: Limits = {}): string | undefined {
    const v = this.#present(name, limits);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new KmsError('Serialization', `Value for '${name}' must be a string.`);
    this.#length(name, v, v.length, limits);
    return v;
  }

  requiredString(name: string, limits: Limits = {}): string {
    return this.string(name, { ...limits, required: true }) as string;
  }

  blob(name: string, limits: Limits = {}): Buffer | undefined {
    const v = this.#present(name, limits);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 === 1) {
      throw new KmsError('Serialization', `Value for '${name}' must be base64-encoded binary data.`);
    }
    const bytes = Buffer.from(v, 'base64');
    // Blob values are never echoed back: they may be secrets.
    if (limits.min !== undefined && bytes.length < limits.min) this.#errors.push(`Value at '${member(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${limits.min}`);
    if (limits.max !== undefined && bytes.length > limits.max) this.#errors.push(`Value at '${member(name)}' failed to satisfy constraint: Member must have length less than or equal to ${limits.max}`);
    return bytes;
  }

  integer(name: string, limits: Limits = {}): number | undefined {
    const v = this.#present(name, limits);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new KmsError('Serialization', `Value for '${name}' must be an integer.`);
    if (limits.min !== undefined && v < limits.min) this.#errors.push(`Value '${v}' at '${member(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${limits.min}`);
    if (limits.max !== undefined && v > limits.max) this.#errors.push(`Value '${v}' at '${member(name)}' failed to satisfy constraint: Member must have value less than or equal to ${limits.max}`);
    return v;
  }

  boolean(name: string): boolean | undefined {
    const v = this.#present(name, {});
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new KmsError('Serialization', `Value for '${name}' must be a boolean.`);
    return v;
  }

  enumValue<T extends string>(name: string, values: readonly T[], limits: Limits = {}): T | undefined {
    const v = this.string(name, limits);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.#errors.push(`Value '${v}' at '${member(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
      return undefined;
    }
    return v as T;
  }

  stringMap(name: string): Record<string, string> | undefined {
    const v = this.#present(name, {});
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw new KmsError('Serialization', `Value for '${name}' must be a map of strings.`);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x !== 'string') throw new KmsError('Serialization', `Value for '${name}.${k}' must be a string.`);
    }
    return v as Record<string, string>;
  }

  stringList(name: string, limits: Limits & { itemMax?: number } = {}): string[] | undefined {
    const v = this.#present(name, limits);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new KmsError('Serialization', `Value for '${name}' must be a list of strings.`);
    this.#length(name, v, v.length, limits);
    return v as string[];
  }

  tags(name: string, limits: Limits = {}): Tag[] | undefined {
    const v = this.#present(name, limits);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new KmsError('Serialization', `Value for '${name}' must be a list of tags.`);
    return v.map((t: unknown, i) => {
      const tag = t as { TagKey?: unknown; TagValue?: unknown };
      if (typeof t !== 'object' || t === null || typeof tag.TagKey !== 'string' || typeof tag.TagValue !== 'string') {
        throw new KmsError('Serialization', `Each entry of '${name}' must have string TagKey and TagValue.`);
      }
      const at = `${member(name)}.${i + 1}.member`;
      if (tag.TagKey.length < 1) this.#errors.push(`Value '${tag.TagKey}' at '${at}.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1`);
      if (tag.TagKey.length > 128) this.#errors.push(`Value '${tag.TagKey}' at '${at}.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`);
      if (tag.TagValue.length > 256) this.#errors.push(`Value '${tag.TagValue}' at '${at}.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`);
      return { key: tag.TagKey, value: tag.TagValue };
    });
  }

  /** Throws the collected ValidationException, if any. Call before touching the service. */
  done(): void {
    if (this.#errors.length === 0) return;
    const n = this.#errors.length;
    throw new KmsError('Validation', `${n} validation error${n > 1 ? 's' : ''} detected: ${this.#errors.join('; ')}`);
  }

  #present(name: string, limits: Limits): unknown {
    const v = this.#body[name];
    if (v === undefined || v === null) {
      if (limits.required) this.#errors.push(`Value null at '${member(name)}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    return v;
  }

  #length(name: string, value: unknown, length: number, limits: Limits): void {
    const shown = typeof value === 'string' ? `'${value}'` : `'[${String(value)}]'`;
    if (limits.min !== undefined && length < limits.min) this.#errors.push(`Value ${shown} at '${member(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${limits.min}`);
    if (limits.max !== undefined && length > limits.max) this.#errors.push(`Value ${shown} at '${member(name)}' failed to satisfy constraint: Member must have length less than or equal to ${limits.max}`);
  }
}

function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
