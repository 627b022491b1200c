// Keys and random streams (spec §4–§5).
import { be, concat, sha256, unhex, utf8 } from './bytes.js';

const TWO64 = 1n << 64n;

export function commitment(seed) {
  return sha256(seed);
}

// suicha-draw/1 key: draws made before beacons existed.
export function streamKey(seed, snapshotHashHex) {
  return sha256(utf8('suicha-draw/1\0key\0'), seed, unhex(snapshotHashHex));
}

// suicha-draw/2 key (the contract): seed ‖ beacon randomness ‖ snapshot hash.
export function deriveKey(seed, beaconRandomness, snapshotHashHex) {
  const h = unhex(snapshotHashHex);
  if (seed.length !== 32 || beaconRandomness.length !== 32 || h.length !== 32) {
    throw new Error('随机种子、公共随机数和快照哈希都应为32字节');
  }
  return sha256(utf8('suicha-draw/2\0key\0'), seed, beaconRandomness, h);
}

export function drawKey(seed, beaconRandomness, snapshotHashHex) {
  return beaconRandomness == null
    ? streamKey(seed, snapshotHashHex)
    : deriveKey(seed, beaconRandomness, snapshotHashHex);
}

// One labelled SHA-256 counter-mode stream of 64-bit words.
export class Stream {
  constructor(key, label) {
    const raw = utf8(label);
    this.prefix = concat(utf8('suicha-draw/1\0stream\0'), key, be(raw.length, 4), raw);
    this.counter = 0;
    this.words = [];
  }

  next() {
    if (!this.words.length) {
      const block = sha256(this.prefix, be(this.counter, 8));
      this.counter += 1;
      for (let i = 0; i < 4; i++) {
        let v = 0n;
        for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(block[8 * i + j]);
        this.words.push(v);
      }
    }
    return this.words.shift();
  }

  randbelow(n) {
    if (n <= 1) {
      if (n === 1) return 0;
      throw new Error('randbelow: n must be positive');
    }
    const big = BigInt(n);
    const limit = TWO64 - (TWO64 % big);
    for (;;) {
      const v = this.next();
      if (v < limit) return Number(v % big);
    }
  }
}

export function partialShuffle(items, k, stream) {
  const work = items.slice();
  const n = work.length;
  for (let i = 0; i < k; i++) {
    const j = i + stream.randbelow(n - i);
    [work[i], work[j]] = [work[j], work[i]];
  }
  return work.slice(0, k);
}
