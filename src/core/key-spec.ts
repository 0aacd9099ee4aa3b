import { KmsError } from './errors.js';

// The AWS enums, in the order AWS lists them in validation messages where that is known.
export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521',
  'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024', 'SM2',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type Origin = (typeof ORIGINS)[number];

export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];

export const DATA_KEY_SPECS = ['AES_256', 'AES_128'] as const;
export type DataKeySpec = (typeof DATA_KEY_SPECS)[number];

/**
 * The symmetric cipher behind a SYMMETRIC_DEFAULT key. AWS only has AES-256-GCM; AES-128-GCM exists for
 * Infisical's `aes-128-gcm` key type and shows as SYMMETRIC_DEFAULT on the AWS API.
 */
export type SymmetricAlgorithm = 'AES_256_GCM' | 'AES_128_GCM';

export interface KeySpecRules {
  usages: readonly KeyUsage[];
  defaultUsage?: KeyUsage;
  encryptionAlgorithms?: readonly EncryptionAlgorithm[];
  /** Whether this server can create keys of this spec yet. */
  supported: boolean;
}

const SYMMETRIC: KeySpecRules = {
  usages: ['ENCRYPT_DECRYPT'],
  defaultUsage: 'ENCRYPT_DECRYPT',
  encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
  supported: true,
};

const RULES: Partial<Record<KeySpec, KeySpecRules>> = { SYMMETRIC_DEFAULT: SYMMETRIC };

export function keySpecRules(spec: KeySpec): KeySpecRules {
  return RULES[spec] ?? { usages: [], supported: false };
}

/** Resolves KeySpec × KeyUsage the way CreateKey does, with AWS's messages. */
export function resolveKeySpecAndUsage(spec: KeySpec, usage: KeyUsage | undefined, region: string): { spec: KeySpec; usage: KeyUsage } {
  if (spec === 'SM2' && !region.startsWith('cn-')) {
    throw new KmsError('Validation', `KeySpec SM2 is not supported in region ${region}. SM2 keys are available only in China Regions.`);
  }
  const rules = keySpecRules(spec);
  if (!rules.supported) {
    throw new KmsError('UnsupportedOperation', `KeySpec ${spec} is not supported by this server yet. Supported key specs: SYMMETRIC_DEFAULT.`);
  }
  const chosen = usage ?? rules.defaultUsage;
  if (!chosen) throw new KmsError('Validation', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  if (!rules.usages.includes(chosen)) throw new KmsError('Validation', `KeyUsage ${chosen} is not compatible with KeySpec ${spec}`);
  return { spec, usage: chosen };
}

export function symmetricMaterialLength(algorithm: SymmetricAlgorithm): number {
  return algorithm === 'AES_128_GCM' ? 16 : 32;
}
