import { KmsError } from './errors.js';
import type { KeySpec, KeyUsage, Origin, SymmetricAlgorithm } from './key-spec.js';

export const KEY_STATES = ['Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable', 'Updating'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** A KMS key's metadata: what it is and where it lives. Material lives in its versions. */
export interface KmsKey {
  id: string;
  account: string;
  region: string;
  projectId: string;
  /** Infisical's key name (unique per project). Keys made through the AWS API are named after their id. */
  name: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  symmetricAlgorithm: SymmetricAlgorithm | null;
  origin: Origin;
  keyManager: 'CUSTOMER' | 'AWS';
  state: KeyState;
  multiRegion: boolean;
  currentVersion: number;
  createdAt: number;
  updatedAt: number;
  deletionDate: number | null;
}

export interface KeyVersion {
  keyId: string;
  version: number;
  /** 64 lowercase hex characters, as AWS's KeyMaterialId. */
  materialId: string;
  wrappedMaterial: Buffer;
  createdAt: number;
}

export type KmsOperation =
  | 'Encrypt' | 'Decrypt' | 'ReEncrypt' | 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext'
  | 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext' | 'Sign' | 'Verify' | 'GenerateMac' | 'VerifyMac'
  | 'DeriveSharedSecret' | 'GetPublicKey' | 'Encapsulate' | 'Decapsulate';

const STATE_MESSAGES: Partial<Record<KeyState, string>> = {
  PendingDeletion: 'is pending deletion.',
  PendingImport: 'is pending import.',
  PendingReplicaDeletion: 'is pending replica deletion.',
  Unavailable: 'is unavailable.',
  Creating: 'is being created.',
  Updating: 'is being updated.',
};

/** The state check every cryptographic operation makes, with AWS's exceptions and messages. */
export function assertUsable(key: KmsKey, arn: string): void {
  if (key.state === 'Enabled') return;
  if (key.state === 'Disabled') throw new KmsError('Disabled', `${arn} is disabled.`);
  throw new KmsError('InvalidState', `${arn} ${STATE_MESSAGES[key.state] ?? 'is not in a valid state.'}`);
}

export function assertUsage(key: KmsKey, arn: string, usage: KeyUsage, operation: KmsOperation): void {
  if (key.keyUsage !== usage) {
    throw new KmsError('InvalidKeyUsage', `${arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
  }
}

/** Management operations refuse keys in transitional or terminal states, as AWS does. */
export function assertManageable(key: KmsKey, arn: string): void {
  if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion' || key.state === 'Unavailable') {
    throw new KmsError('InvalidState', `${arn} ${STATE_MESSAGES[key.state]}`);
  }
}
