import { keySpecRules } from '../../core/key-spec.js';
import type { KeyView } from '../../service/operations/create-key.js';

/** AWS KeyMetadata: algorithm lists only where they apply; timestamps in epoch seconds. */
export function keyMetadata(view: KeyView): Record<string, unknown> {
  const { key } = view;
  const rules = keySpecRules(key.keySpec);
  const out: Record<string, unknown> = {
    AWSAccountId: key.account,
    KeyId: key.id,
    Arn: view.arn,
    CreationDate: key.createdAt / 1000,
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    Origin: key.origin,
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegion,
  };
  if (key.deletionDate !== null) {
    out.DeletionDate = key.deletionDate / 1000;
  }
  if (key.keyUsage === 'ENCRYPT_DECRYPT' && rules.encryptionAlgorithms) out.EncryptionAlgorithms = [...rules.encryptionAlgorithms];
  if (key.multiRegion) {
    out.MultiRegionConfiguration = { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: view.arn, Region: key.region }, ReplicaKeys: [] };
  }
  if (view.currentMaterialId) out.CurrentKeyMaterialId = view.currentMaterialId;
  return out;
}
