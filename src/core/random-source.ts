/** Random bytes come in as a parameter so core stays deterministic under test. */
export type RandomSource = (size: number) => Buffer;
