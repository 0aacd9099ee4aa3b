import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random-source.js';
import type { Store } from '../storage/ports.js';
import type { KeyCache } from './key-cache.js';
import type { KeyHierarchy } from './key-hierarchy.js';

export interface ServiceDeps {
  store: Store;
  hierarchy: KeyHierarchy;
  cache: KeyCache;
  clock: Clock;
  random: RandomSource;
  newId: () => string;
  partition: string;
  defaultRegion: string;
}
