import type { KmsKey } from '../../core/kms-key.js';
import type { SymmetricAlgorithm } from '../../core/key-spec.js';
import type { Project } from '../../core/tenancy.js';

/** Infisical's names for the key types this server can create, and what they are here. */
export const REST_ALGORITHMS: Readonly<Record<string, SymmetricAlgorithm>> = {
  'aes-256-gcm': 'AES_256_GCM',
  'aes-128-gcm': 'AES_128_GCM',
};

const ALGORITHM_NAMES: Record<SymmetricAlgorithm, string> = { AES_256_GCM: 'aes-256-gcm', AES_128_GCM: 'aes-128-gcm' };

export interface RestKey {
  id: string;
  name: string;
  description: string;
  isDisabled: boolean;
  orgId: string;
  projectId: string;
  keyUsage: string;
  version: number;
  encryptionAlgorithm: string;
  createdAt: string;
  updatedAt: string;
}

export function keyView(key: KmsKey, orgId: string): RestKey {
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    // Only Enabled keys can be used; a key pending deletion (the answer to DELETE) reads as disabled.
    isDisabled: key.state !== 'Enabled',
    orgId,
    projectId: key.projectId,
    keyUsage: key.keyUsage.toLowerCase().replace(/_/g, '-'),
    version: key.currentVersion,
    // Asymmetric keys (a later addition) go by their key spec, as Infisical names them (RSA_4096, ECC_NIST_P256).
    encryptionAlgorithm: key.symmetricAlgorithm ? ALGORITHM_NAMES[key.symmetricAlgorithm] : key.keySpec,
    createdAt: new Date(key.createdAt).toISOString(),
    updatedAt: new Date(key.updatedAt).toISOString(),
  };
}

export function projectView(project: Project): Record<string, string> {
  return {
    id: project.id,
    name: project.name,
    slug: project.slug,
    description: project.description,
    orgId: project.orgId,
    createdAt: new Date(project.createdAt).toISOString(),
  };
}
