/* suicha-verify: built from js/verify sources-sha256 cb518983513395fa631fb06c8252643d3ca188ce300955586d9c58e058c47d95 */
var SuichaVerify = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod2) => __copyProps(__defProp({}, "__esModule", { value: true }), mod2);
  var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

  // src/index.js
  var index_exports = {};
  __export(index_exports, {
    BeaconError: () => BeaconError,
    Stream: () => Stream,
    audit: () => audit,
    canonicalJson: () => canonicalJson,
    ceilRatio: () => ceilRatio,
    checkAdjustments: () => checkAdjustments,
    checkPublic: () => checkPublic,
    checkReceipt: () => checkReceipt,
    checkValue: () => checkValue,
    deriveKey: () => deriveKey,
    drawKey: () => drawKey,
    drawTargets: () => drawTargets,
    encodePool: () => encodePool,
    expectedPublic: () => expectedPublic,
    hex: () => hex,
    keyOf: () => keyOf,
    leafHash: () => leafHash,
    nodeHash: () => nodeHash,
    orderTag: () => orderTag,
    parseReceiptCode: () => parseReceiptCode,
    partialShuffle: () => partialShuffle,
    pseudonym: () => pseudonym,
    publicDraw: () => publicDraw,
    publicPool: () => publicPool,
    receiptCode: () => receiptCode,
    runDraw: () => runDraw,
    salt: () => salt,
    select: () => select,
    sha256: () => sha2562,
    snapshotHash: () => snapshotHash,
    strata: () => strata,
    streamKey: () => streamKey,
    ticket: () => ticket,
    unhex: () => unhex,
    utf8: () => utf8,
    verifyConsistency: () => verifyConsistency,
    verifyFileInLog: () => verifyFileInLog,
    verifyHead: () => verifyHead,
    verifyInclusion: () => verifyInclusion,
    verifyRecord: () => verifyRecord,
    visitOrder: () => visitOrder
  });

  // node_modules/@noble/hashes/_u64.js
  var U32_MASK64 = /* @__PURE__ */ (() => BigInt(2 ** 32 - 1))();
  var _32n = /* @__PURE__ */ BigInt(32);
  function fromBig(n, le = false) {
    if (le)
      return { h: Number(n & U32_MASK64), l: Number(n >> _32n & U32_MASK64) };
    return { h: Number(n >> _32n & U32_MASK64) | 0, l: Number(n & U32_MASK64) | 0 };
  }
  function split(lst, le = false) {
    const len = lst.length;
    let Ah = new Uint32Array(len);
    let Al = new Uint32Array(len);
    for (let i = 0; i < len; i++) {
      const { h, l } = fromBig(lst[i], le);
      [Ah[i], Al[i]] = [h, l];
    }
    return [Ah, Al];
  }
  var fromNumH = (n) => n / 2 ** 32 | 0;
  var fromNumL = (n) => n >>> 0;
  function setU64FromNum(view, byteOffset, n, isLE) {
    const h = fromNumH(n);
    const l = fromNumL(n);
    view.setUint32(byteOffset, isLE ? l : h, isLE);
    view.setUint32(byteOffset + 4, isLE ? h : l, isLE);
  }
  var shrSH = (h, _l, s) => h >>> s;
  var shrSL = (h, l, s) => h << 32 - s | l >>> s;
  var rotrSH = (h, l, s) => h >>> s | l << 32 - s;
  var rotrSL = (h, l, s) => h << 32 - s | l >>> s;
  var rotrBH = (h, l, s) => h << 64 - s | l >>> s - 32;
  var rotrBL = (h, l, s) => h >>> s - 32 | l << 64 - s;
  function add(Ah, Al, Bh, Bl) {
    const l = (Al >>> 0) + (Bl >>> 0);
    return { h: Ah + Bh + (l / 2 ** 32 | 0) | 0, l: l | 0 };
  }
  var add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
  var add3H = (low, Ah, Bh, Ch) => Ah + Bh + Ch + (low / 2 ** 32 | 0) | 0;
  var add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
  var add4H = (low, Ah, Bh, Ch, Dh) => Ah + Bh + Ch + Dh + (low / 2 ** 32 | 0) | 0;
  var add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
  var add5H = (low, Ah, Bh, Ch, Dh, Eh) => Ah + Bh + Ch + Dh + Eh + (low / 2 ** 32 | 0) | 0;

  // node_modules/@noble/hashes/utils.js
  function isBytes(a) {
    return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
  }
  var atitle = (title) => title ? `"${title}" ` : "";
  function anumber(n, title = "") {
    if (typeof n !== "number")
      throw new TypeError(atitle(title) + "expected number, got " + typeof n);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
    return n;
  }
  function abytes(value, length, title = "") {
    if (isBytes(value) && (length === void 0 || value.length === length))
      return value;
    if (length !== void 0)
      anumber(length, "length");
    const bytes = isBytes(value);
    const ofLen = length !== void 0 ? ` of length ${length}` : "";
    const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
    const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
    if (!bytes)
      throw new TypeError(message);
    throw new RangeError(message);
  }
  var aobject = (value, label) => {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
  };
  var aopts = (value, label) => {
    aobject(value, label);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(`"${label}" expected plain object`);
    if (Object.hasOwn(value, "__proto__"))
      throw new TypeError(`"${label}.__proto__" is not allowed`);
  };
  function aexists(instance, checkFinished = true) {
    if (instance.destroyed)
      throw new Error("hash was destroyed");
    if (checkFinished && instance.finished)
      throw new Error("digest() was already called");
  }
  function aoutput(out, instance) {
    abytes(out, void 0, "output");
    const min = instance.outputLen;
    if (!(out.length >= min)) {
      throw new RangeError('"output" expected length >= ' + min);
    }
  }
  function clean(...arrays) {
    for (let i = 0; i < arrays.length; i++) {
      arrays[i].fill(0);
    }
  }
  function createView(arr) {
    return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
  }
  function rotr(word, shift) {
    return word << 32 - shift | word >>> shift;
  }
  var hasHexBuiltin = /* @__PURE__ */ (() => (
    // @ts-ignore
    typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
  ))();
  var hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  function bytesToHex(bytes) {
    abytes(bytes);
    if (hasHexBuiltin)
      return bytes.toHex();
    let hex2 = "";
    for (let i = 0; i < bytes.length; i++) {
      hex2 += hexes[bytes[i]];
    }
    return hex2;
  }
  function asciiToBase16(ch) {
    return ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - (65 - 10) : ch >= 97 && ch <= 102 ? ch - (97 - 10) : void 0;
  }
  function hexToBytes(hex2) {
    if (typeof hex2 !== "string")
      throw new TypeError("hex string expected, got " + typeof hex2);
    if (hasHexBuiltin) {
      try {
        return Uint8Array.fromHex(hex2);
      } catch (error) {
        if (error instanceof SyntaxError)
          throw new RangeError(error.message);
        throw error;
      }
    }
    const hl = hex2.length;
    const al = hl / 2;
    if (hl % 2)
      throw new RangeError("hex string expected, got unpadded hex of length " + hl);
    const array = new Uint8Array(al);
    for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
      const n1 = asciiToBase16(hex2.charCodeAt(hi));
      const n2 = asciiToBase16(hex2.charCodeAt(hi + 1));
      if (n1 === void 0 || n2 === void 0) {
        const char = hex2[hi] + hex2[hi + 1];
        throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
      }
      array[ai] = n1 * 16 + n2;
    }
    return array;
  }
  function concatBytes(...arrays) {
    let sum = 0;
    for (let i = 0; i < arrays.length; i++) {
      const a = arrays[i];
      abytes(a);
      sum += a.length;
    }
    const res = new Uint8Array(sum);
    for (let i = 0, pad = 0; i < arrays.length; i++) {
      const a = arrays[i];
      res.set(a, pad);
      pad += a.length;
    }
    return res;
  }
  function checkOpts(defaults, opts, title = "opts") {
    aopts(defaults, "defaults");
    if (opts !== void 0)
      aopts(opts, title);
    const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
    return merged;
  }
  function createHasher(hashCons, info = {}) {
    if (typeof hashCons !== "function")
      throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
    info = checkOpts({}, info, "info");
    const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
    const tmp = hashCons(void 0);
    hashC.outputLen = tmp.outputLen;
    hashC.blockLen = tmp.blockLen;
    hashC.canXOF = tmp.canXOF;
    hashC.create = (opts) => hashCons(opts);
    Object.assign(hashC, info);
    return Object.freeze(hashC);
  }
  function randomBytes(bytesLength = 32) {
    anumber(bytesLength, "bytesLength");
    const cr = typeof globalThis === "object" ? globalThis.crypto : null;
    if (typeof cr?.getRandomValues !== "function")
      throw new Error("crypto.getRandomValues must be defined");
    if (bytesLength > 65536)
      throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
    return cr.getRandomValues(new Uint8Array(bytesLength));
  }
  var oidNist = (suffix) => ({
    // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
    // Larger suffix values would need base-128 OID encoding and a different length byte.
    oid: Uint8Array.from([6, 9, 96, 134, 72, 1, 101, 3, 4, 2, suffix])
  });

  // node_modules/@noble/hashes/_md.js
  function Chi(a, b, c) {
    return a & b ^ ~a & c;
  }
  function Maj(a, b, c) {
    return a & b ^ a & c ^ b & c;
  }
  var HashMD = class {
    constructor(blockLen, outputLen, padOffset, isLE) {
      __publicField(this, "blockLen");
      __publicField(this, "outputLen");
      __publicField(this, "canXOF", false);
      __publicField(this, "padOffset");
      __publicField(this, "isLE");
      // For partial updates less than block size
      __publicField(this, "buffer");
      __publicField(this, "view");
      __publicField(this, "finished", false);
      __publicField(this, "length", 0);
      __publicField(this, "pos", 0);
      __publicField(this, "destroyed", false);
      this.blockLen = blockLen;
      this.outputLen = outputLen;
      this.padOffset = padOffset;
      this.isLE = isLE;
      this.buffer = new Uint8Array(blockLen);
      this.view = createView(this.buffer);
    }
    update(data) {
      aexists(this);
      abytes(data);
      const { view, buffer, blockLen } = this;
      const len = data.length;
      let processed = false;
      for (let pos = 0; pos < len; ) {
        const take = Math.min(blockLen - this.pos, len - pos);
        if (take === blockLen) {
          const dataView = createView(data);
          for (; blockLen <= len - pos; pos += blockLen)
            this.process(dataView, pos);
          processed = true;
          continue;
        }
        buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
        this.pos += take;
        pos += take;
        if (this.pos === blockLen) {
          this.process(view, 0);
          this.pos = 0;
          processed = true;
        }
      }
      this.length += data.length;
      if (processed)
        this.roundClean();
      return this;
    }
    digestInto(out) {
      aexists(this);
      aoutput(out, this);
      this.finished = true;
      const { buffer, view, blockLen, isLE } = this;
      let { pos } = this;
      buffer[pos++] = 128;
      buffer.fill(0, pos);
      if (this.padOffset > blockLen - pos) {
        this.process(view, 0);
        buffer.fill(0);
      }
      setU64FromNum(view, blockLen - 8, this.length * 8, isLE);
      this.process(view, 0);
      this.roundClean();
      const oview = out === buffer ? view : createView(out);
      const len = this.outputLen;
      const outLen = len / 4;
      const state = this.get();
      if (len % 4 || outLen > state.length)
        throw new Error("invalid outputLen");
      for (let i = 0; i < outLen; i++)
        oview.setUint32(4 * i, state[i], isLE);
    }
    digest() {
      const { buffer, outputLen } = this;
      this.digestInto(buffer);
      const res = buffer.slice(0, outputLen);
      this.destroy();
      return res;
    }
    _cloneIntoMeta(to) {
      const { buffer, length, finished, destroyed, pos } = this;
      to.destroyed = destroyed;
      to.finished = finished;
      to.length = length;
      to.pos = pos;
      if (pos)
        to.buffer.set(buffer);
      return to;
    }
    clone() {
      return this._cloneInto();
    }
  };
  var SHA256_IV = /* @__PURE__ */ Uint32Array.from([
    1779033703,
    3144134277,
    1013904242,
    2773480762,
    1359893119,
    2600822924,
    528734635,
    1541459225
  ]);
  var SHA512_IV = /* @__PURE__ */ Uint32Array.from([
    1779033703,
    4089235720,
    3144134277,
    2227873595,
    1013904242,
    4271175723,
    2773480762,
    1595750129,
    1359893119,
    2917565137,
    2600822924,
    725511199,
    528734635,
    4215389547,
    1541459225,
    327033209
  ]);

  // node_modules/@noble/hashes/sha2.js
  var SHA256_K = /* @__PURE__ */ Uint32Array.from([
    1116352408,
    1899447441,
    3049323471,
    3921009573,
    961987163,
    1508970993,
    2453635748,
    2870763221,
    3624381080,
    310598401,
    607225278,
    1426881987,
    1925078388,
    2162078206,
    2614888103,
    3248222580,
    3835390401,
    4022224774,
    264347078,
    604807628,
    770255983,
    1249150122,
    1555081692,
    1996064986,
    2554220882,
    2821834349,
    2952996808,
    3210313671,
    3336571891,
    3584528711,
    113926993,
    338241895,
    666307205,
    773529912,
    1294757372,
    1396182291,
    1695183700,
    1986661051,
    2177026350,
    2456956037,
    2730485921,
    2820302411,
    3259730800,
    3345764771,
    3516065817,
    3600352804,
    4094571909,
    275423344,
    430227734,
    506948616,
    659060556,
    883997877,
    958139571,
    1322822218,
    1537002063,
    1747873779,
    1955562222,
    2024104815,
    2227730452,
    2361852424,
    2428436474,
    2756734187,
    3204031479,
    3329325298
  ]);
  var SHA256_W = /* @__PURE__ */ new Uint32Array(64);
  var SHA2_32B = class extends HashMD {
    constructor(outputLen, IV) {
      super(64, outputLen, 8, false);
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and makes sha256 3x slower (measured).
      __publicField(this, "A", 0);
      __publicField(this, "B", 0);
      __publicField(this, "C", 0);
      __publicField(this, "D", 0);
      __publicField(this, "E", 0);
      __publicField(this, "F", 0);
      __publicField(this, "G", 0);
      __publicField(this, "H", 0);
      this.A = IV[0] | 0;
      this.B = IV[1] | 0;
      this.C = IV[2] | 0;
      this.D = IV[3] | 0;
      this.E = IV[4] | 0;
      this.F = IV[5] | 0;
      this.G = IV[6] | 0;
      this.H = IV[7] | 0;
    }
    get() {
      const { A, B, C, D: D2, E, F, G, H } = this;
      return [A, B, C, D2, E, F, G, H];
    }
    // prettier-ignore
    set(A, B, C, D2, E, F, G, H) {
      this.A = A | 0;
      this.B = B | 0;
      this.C = C | 0;
      this.D = D2 | 0;
      this.E = E | 0;
      this.F = F | 0;
      this.G = G | 0;
      this.H = H | 0;
    }
    _cloneInto(to) {
      (to || (to = new this.constructor())).set(...this.get());
      return this._cloneIntoMeta(to);
    }
    process(view, offset) {
      for (let i = 0; i < 16; i++, offset += 4)
        SHA256_W[i] = view.getUint32(offset, false);
      for (let i = 16; i < 64; i++) {
        const W15 = SHA256_W[i - 15];
        const W2 = SHA256_W[i - 2];
        const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
        const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
        SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
      }
      let { A, B, C, D: D2, E, F, G, H } = this;
      for (let i = 0; i < 64; i++) {
        const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
        const T1 = H + sigma1 + Chi(E, F, G) + SHA256_K[i] + SHA256_W[i] | 0;
        const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
        const T2 = sigma0 + Maj(A, B, C) | 0;
        H = G;
        G = F;
        F = E;
        E = D2 + T1 | 0;
        D2 = C;
        C = B;
        B = A;
        A = T1 + T2 | 0;
      }
      A = A + this.A | 0;
      B = B + this.B | 0;
      C = C + this.C | 0;
      D2 = D2 + this.D | 0;
      E = E + this.E | 0;
      F = F + this.F | 0;
      G = G + this.G | 0;
      H = H + this.H | 0;
      this.set(A, B, C, D2, E, F, G, H);
    }
    roundClean() {
      clean(SHA256_W);
    }
    destroy() {
      this.destroyed = true;
      this.set(0, 0, 0, 0, 0, 0, 0, 0);
      clean(this.buffer);
    }
  };
  var _SHA256 = class extends SHA2_32B {
    constructor() {
      super(32, SHA256_IV);
    }
  };
  var K512 = /* @__PURE__ */ (() => split([
    "0x428a2f98d728ae22",
    "0x7137449123ef65cd",
    "0xb5c0fbcfec4d3b2f",
    "0xe9b5dba58189dbbc",
    "0x3956c25bf348b538",
    "0x59f111f1b605d019",
    "0x923f82a4af194f9b",
    "0xab1c5ed5da6d8118",
    "0xd807aa98a3030242",
    "0x12835b0145706fbe",
    "0x243185be4ee4b28c",
    "0x550c7dc3d5ffb4e2",
    "0x72be5d74f27b896f",
    "0x80deb1fe3b1696b1",
    "0x9bdc06a725c71235",
    "0xc19bf174cf692694",
    "0xe49b69c19ef14ad2",
    "0xefbe4786384f25e3",
    "0x0fc19dc68b8cd5b5",
    "0x240ca1cc77ac9c65",
    "0x2de92c6f592b0275",
    "0x4a7484aa6ea6e483",
    "0x5cb0a9dcbd41fbd4",
    "0x76f988da831153b5",
    "0x983e5152ee66dfab",
    "0xa831c66d2db43210",
    "0xb00327c898fb213f",
    "0xbf597fc7beef0ee4",
    "0xc6e00bf33da88fc2",
    "0xd5a79147930aa725",
    "0x06ca6351e003826f",
    "0x142929670a0e6e70",
    "0x27b70a8546d22ffc",
    "0x2e1b21385c26c926",
    "0x4d2c6dfc5ac42aed",
    "0x53380d139d95b3df",
    "0x650a73548baf63de",
    "0x766a0abb3c77b2a8",
    "0x81c2c92e47edaee6",
    "0x92722c851482353b",
    "0xa2bfe8a14cf10364",
    "0xa81a664bbc423001",
    "0xc24b8b70d0f89791",
    "0xc76c51a30654be30",
    "0xd192e819d6ef5218",
    "0xd69906245565a910",
    "0xf40e35855771202a",
    "0x106aa07032bbd1b8",
    "0x19a4c116b8d2d0c8",
    "0x1e376c085141ab53",
    "0x2748774cdf8eeb99",
    "0x34b0bcb5e19b48a8",
    "0x391c0cb3c5c95a63",
    "0x4ed8aa4ae3418acb",
    "0x5b9cca4f7763e373",
    "0x682e6ff3d6b2b8a3",
    "0x748f82ee5defb2fc",
    "0x78a5636f43172f60",
    "0x84c87814a1f0ab72",
    "0x8cc702081a6439ec",
    "0x90befffa23631e28",
    "0xa4506cebde82bde9",
    "0xbef9a3f7b2c67915",
    "0xc67178f2e372532b",
    "0xca273eceea26619c",
    "0xd186b8c721c0c207",
    "0xeada7dd6cde0eb1e",
    "0xf57d4f7fee6ed178",
    "0x06f067aa72176fba",
    "0x0a637dc5a2c898a6",
    "0x113f9804bef90dae",
    "0x1b710b35131c471b",
    "0x28db77f523047d84",
    "0x32caab7b40c72493",
    "0x3c9ebe0a15c9bebc",
    "0x431d67c49c100d4c",
    "0x4cc5d4becb3e42b6",
    "0x597f299cfc657e2a",
    "0x5fcb6fab3ad6faec",
    "0x6c44198c4a475817"
  ].map((n) => BigInt(n))))();
  var SHA512_Kh = /* @__PURE__ */ (() => K512[0])();
  var SHA512_Kl = /* @__PURE__ */ (() => K512[1])();
  var SHA512_W_H = /* @__PURE__ */ new Uint32Array(80);
  var SHA512_W_L = /* @__PURE__ */ new Uint32Array(80);
  var SHA2_64B = class extends HashMD {
    constructor(outputLen, IV) {
      super(128, outputLen, 16, false);
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // h -- high 32 bits, l -- low 32 bits
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and slows hashing down (measured on sha256).
      __publicField(this, "Ah", 0);
      __publicField(this, "Al", 0);
      __publicField(this, "Bh", 0);
      __publicField(this, "Bl", 0);
      __publicField(this, "Ch", 0);
      __publicField(this, "Cl", 0);
      __publicField(this, "Dh", 0);
      __publicField(this, "Dl", 0);
      __publicField(this, "Eh", 0);
      __publicField(this, "El", 0);
      __publicField(this, "Fh", 0);
      __publicField(this, "Fl", 0);
      __publicField(this, "Gh", 0);
      __publicField(this, "Gl", 0);
      __publicField(this, "Hh", 0);
      __publicField(this, "Hl", 0);
      this.Ah = IV[0] | 0;
      this.Al = IV[1] | 0;
      this.Bh = IV[2] | 0;
      this.Bl = IV[3] | 0;
      this.Ch = IV[4] | 0;
      this.Cl = IV[5] | 0;
      this.Dh = IV[6] | 0;
      this.Dl = IV[7] | 0;
      this.Eh = IV[8] | 0;
      this.El = IV[9] | 0;
      this.Fh = IV[10] | 0;
      this.Fl = IV[11] | 0;
      this.Gh = IV[12] | 0;
      this.Gl = IV[13] | 0;
      this.Hh = IV[14] | 0;
      this.Hl = IV[15] | 0;
    }
    // prettier-ignore
    get() {
      const { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
      return [Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl];
    }
    // prettier-ignore
    set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl) {
      this.Ah = Ah | 0;
      this.Al = Al | 0;
      this.Bh = Bh | 0;
      this.Bl = Bl | 0;
      this.Ch = Ch | 0;
      this.Cl = Cl | 0;
      this.Dh = Dh | 0;
      this.Dl = Dl | 0;
      this.Eh = Eh | 0;
      this.El = El | 0;
      this.Fh = Fh | 0;
      this.Fl = Fl | 0;
      this.Gh = Gh | 0;
      this.Gl = Gl | 0;
      this.Hh = Hh | 0;
      this.Hl = Hl | 0;
    }
    _cloneInto(to) {
      (to || (to = new this.constructor())).set(...this.get());
      return this._cloneIntoMeta(to);
    }
    process(view, offset) {
      for (let i = 0; i < 16; i++, offset += 4) {
        SHA512_W_H[i] = view.getUint32(offset);
        SHA512_W_L[i] = view.getUint32(offset += 4);
      }
      for (let i = 16; i < 80; i++) {
        const W15h = SHA512_W_H[i - 15] | 0;
        const W15l = SHA512_W_L[i - 15] | 0;
        const s0h = rotrSH(W15h, W15l, 1) ^ rotrSH(W15h, W15l, 8) ^ shrSH(W15h, W15l, 7);
        const s0l = rotrSL(W15h, W15l, 1) ^ rotrSL(W15h, W15l, 8) ^ shrSL(W15h, W15l, 7);
        const W2h = SHA512_W_H[i - 2] | 0;
        const W2l = SHA512_W_L[i - 2] | 0;
        const s1h = rotrSH(W2h, W2l, 19) ^ rotrBH(W2h, W2l, 61) ^ shrSH(W2h, W2l, 6);
        const s1l = rotrSL(W2h, W2l, 19) ^ rotrBL(W2h, W2l, 61) ^ shrSL(W2h, W2l, 6);
        const SUMl = add4L(s0l, s1l, SHA512_W_L[i - 7], SHA512_W_L[i - 16]);
        const SUMh = add4H(SUMl, s0h, s1h, SHA512_W_H[i - 7], SHA512_W_H[i - 16]);
        SHA512_W_H[i] = SUMh | 0;
        SHA512_W_L[i] = SUMl | 0;
      }
      let { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
      for (let i = 0; i < 80; i++) {
        const sigma1h = rotrSH(Eh, El, 14) ^ rotrSH(Eh, El, 18) ^ rotrBH(Eh, El, 41);
        const sigma1l = rotrSL(Eh, El, 14) ^ rotrSL(Eh, El, 18) ^ rotrBL(Eh, El, 41);
        const CHIh = Eh & Fh ^ ~Eh & Gh;
        const CHIl = El & Fl ^ ~El & Gl;
        const T1ll = add5L(Hl, sigma1l, CHIl, SHA512_Kl[i], SHA512_W_L[i]);
        const T1h = add5H(T1ll, Hh, sigma1h, CHIh, SHA512_Kh[i], SHA512_W_H[i]);
        const T1l = T1ll | 0;
        const sigma0h = rotrSH(Ah, Al, 28) ^ rotrBH(Ah, Al, 34) ^ rotrBH(Ah, Al, 39);
        const sigma0l = rotrSL(Ah, Al, 28) ^ rotrBL(Ah, Al, 34) ^ rotrBL(Ah, Al, 39);
        const MAJh = Ah & Bh ^ Ah & Ch ^ Bh & Ch;
        const MAJl = Al & Bl ^ Al & Cl ^ Bl & Cl;
        Hh = Gh | 0;
        Hl = Gl | 0;
        Gh = Fh | 0;
        Gl = Fl | 0;
        Fh = Eh | 0;
        Fl = El | 0;
        ({ h: Eh, l: El } = add(Dh | 0, Dl | 0, T1h | 0, T1l | 0));
        Dh = Ch | 0;
        Dl = Cl | 0;
        Ch = Bh | 0;
        Cl = Bl | 0;
        Bh = Ah | 0;
        Bl = Al | 0;
        const All = add3L(T1l, sigma0l, MAJl);
        Ah = add3H(All, T1h, sigma0h, MAJh);
        Al = All | 0;
      }
      ({ h: Ah, l: Al } = add(this.Ah | 0, this.Al | 0, Ah | 0, Al | 0));
      ({ h: Bh, l: Bl } = add(this.Bh | 0, this.Bl | 0, Bh | 0, Bl | 0));
      ({ h: Ch, l: Cl } = add(this.Ch | 0, this.Cl | 0, Ch | 0, Cl | 0));
      ({ h: Dh, l: Dl } = add(this.Dh | 0, this.Dl | 0, Dh | 0, Dl | 0));
      ({ h: Eh, l: El } = add(this.Eh | 0, this.El | 0, Eh | 0, El | 0));
      ({ h: Fh, l: Fl } = add(this.Fh | 0, this.Fl | 0, Fh | 0, Fl | 0));
      ({ h: Gh, l: Gl } = add(this.Gh | 0, this.Gl | 0, Gh | 0, Gl | 0));
      ({ h: Hh, l: Hl } = add(this.Hh | 0, this.Hl | 0, Hh | 0, Hl | 0));
      this.set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl);
    }
    roundClean() {
      clean(SHA512_W_H, SHA512_W_L);
    }
    destroy() {
      this.destroyed = true;
      clean(this.buffer);
      this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  };
  var _SHA512 = class extends SHA2_64B {
    constructor() {
      super(64, SHA512_IV);
    }
  };
  var sha256 = /* @__PURE__ */ createHasher(
    () => new _SHA256(),
    /* @__PURE__ */ oidNist(1)
  );
  var sha512 = /* @__PURE__ */ createHasher(
    () => new _SHA512(),
    /* @__PURE__ */ oidNist(3)
  );

  // src/bytes.js
  var encoder = new TextEncoder();
  function utf8(text) {
    return encoder.encode(text);
  }
  function concat(...parts) {
    let n = 0;
    for (const p of parts) n += p.length;
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  function sha2562(...parts) {
    return sha256(parts.length === 1 ? parts[0] : concat(...parts));
  }
  var HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  var NIBBLE = new Map([..."0123456789abcdef"].map((c, i) => [c.charCodeAt(0), i]));
  function hex(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
    return s;
  }
  var HEX64 = /^[0-9a-f]{64}$/;
  function isHex64(text) {
    return typeof text === "string" && HEX64.test(text);
  }
  function unhex(text) {
    if (typeof text !== "string" || text.length % 2 || !/^[0-9a-f]*$/.test(text)) {
      throw new Error("\u4E0D\u662F\u5C0F\u5199\u5341\u516D\u8FDB\u5236");
    }
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = NIBBLE.get(text.charCodeAt(2 * i)) << 4 | NIBBLE.get(text.charCodeAt(2 * i + 1));
    }
    return out;
  }
  function be(value, width) {
    let v = BigInt(value);
    const out = new Uint8Array(width);
    for (let i = width - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return out;
  }
  function compareBytes(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  function unitRank(u) {
    if (u >= 55296 && u <= 57343) return u + 8192;
    return u >= 57344 ? u - 2048 : u;
  }
  function compareText(a, b) {
    if (a === b) return 0;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.charCodeAt(i);
      const y = b.charCodeAt(i);
      if (x !== y) return unitRank(x) - unitRank(y);
    }
    return a.length - b.length;
  }
  function canonicalJson(value) {
    if (value === null || typeof value === "boolean") return JSON.stringify(value);
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw new Error("\u89C4\u8303JSON\u4E2D\u53EA\u5141\u8BB8\u6574\u6570");
      return String(value);
    }
    if (typeof value === "string") return JSON.stringify(value);
    if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
    const keys = Object.keys(value).sort(compareText);
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(value[k])).join(",") + "}";
  }

  // src/adjust.js
  var AdjustmentMismatch = class extends Error {
  };
  var COMPARED = ["uscc", "inspectors", "leader", "items"];
  function same(a, b) {
    return COMPARED.every((k) => canonicalJson(a[k] === void 0 ? null : a[k]) === canonicalJson(b[k] === void 0 ? null : b[k]));
  }
  function plain(v) {
    return { uscc: v.uscc, inspectors: v.inspectors.map((m) => m.cert_no), leader: v.leader, items: v.items };
  }
  function apply(visits, doc) {
    const change = doc.adjustment;
    const before = doc.visit_before;
    const after = doc.visit_after;
    const meta = doc.meta;
    if (!String(meta.reason || "").trim()) throw new AdjustmentMismatch("\u8C03\u6574\u672A\u8BF4\u660E\u7406\u7531");
    if (!meta.actor || !meta.created_at) throw new AdjustmentMismatch("\u8C03\u6574\u672A\u8BB0\u5F55\u8C03\u6574\u4EBA\u6216\u8C03\u6574\u65F6\u95F4");
    const current = visits.filter((v) => v.uscc === change.visit);
    if (current.length !== 1) throw new AdjustmentMismatch(`\u4E0A\u4E00\u8BB0\u5F55\u4E2D\u6CA1\u6709\u5BF9\u68C0\u67E5\u5BF9\u8C61${change.visit}\u7684\u68C0\u67E5`);
    if (!same(before, current[0])) throw new AdjustmentMismatch(`\u8C03\u6574\u524D\u7684\u68C0\u67E5\uFF08${change.visit}\uFF09\u4E0E\u4E0A\u4E00\u8BB0\u5F55\u4E0D\u7B26`);
    let expect;
    if (change.replace === "inspector") {
      const { old } = change;
      const nw = change.new;
      if (!before.inspectors.includes(old) || before.inspectors.includes(nw)) {
        throw new AdjustmentMismatch(`\u88AB\u66FF\u6362\u7684\u6267\u6CD5\u4EBA\u5458${old}\u4E0D\u5728\u68C0\u67E5\u7EC4\u4E2D\uFF0C\u6216\u66FF\u6362\u4EBA\u5458${nw}\u5DF2\u5728\u7EC4\u4E2D`);
      }
      const team = before.inspectors.filter((c) => c !== old).concat([nw]).sort();
      expect = { uscc: before.uscc, inspectors: team, leader: before.leader === old ? nw : before.leader, items: before.items };
    } else if (change.replace === "enterprise") {
      if (visits.some((v) => v.uscc === change.new)) throw new AdjustmentMismatch(`\u66FF\u6362\u540E\u7684\u68C0\u67E5\u5BF9\u8C61${change.new}\u5DF2\u5728\u672C\u4EFB\u52A1\u7684\u68C0\u67E5\u5BF9\u8C61\u4E2D`);
      expect = { uscc: change.new, inspectors: before.inspectors, leader: before.leader, items: after.items };
    } else {
      throw new AdjustmentMismatch(`\u672A\u77E5\u7684\u8C03\u6574\u7C7B\u578B\u201C${change.replace}\u201D`);
    }
    if (!same(after, expect)) {
      const diff = COMPARED.find((k) => canonicalJson(after[k] === void 0 ? null : after[k]) !== canonicalJson(expect[k]));
      throw new AdjustmentMismatch(`\u8C03\u6574\u540E\u7684\u68C0\u67E5\u4E0E\u58F0\u660E\u7684\u8C03\u6574\u4E0D\u7B26\uFF08${diff}\uFF09`);
    }
    return visits.map((v) => v.uscc === change.visit ? { ...after } : v);
  }
  function checkAdjustments(drawBytes, adjustmentFiles) {
    try {
      const dec = (b) => JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b));
      const draw = dec(drawBytes);
      let visits = draw.drawn.map(plain);
      let previous = hex(sha2562(drawBytes));
      const done = [];
      for (const bytes of adjustmentFiles) {
        const doc = dec(bytes);
        if (doc.format !== "suicha-public-adjustment/1") throw new AdjustmentMismatch(`\u8C03\u6574\u8BF4\u660E\u683C\u5F0F\u201C${doc.format}\u201D\u65E0\u6CD5\u8BC6\u522B`);
        if (doc.parent_sha256 !== previous) throw new AdjustmentMismatch(`\u8C03\u6574${doc.record_id}\u6240\u4F9D\u636E\u7684\u516C\u5F00\u6587\u4EF6\u4E0E\u4E0A\u4E00\u516C\u5F00\u6587\u4EF6\u4E0D\u7B26`);
        if (!String(doc.who || "").trim() || !doc.at) throw new AdjustmentMismatch(`\u8C03\u6574${doc.record_id}\u672A\u516C\u5E03\u8C03\u6574\u4EBA\u6216\u8C03\u6574\u65F6\u95F4`);
        visits = apply(visits, {
          meta: { reason: doc.reason, actor: doc.who, created_at: doc.at },
          adjustment: doc.change,
          visit_before: plain(doc.visit_before),
          visit_after: plain(doc.visit_after)
        });
        done.push(`\u8C03\u6574${doc.record_id}\uFF08${doc.who}\uFF0C\u539F\u56E0\uFF1A${doc.reason}\uFF09\u4E0E\u4E0A\u4E00\u516C\u5F00\u6587\u4EF6\u76F8\u7B26\uFF0C\u53EA\u6539\u52A8\u4E86\u6240\u58F0\u660E\u7684\u5185\u5BB9`);
        previous = hex(sha2562(bytes));
      }
      return { ok: true, message: "\u4E00\u81F4", details: done };
    } catch (e) {
      if (e instanceof AdjustmentMismatch) return { ok: false, message: `\u4E0D\u4E00\u81F4\uFF1A${e.message}`, details: [] };
      return { ok: false, message: "\u4E0D\u4E00\u81F4\uFF1A\u6587\u4EF6\u7ED3\u6784\u65E0\u6548", details: [] };
    }
  }

  // node_modules/@noble/curves/utils.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  function aarray(item, title, inner = () => {
  }) {
    if (!Array.isArray(item))
      throw new TypeError(`"${title}" expected array, got type=${typeof item}`);
    for (let i = 0; i < item.length; i++)
      inner(item[i], `${title}[${i}]`);
    return item;
  }
  var abytes2 = (value, length, title) => abytes(value, length, title);
  var anumber2 = anumber;
  function aobject2(value, title = "object") {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new TypeError(title === "object" ? "expected valid options object" : `"${title}" expected object, got type=${typeof value}`);
    return value;
  }
  function afunction(value, title) {
    if (typeof value !== "function")
      throw new TypeError(`"${title}" is invalid: expected function, got ${typeof value}`);
    return value;
  }
  var bytesToHex2 = bytesToHex;
  var concatBytes2 = (...arrays) => concatBytes(...arrays);
  var hexToBytes2 = (hex2) => hexToBytes(hex2);
  var isBytes2 = isBytes;
  var randomBytes2 = (bytesLength) => randomBytes(bytesLength);
  var _0n = /* @__PURE__ */ BigInt(0);
  var _1n = /* @__PURE__ */ BigInt(1);
  var atitle2 = (title) => title ? `"${title}" ` : "";
  function abool(value, title = "") {
    if (typeof value !== "boolean")
      throw new TypeError(atitle2(title) + "expected boolean, got type=" + typeof value);
    return value;
  }
  function abignumber(n) {
    if (typeof n === "bigint") {
      if (!isPosBig(n))
        throw new RangeError("positive bigint expected, got " + n);
    } else
      anumber2(n);
    return n;
  }
  function asafenumber(value, title = "") {
    if (typeof value !== "number") {
      const prefix = title && `"${title}" `;
      throw new TypeError(prefix + "expected number, got type=" + typeof value);
    }
    if (!Number.isSafeInteger(value)) {
      const prefix = title && `"${title}" `;
      throw new RangeError(prefix + "expected safe integer, got " + value);
    }
  }
  function hexToNumber(hex2) {
    if (typeof hex2 !== "string")
      throw new TypeError("hex string expected, got " + typeof hex2);
    return hex2 === "" ? _0n : BigInt("0x" + hex2);
  }
  function bytesToNumberBE(bytes) {
    return hexToNumber(bytesToHex(bytes));
  }
  function bytesToNumberLE(bytes) {
    return hexToNumber(bytesToHex(copyBytes(abytes(bytes)).reverse()));
  }
  function numberToBytesBE(n, len) {
    anumber(len);
    if (len === 0)
      throw new Error("zero output length is invalid");
    n = abignumber(n);
    const expectedLen = len * 2;
    const hex2 = n.toString(16);
    if (hex2.length > expectedLen)
      throw new RangeError("number is too large");
    return hexToBytes(hex2.padStart(expectedLen, "0"));
  }
  function numberToBytesLE(n, len) {
    return numberToBytesBE(n, len).reverse();
  }
  function copyBytes(bytes) {
    return Uint8Array.from(abytes2(bytes));
  }
  function asciiToBytes(ascii) {
    if (typeof ascii !== "string")
      throw new TypeError("ascii string expected, got " + typeof ascii);
    return Uint8Array.from(ascii, (c, i) => {
      const charCode = c.charCodeAt(0);
      if (c.length !== 1 || charCode > 127) {
        throw new RangeError(`string contains non-ASCII character "${ascii[i]}" with code ${charCode} at position ${i}`);
      }
      return charCode;
    });
  }
  function isPosBig(n) {
    return typeof n === "bigint" && _0n <= n;
  }
  function inRange(n, min, max) {
    return isPosBig(n) && isPosBig(min) && isPosBig(max) && min <= n && n < max;
  }
  function aInRange(title, n, min, max) {
    if (!inRange(n, min, max))
      throw new RangeError("expected valid " + title + ": " + min + " <= n < " + max + ", got " + n);
  }
  function bitLen(n) {
    if (n < _0n)
      throw new Error("expected non-negative bigint, got " + n);
    return n === _0n ? 0 : n.toString(2).length;
  }
  function bitGet(n, pos) {
    if (typeof n !== "bigint")
      throw new TypeError('"n" expected bigint, got type=' + typeof n);
    asafenumber(pos, "pos");
    return n >> BigInt(pos) & _1n;
  }
  var bitMask = (n) => {
    asafenumber(n, "n");
    return (_1n << BigInt(n)) - _1n;
  };
  function validateObject(object, fields2 = {}, optFields = {}, title = "object") {
    aobject2(object, title);
    aobject2(fields2, "fields");
    aobject2(optFields, "optFields");
    function checkField(fieldName, expectedType, isOpt) {
      const label = title === "object" ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
      const val = object[fieldName];
      if (!Object.hasOwn(object, fieldName) && (isOpt ? val !== void 0 : expectedType !== "function")) {
        throw new TypeError(`${label} is invalid: expected own property`);
      }
      if (isOpt && val === void 0)
        return;
      const current = typeof val;
      if (current !== expectedType || val === null)
        throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current}`);
    }
    const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
    iter(fields2, false);
    iter(optFields, true);
  }
  var notImplemented = () => {
    throw new Error("not implemented");
  };

  // node_modules/@noble/curves/abstract/modular.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n2 = /* @__PURE__ */ BigInt(0);
  var _1n2 = /* @__PURE__ */ BigInt(1);
  var _2n = /* @__PURE__ */ BigInt(2);
  var _3n = /* @__PURE__ */ BigInt(3);
  var _4n = /* @__PURE__ */ BigInt(4);
  var _5n = /* @__PURE__ */ BigInt(5);
  var _7n = /* @__PURE__ */ BigInt(7);
  var _8n = /* @__PURE__ */ BigInt(8);
  var _9n = /* @__PURE__ */ BigInt(9);
  var _15n = /* @__PURE__ */ BigInt(15);
  var _16n = /* @__PURE__ */ BigInt(16);
  var POW_WINDOWED_MIN = /* @__PURE__ */ BigInt("0x10000000000000000");
  function mod(a, b) {
    if (b <= _0n2)
      throw new Error("mod: expected positive modulus, got " + b);
    const result = a % b;
    return result >= _0n2 ? result : b + result;
  }
  function pow(num, power, modulo) {
    if (modulo <= _1n2)
      throw new Error("pow: expected modulus > 1, got " + modulo);
    if (typeof power !== "bigint")
      throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
    if (power < _0n2)
      throw new Error("invalid exponent, negatives unsupported");
    if (power === _0n2)
      return _1n2;
    if (power === _1n2)
      return num;
    let d = num % modulo;
    if (d < _0n2)
      d += modulo;
    if (power < POW_WINDOWED_MIN) {
      let p2 = _1n2;
      while (power > _0n2) {
        if (power & _1n2)
          p2 = p2 * d % modulo;
        d = d * d % modulo;
        power >>= _1n2;
      }
      return p2;
    }
    const digits = [];
    while (power > _0n2) {
      digits.push(Number(power & _15n));
      power >>= _4n;
    }
    const table = new Array(16);
    table[0] = _1n2;
    table[1] = d;
    for (let i = 2; i < 16; i++)
      table[i] = table[i - 1] * d % modulo;
    let p = table[digits[digits.length - 1]];
    for (let w = digits.length - 2; w >= 0; w--) {
      p = p * p % modulo;
      p = p * p % modulo;
      p = p * p % modulo;
      p = p * p % modulo;
      const digit = digits[w];
      if (digit !== 0)
        p = p * table[digit] % modulo;
    }
    return p;
  }
  function pow2(x, power, modulo) {
    if (modulo <= _1n2)
      throw new Error("pow2: expected modulus > 1, got " + modulo);
    if (power < _0n2)
      throw new Error("pow2: expected non-negative exponent, got " + power);
    let res = x;
    while (power-- > _0n2) {
      res *= res;
      res %= modulo;
    }
    return res;
  }
  function invert(number, modulo) {
    if (number === _0n2)
      throw new Error("invert: expected non-zero number");
    if (modulo <= _1n2)
      throw new Error("invert: expected modulus > 1, got " + modulo);
    let a = mod(number, modulo);
    let b = modulo;
    let x = _0n2, u = _1n2;
    while (a !== _0n2) {
      const q = b / a;
      const r = b - a * q;
      const m = x - u * q;
      b = a, a = r, x = u, u = m;
    }
    const gcd = b;
    if (gcd !== _1n2)
      throw new Error("invert: does not exist");
    return mod(x, modulo);
  }
  function assertIsSquare(Fp4, root, n) {
    const F = Fp4;
    if (!F.eql(F.sqr(root), n))
      throw new Error("Cannot find square root");
  }
  function aoddModulus(order, fnName) {
    if ((order & _1n2) === _0n2)
      throw new Error(fnName + ": expected odd modulus, got " + order);
  }
  function sqrt3mod4(Fp4, n) {
    const F = Fp4;
    const p1div4 = (F.ORDER + _1n2) / _4n;
    const root = F.pow(n, p1div4);
    assertIsSquare(F, root, n);
    return root;
  }
  function sqrt5mod8(Fp4, n) {
    const F = Fp4;
    const p5div8 = (F.ORDER - _5n) / _8n;
    const n2 = F.mul(n, _2n);
    const v = F.pow(n2, p5div8);
    const nv = F.mul(n, v);
    const i = F.mul(F.mul(nv, _2n), v);
    const root = F.mul(nv, F.sub(i, F.ONE));
    assertIsSquare(F, root, n);
    return root;
  }
  function sqrt9mod16(P) {
    const Fp_ = Field(P);
    const tn = tonelliShanks(P);
    const c1 = tn(Fp_, Fp_.neg(Fp_.ONE));
    const c2 = tn(Fp_, c1);
    const c3 = tn(Fp_, Fp_.neg(c1));
    const c4 = (P + _7n) / _16n;
    return ((Fp4, n) => {
      const F = Fp4;
      let tv1 = F.pow(n, c4);
      let tv2 = F.mul(tv1, c1);
      const tv3 = F.mul(tv1, c2);
      const tv4 = F.mul(tv1, c3);
      const e1 = F.eql(F.sqr(tv2), n);
      const e2 = F.eql(F.sqr(tv3), n);
      tv1 = F.cmov(tv1, tv2, e1);
      tv2 = F.cmov(tv4, tv3, e2);
      const e3 = F.eql(F.sqr(tv2), n);
      const root = F.cmov(tv1, tv2, e3);
      assertIsSquare(F, root, n);
      return root;
    });
  }
  function tonelliShanks(P) {
    if (P < _3n)
      throw new Error("sqrt is not defined for small field");
    aoddModulus(P, "tonelliShanks");
    let Q = P - _1n2;
    let S = 0;
    while (Q % _2n === _0n2) {
      Q /= _2n;
      S++;
    }
    let Z = _2n;
    const _Fp = Field(P);
    while (FpLegendre(_Fp, Z) === 1) {
      if (Z++ > 1e3)
        throw new Error("Cannot find square root: probably non-prime P");
    }
    if (S === 1)
      return sqrt3mod4;
    let cc = _Fp.pow(Z, Q);
    const Q1div2 = (Q + _1n2) / _2n;
    return function tonelliSlow(Fp4, n) {
      const F = Fp4;
      if (F.is0(n))
        return n;
      if (FpLegendre(F, n) !== 1)
        throw new Error("Cannot find square root");
      let M = S;
      let c = F.mul(F.ONE, cc);
      let t = F.pow(n, Q);
      let R = F.pow(n, Q1div2);
      while (!F.eql(t, F.ONE)) {
        if (F.is0(t))
          throw new Error("Cannot find square root: probably non-prime P");
        let i = 1;
        let t_tmp = F.sqr(t);
        while (!F.eql(t_tmp, F.ONE)) {
          i++;
          t_tmp = F.sqr(t_tmp);
          if (i === M)
            throw new Error("Cannot find square root");
        }
        const exponent = _1n2 << BigInt(M - i - 1);
        const b = F.pow(c, exponent);
        M = i;
        c = F.sqr(b);
        t = F.mul(t, c);
        R = F.mul(R, b);
      }
      return R;
    };
  }
  function FpSqrt(P) {
    aoddModulus(P, "Fp.sqrt");
    if (P % _4n === _3n)
      return sqrt3mod4;
    if (P % _8n === _5n)
      return sqrt5mod8;
    if (P % _16n === _9n)
      return sqrt9mod16(P);
    return tonelliShanks(P);
  }
  var isNegativeLE = (num, modulo) => (mod(num, modulo) & _1n2) === _1n2;
  var FIELD_FIELDS = [
    "create",
    "isValid",
    "is0",
    "neg",
    "inv",
    "sqrt",
    "sqr",
    "eql",
    "add",
    "sub",
    "mul",
    "pow",
    "div",
    "addN",
    "subN",
    "mulN",
    "sqrN"
  ];
  function validateField(field) {
    aobject2(field, "field");
    if (typeof field.ORDER !== "bigint")
      throw new TypeError('param "ORDER" is invalid: expected bigint, got ' + typeof field.ORDER);
    asafenumber(field.BYTES, "BYTES");
    asafenumber(field.BITS, "BITS");
    for (const name of FIELD_FIELDS)
      afunction(field[name], "field." + name);
    if (field.BYTES < 1 || field.BITS < 1)
      throw new Error("invalid field: expected BYTES/BITS > 0");
    if (field.ORDER <= _1n2)
      throw new Error("invalid field: expected ORDER > 1, got " + field.ORDER);
    return field;
  }
  function FpPow(Fp4, num, power) {
    validateField(Fp4);
    const F = Fp4;
    if (typeof power !== "bigint")
      throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
    if (power < _0n2)
      throw new Error("invalid exponent, negatives unsupported");
    if (power === _0n2)
      return F.ONE;
    if (power === _1n2)
      return num;
    if (power < POW_WINDOWED_MIN) {
      let p2 = F.ONE;
      let d = num;
      while (power > _0n2) {
        if (power & _1n2)
          p2 = F.mul(p2, d);
        d = F.sqr(d);
        power >>= _1n2;
      }
      return p2;
    }
    const digits = [];
    while (power > _0n2) {
      digits.push(Number(power & _15n));
      power >>= _4n;
    }
    const table = new Array(16);
    table[0] = F.ONE;
    table[1] = num;
    for (let i = 2; i < 16; i++)
      table[i] = F.mul(table[i - 1], num);
    let p = table[digits[digits.length - 1]];
    for (let w = digits.length - 2; w >= 0; w--) {
      p = F.sqr(F.sqr(F.sqr(F.sqr(p))));
      const digit = digits[w];
      if (digit !== 0)
        p = F.mul(p, table[digit]);
    }
    return p;
  }
  function FpInvertBatch(Fp4, nums, passZero = false) {
    validateField(Fp4);
    aarray(nums, "nums");
    abool(passZero, "passZero");
    const F = Fp4;
    const inverted = new Array(nums.length).fill(passZero ? F.ZERO : void 0);
    const multipliedAcc = nums.reduce((acc, num, i) => {
      if (F.is0(num))
        return acc;
      inverted[i] = acc;
      return F.mul(acc, num);
    }, F.ONE);
    const invertedAcc = F.inv(multipliedAcc);
    nums.reduceRight((acc, num, i) => {
      if (F.is0(num))
        return acc;
      inverted[i] = F.mul(acc, inverted[i]);
      return F.mul(acc, num);
    }, invertedAcc);
    return inverted;
  }
  function FpLegendre(Fp4, n) {
    validateField(Fp4);
    const F = Fp4;
    aoddModulus(F.ORDER, "FpLegendre");
    const p1mod2 = (F.ORDER - _1n2) / _2n;
    const powered = F.pow(n, p1mod2);
    const yes = F.eql(powered, F.ONE);
    const zero = F.eql(powered, F.ZERO);
    const no = F.eql(powered, F.neg(F.ONE));
    if (!yes && !zero && !no)
      throw new Error("invalid Legendre symbol result");
    return yes ? 1 : zero ? 0 : -1;
  }
  function FpIsSquare(Fp4, n) {
    const l = FpLegendre(Fp4, n);
    return l !== -1;
  }
  function nLength(n, nBitLength) {
    if (nBitLength !== void 0)
      anumber2(nBitLength);
    if (n <= _0n2)
      throw new Error("invalid n length: expected positive n, got " + n);
    if (nBitLength !== void 0 && nBitLength < 1)
      throw new Error("invalid n length: expected positive bit length, got " + nBitLength);
    const bits = bitLen(n);
    if (nBitLength !== void 0 && nBitLength < bits)
      throw new Error(`invalid n length: expected nBitLength (${nBitLength}) >= bitLen(n) (${bits})`);
    const _nBitLength = nBitLength !== void 0 ? nBitLength : bits;
    const nByteLength = Math.ceil(_nBitLength / 8);
    return { nBitLength: _nBitLength, nByteLength };
  }
  var FIELD_SQRT = /* @__PURE__ */ new WeakMap();
  var _Field = class {
    constructor(ORDER, opts = {}) {
      __publicField(this, "ORDER");
      __publicField(this, "BITS");
      __publicField(this, "BYTES");
      __publicField(this, "isLE");
      __publicField(this, "ZERO", _0n2);
      __publicField(this, "ONE", _1n2);
      __publicField(this, "_lengths");
      __publicField(this, "_mod");
      if (ORDER <= _1n2)
        throw new Error("invalid field: expected ORDER > 1, got " + ORDER);
      let _nbitLength = void 0;
      this.isLE = false;
      if (opts != null && typeof opts === "object") {
        if (typeof opts.BITS === "number")
          _nbitLength = opts.BITS;
        if (typeof opts.sqrt === "function")
          Object.defineProperty(this, "sqrt", { value: opts.sqrt, enumerable: true });
        if (typeof opts.isLE === "boolean")
          this.isLE = opts.isLE;
        if (opts.allowedLengths)
          this._lengths = Object.freeze(opts.allowedLengths.slice());
        if (typeof opts.modFromBytes === "boolean")
          this._mod = opts.modFromBytes;
      }
      const { nBitLength, nByteLength } = nLength(ORDER, _nbitLength);
      if (nByteLength > 2048)
        throw new Error("invalid field: expected ORDER of <= 2048 bytes");
      this.ORDER = ORDER;
      this.BITS = nBitLength;
      this.BYTES = nByteLength;
      Object.freeze(this);
    }
    create(num) {
      return mod(num, this.ORDER);
    }
    isValid(num) {
      if (typeof num !== "bigint")
        throw new TypeError("invalid field element: expected bigint, got " + typeof num);
      return _0n2 <= num && num < this.ORDER;
    }
    is0(num) {
      return num === _0n2;
    }
    // is valid and invertible
    isValidNot0(num) {
      return !this.is0(num) && this.isValid(num);
    }
    isOdd(num) {
      return (num & _1n2) === _1n2;
    }
    neg(num) {
      return mod(-num, this.ORDER);
    }
    eql(lhs, rhs) {
      return lhs === rhs;
    }
    sqr(num) {
      return mod(num * num, this.ORDER);
    }
    add(lhs, rhs) {
      return mod(lhs + rhs, this.ORDER);
    }
    sub(lhs, rhs) {
      return mod(lhs - rhs, this.ORDER);
    }
    mul(lhs, rhs) {
      return mod(lhs * rhs, this.ORDER);
    }
    pow(num, power) {
      return pow(num, power, this.ORDER);
    }
    div(lhs, rhs) {
      return mod(lhs * invert(rhs, this.ORDER), this.ORDER);
    }
    // Same as above, but doesn't normalize
    sqrN(num) {
      return num * num;
    }
    addN(lhs, rhs) {
      return lhs + rhs;
    }
    subN(lhs, rhs) {
      return lhs - rhs;
    }
    mulN(lhs, rhs) {
      return lhs * rhs;
    }
    inv(num) {
      return invert(num, this.ORDER);
    }
    sqrt(num) {
      let sqrt = FIELD_SQRT.get(this);
      if (!sqrt)
        FIELD_SQRT.set(this, sqrt = FpSqrt(this.ORDER));
      return sqrt(this, num);
    }
    toBytes(num) {
      return this.isLE ? numberToBytesLE(num, this.BYTES) : numberToBytesBE(num, this.BYTES);
    }
    fromBytes(bytes, skipValidation = false) {
      abytes2(bytes);
      const { _lengths: allowedLengths, BYTES, isLE, ORDER, _mod: modFromBytes } = this;
      if (allowedLengths) {
        if (bytes.length < 1 || !allowedLengths.includes(bytes.length) || bytes.length > BYTES) {
          throw new Error("Field.fromBytes: expected " + allowedLengths + " bytes, got " + bytes.length);
        }
        const padded = new Uint8Array(BYTES);
        padded.set(bytes, isLE ? 0 : padded.length - bytes.length);
        bytes = padded;
      }
      if (bytes.length !== BYTES)
        throw new Error("Field.fromBytes: expected " + BYTES + " bytes, got " + bytes.length);
      let scalar = isLE ? bytesToNumberLE(bytes) : bytesToNumberBE(bytes);
      if (modFromBytes)
        scalar = mod(scalar, ORDER);
      if (!skipValidation) {
        if (!this.isValid(scalar))
          throw new Error("invalid field element: outside of range 0..ORDER");
      }
      return scalar;
    }
    // TODO: we don't need it here, move out to separate fn
    invertBatch(lst) {
      return FpInvertBatch(this, lst, true);
    }
    // We can't move this out because Fp6, Fp12 implement it
    // and it's unclear what to return in there.
    cmov(a, b, condition) {
      abool(condition, "condition");
      return condition ? b : a;
    }
  };
  function Field(ORDER, opts = {}) {
    Object.freeze(_Field.prototype);
    return new _Field(ORDER, opts);
  }
  function getFieldBytesLength(fieldOrder) {
    if (typeof fieldOrder !== "bigint")
      throw new Error("field order must be bigint");
    if (fieldOrder <= _1n2)
      throw new Error("field order must be greater than 1");
    const bitLength = bitLen(fieldOrder - _1n2);
    return Math.ceil(bitLength / 8);
  }
  function getMinHashLength(fieldOrder) {
    const length = getFieldBytesLength(fieldOrder);
    return length + Math.ceil(length / 2);
  }
  function mapHashToField(key, fieldOrder, isLE = false) {
    abytes2(key);
    const len = key.length;
    const fieldLen = getFieldBytesLength(fieldOrder);
    const minLen = Math.max(getMinHashLength(fieldOrder), 16);
    if (len < minLen || len > 1024)
      throw new Error("expected " + minLen + "-1024 bytes of input, got " + len);
    const num = isLE ? bytesToNumberLE(key) : bytesToNumberBE(key);
    const reduced = mod(num, fieldOrder - _1n2) + _1n2;
    return isLE ? numberToBytesLE(reduced, fieldLen) : numberToBytesBE(reduced, fieldLen);
  }

  // node_modules/@noble/curves/abstract/curve.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n3 = /* @__PURE__ */ BigInt(0);
  var _1n3 = /* @__PURE__ */ BigInt(1);
  var _4n2 = /* @__PURE__ */ BigInt(4);
  var BLIND_BYTES = 16;
  var BLIND_BITS = 128;
  var FW_WINDOW = 5;
  var TABLE_BYTES_MAX = /* @__PURE__ */ (() => 2 ** 31)();
  function validatePointCons(Point) {
    const pc = Point;
    if (typeof pc !== "function")
      throw new TypeError('"Point" expected constructor, got type=' + typeof Point);
    afunction(pc.fromAffine, "Point.fromAffine");
    afunction(pc.fromBytes, "Point.fromBytes");
    afunction(pc.fromHex, "Point.fromHex");
    aobject2(pc.BASE, "Point.BASE");
    aobject2(pc.ZERO, "Point.ZERO");
    validateField(pc.Fp);
    validateField(pc.Fn);
  }
  function normalizeZ(c, points) {
    validatePointCons(c);
    validateMSMPoints(points, c);
    const invertedZs = FpInvertBatch(c.Fp, points.map((p) => p.Z));
    return points.map((p, i) => c.fromAffine(p.toAffine(invertedZs[i])));
  }
  function validateW(W, bits, min = 1) {
    if (!Number.isSafeInteger(W) || W < min || W > bits)
      throw new Error("invalid window size, expected [" + min + ".." + bits + "], got W=" + W);
  }
  function validateTableBytes(numPoints, fpBytes) {
    const bytes = numPoints * (4 * fpBytes + 128);
    if (bytes > TABLE_BYTES_MAX)
      throw new Error("invalid window size: table would need ~" + Math.ceil(bytes / 2 ** 20) + " MiB, max " + TABLE_BYTES_MAX / 2 ** 20 + " MiB");
  }
  function probeRandomBytes(randomBytes3, length) {
    if (randomBytes3 === void 0)
      return void 0;
    afunction(randomBytes3, "randomBytes");
    try {
      const probe = randomBytes3(length);
      if (!isBytes2(probe) || probe.length !== length)
        return void 0;
    } catch {
      return void 0;
    }
    return randomBytes3;
  }
  function validateMSMPoints(points, c) {
    aarray(points, "points");
    points.forEach((p, i) => {
      if (!(p instanceof c))
        throw new Error("invalid point at index " + i);
    });
  }
  function validateMSMScalars(scalars, field, maxScalar) {
    if (!Array.isArray(scalars))
      throw new Error("array of scalars expected");
    scalars.forEach((s, i) => {
      const ok = maxScalar === void 0 ? field.isValid(s) : isPosBig(s) && s < maxScalar;
      if (!ok)
        throw new Error("invalid scalar at index " + i);
    });
  }
  var pointWindowSizes = /* @__PURE__ */ new WeakMap();
  function getWindowSize(P) {
    return pointWindowSizes.get(P) || 1;
  }
  function oddMultiples(p, size) {
    const dbl = p.double();
    const t = [p];
    for (let j = 1; j < size; j++)
      t.push(t[j - 1].add(dbl));
    return t;
  }
  function wnafDigits(n, W) {
    const size = 2 ** W;
    const half = size / 2;
    const mask = BigInt(size - 1);
    const d = [];
    while (n > _0n3) {
      let w = 0;
      if (n & _1n3) {
        w = Number(n & mask);
        if (w >= half)
          w -= size;
        n -= BigInt(w);
      }
      d.push(w);
      n >>= _1n3;
    }
    return d;
  }
  function signedWindowDigits(n, W, windows) {
    const size = 2 ** W;
    const half = size / 2;
    const mask = BigInt(size - 1);
    const shiftBy = BigInt(W);
    const d = [];
    for (let w = 0; w < windows; w++) {
      let v = Number(n & mask);
      n >>= shiftBy;
      if (v > half) {
        v -= size;
        n += _1n3;
      }
      d.push(v);
    }
    if (n !== _0n3)
      throw new Error("invalid wnaf");
    return d;
  }
  function wnafWalk(zero, tables, digits) {
    let max = 0;
    for (const d of digits)
      max = Math.max(max, d.length);
    let acc = zero;
    for (let bit = max - 1; bit >= 0; bit--) {
      if (bit !== max - 1)
        acc = acc.double();
      for (let i = 0; i < digits.length; i++) {
        const w = digits[i][bit];
        if (w) {
          const item = tables[i][Math.abs(w) - 1 >> 1];
          acc = acc.add(w < 0 ? item.negate() : item);
        }
      }
    }
    return acc;
  }
  var ScalarMultiplier = class {
    // Parametrized with a given Point class (not individual point)
    constructor(Point, randomBytes3) {
      __publicField(this, "Point");
      __publicField(this, "BASE");
      __publicField(this, "ZERO");
      __publicField(this, "randomBytes");
      __publicField(this, "wnafPrecomputes", /* @__PURE__ */ new WeakMap());
      __publicField(this, "baseCanBeBlinded");
      __publicField(this, "bits");
      validatePointCons(Point);
      this.randomBytes = probeRandomBytes(randomBytes3, BLIND_BYTES);
      this.Point = Point;
      this.BASE = Point.BASE;
      this.ZERO = Point.ZERO;
      this.bits = Point.Fn.BITS;
    }
    /**
     * Creates a signed fixed-window wNAF precomputation table: for every window w, the
     * multiples `[1..2^(W−1)]⋅2^(w⋅W)⋅P`, flattened. All doublings are baked into the table,
     * so cached multiplication is additions-only. `windows = ceil(bits/W) + 1`: the extra
     * window absorbs the final carry of signed-digit recoding.
     * For a 256-bit curve and W=6, the table is 44⋅32 = 1408 points.
     * @param point - Point instance
     * @param W - window size
     * @param bits - scalar bitlength the table must cover
     */
    buildWnafTable(point, W, bits) {
      const windows = Math.ceil(bits / W) + 1;
      const half = 2 ** (W - 1);
      const comp = [];
      let base = point;
      for (let w = 0; w < windows; w++) {
        let acc = base;
        for (let i = 0; i < half; i++) {
          comp.push(acc);
          acc = acc.add(base);
        }
        base = comp[comp.length - 1].double();
      }
      return { W, bits, windows, comp };
    }
    /**
     * Implements ec multiplication using precomputed signed fixed-window wNAF tables.
     * Constant-time: fixed window count with one table addition per window — zero digits feed
     * the fake accumulator — and no doublings; the lookup scans the whole window slice.
     * Scalar bounds are validated by the public entry points ({@link ScalarMultiplier.mulCT},
     * {@link ScalarMultiplier.mulCTBlinded}, {@link ScalarMultiplier.mulUnsafe});
     * signedWindowDigits throws if `n` exceeds the table.
     * @returns real and fake (for const-time) points
     */
    wnafCachedCT(precomputes, n) {
      const { W, windows, comp } = precomputes;
      const half = 2 ** (W - 1);
      const digits = signedWindowDigits(n, W, windows);
      let p = this.ZERO;
      let f = this.BASE;
      for (let w = 0; w < windows; w++) {
        const digit = digits[w];
        const start = w * half;
        const idx = Math.abs(digit) - 1;
        let sel = comp[start];
        for (let i = 1; i < half; i++)
          sel = i === idx ? comp[start + i] : sel;
        const neg = sel.negate();
        if (digit === 0)
          f = f.add(comp[start]);
        else
          p = p.add(digit < 0 ? neg : sel);
      }
      return { p, f };
    }
    // Cache key is point identity plus (W, bits); at most two entries exist per point (public-width
    // `Fn.BITS` and blinded `Fn.BITS + BLIND_BITS`). Callers must not reuse the same point with
    // incompatible `transform(...)` layouts and expect a separate cache entry.
    getWnafPrecomputes(W, point, bits, transform) {
      let entries = this.wnafPrecomputes.get(point);
      let comp = entries?.find((entry) => entry.W === W && entry.bits === bits);
      if (!comp) {
        comp = this.buildWnafTable(point, W, bits);
        if (typeof transform === "function")
          comp = { ...comp, comp: transform(comp.comp) };
        if (!entries) {
          entries = [];
          this.wnafPrecomputes.set(point, entries);
        }
        entries.push(comp);
      }
      return comp;
    }
    assertPoint(point) {
      if (!(point instanceof this.Point))
        throw new TypeError('"point" expected Point instance, got type=' + typeof point);
    }
    // Shared prologue of the constant-time entry points. Rejects scalar 0: in key/signature-style
    // callers a zero scalar means broken upstream plumbing, and concrete Points already reject it.
    // Uses inRange instead of Fn.isValidNot0: validateField() only certifies the arithmetic subset.
    validateMulInput(point, scalar) {
      this.assertPoint(point);
      if (!inRange(scalar, _1n3, this.Point.Fn.ORDER))
        throw new Error("invalid scalar");
    }
    // Constant-time dispatch shared by mulCT / mulCTBlinded. Un-precomputed points (W===1, e.g.
    // ECDH peer keys) skip building a throwaway cached table in favor of a small fixed-window
    // multiply. `n` must be < 2^bits.
    runCT(point, n, bits, transform) {
      const W = getWindowSize(point);
      if (W === 1)
        return this.fixedWindowCT(point, n, bits);
      return this.wnafCachedCT(this.getWnafPrecomputes(W, point, bits, transform), n);
    }
    mulCT(point, scalar, transform) {
      this.validateMulInput(point, scalar);
      return this.runCT(point, scalar, this.bits, transform);
    }
    mulCTBlinded(point, scalar, transform) {
      this.validateMulInput(point, scalar);
      if (this.randomBytes === void 0)
        throw new Error("randomBytes is required for scalar blinding");
      const bits = this.Point.Fn.BITS + BLIND_BITS;
      const blind = this.randomBytes(BLIND_BYTES);
      if (!isBytes2(blind) || blind.length !== BLIND_BYTES)
        throw new Error("randomBytes returned invalid byte array");
      blind[0] = blind[0] & 63 | 128;
      const n = scalar + bytesToNumberBE(blind) * this.Point.Fn.ORDER;
      return this.runCT(point, n, bits, transform);
    }
    /**
     * Constant-time multiplication `n*point` for an un-precomputed point, via a small fixed window.
     * A cached wNAF table only pays off when reused; a flat 2^FW_WINDOW table (`size-1` adds) is
     * far cheaper to build for a single use. The point-operation sequence is independent of `n`:
     * build the table, then per window exactly FW_WINDOW doublings, a data-oblivious scan over
     * every table entry, and one addition (adds the identity when the window digit is 0 — never
     * skipped).
     *
     * `n` must be `< 2^bits`. Assumes complete addition (adding the identity costs the same as any
     * add), which holds for the Weierstrass/Edwards point types used here. The table is left in
     * projective form (no normalizeZ): normalizing this small a table costs more than the
     * mixed-add savings it would buy for a single multiply.
     * @returns real point `p`; `f` duplicates it only to match {@link wnafCachedCT}'s return shape
     * (this path needs no fake accumulator — its op-count is already scalar-independent).
     */
    fixedWindowCT(point, n, bits) {
      const W = FW_WINDOW;
      const size = 1 << W;
      const mask = bitMask(W);
      const table = new Array(size);
      table[0] = this.ZERO;
      for (let i = 1; i < size; i++)
        table[i] = table[i - 1].add(point);
      const windows = Math.ceil(bits / W);
      let acc = this.ZERO;
      for (let window2 = windows - 1; window2 >= 0; window2--) {
        if (window2 !== windows - 1)
          for (let d = 0; d < W; d++)
            acc = acc.double();
        const digit = Number(n >> BigInt(window2 * W) & mask);
        let sel = table[0];
        for (let i = 1; i < size; i++)
          sel = i === digit ? table[i] : sel;
        acc = acc.add(sel);
      }
      return { p: acc, f: acc };
    }
    shouldBlind(point, cofactor) {
      if (this.randomBytes === void 0)
        return false;
      if (cofactor === _1n3)
        return true;
      if (point !== this.BASE)
        return false;
      if (this.baseCanBeBlinded === void 0)
        this.baseCanBeBlinded = this.mulUnsafe(this.BASE, this.Point.Fn.ORDER).is0();
      return this.baseCanBeBlinded;
    }
    mulSecret(point, scalar, cofactor, transform) {
      return this.shouldBlind(point, cofactor) ? this.mulCTBlinded(point, scalar, transform) : this.mulCT(point, scalar, transform);
    }
    mulUnsafe(point, scalar, transform) {
      this.assertPoint(point);
      if (!isPosBig(scalar))
        throw new Error("invalid scalar");
      const W = getWindowSize(point);
      if (W === 1 || scalar >= this.Point.Fn.ORDER)
        return mulAddUnsafe(this.Point, [point], [scalar], true);
      const precomputes = this.getWnafPrecomputes(W, point, this.bits, transform);
      return this.wnafCachedCT(precomputes, scalar).p;
    }
    // Remembers the window size used for precomputed wNAF multiplication of the given point
    // and drops any previously built tables. Usually only the base point is precomputed.
    // W=1 resets the point to the un-precomputed (table-less) paths.
    // W is additionally capped so tables stay under ~2 GiB ({@link TABLE_BYTES_MAX}).
    setWindowSize(point, W) {
      this.assertPoint(point);
      validateW(W, this.bits);
      const windows = Math.ceil((this.bits + BLIND_BITS) / W) + 1;
      validateTableBytes(windows * 2 ** (W - 1), this.Point.Fp.BYTES);
      pointWindowSizes.set(point, W);
      this.wnafPrecomputes.delete(point);
    }
    // True when a window size is set: tables themselves are built lazily on first multiply.
    hasWindowSize(point) {
      return getWindowSize(point) !== 1;
    }
  };
  function mulAddUnsafe(c, points, scalars, allowOversized = false) {
    validatePointCons(c);
    validateMSMPoints(points, c);
    abool(allowOversized, "allowOversized");
    validateMSMScalars(scalars, c.Fn, allowOversized ? c.Fn.ORDER ** _4n2 : void 0);
    if (points.length !== scalars.length)
      throw new Error("arrays of points and scalars must have equal length");
    const tables = points.map((p) => oddMultiples(p, 4));
    const digits = scalars.map((n) => wnafDigits(n, 4));
    return wnafWalk(c.ZERO, tables, digits);
  }
  function createField(order, field, isLE) {
    if (field) {
      if (field.ORDER !== order)
        throw new Error("Field.ORDER must match order: Fp == p, Fn == n");
      validateField(field);
      return field;
    } else {
      return Field(order, { isLE });
    }
  }
  function createCurveFields(type, CURVE, curveOpts = {}, FpFnLE) {
    if (type !== "weierstrass" && type !== "edwards")
      throw new Error('expected curve type "weierstrass" or "edwards"');
    if (FpFnLE === void 0)
      FpFnLE = type === "edwards";
    if (!CURVE || typeof CURVE !== "object")
      throw new Error(`expected valid ${type} CURVE object`);
    validateObject(curveOpts);
    for (const p of ["p", "n", "h"]) {
      const val = CURVE[p];
      if (!(isPosBig(val) && val !== _0n3))
        throw new Error(`CURVE.${p} must be positive bigint`);
    }
    const Fp4 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
    const Fn = createField(CURVE.n, curveOpts.Fn, FpFnLE);
    const _b = type === "weierstrass" ? "b" : "d";
    const params = ["Gx", "Gy", "a", _b];
    for (const p of params) {
      if (!Fp4.isValid(CURVE[p]))
        throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
    }
    CURVE = Object.freeze(Object.assign({}, CURVE));
    return { CURVE, Fp: Fp4, Fn };
  }
  function createKeygen(randomSecretKey, getPublicKey) {
    return function keygen(seed) {
      const secretKey = randomSecretKey(seed);
      return { secretKey, publicKey: getPublicKey(secretKey) };
    };
  }

  // node_modules/@noble/curves/abstract/hash-to-curve.js
  var _0n4 = /* @__PURE__ */ BigInt(0);
  var _1n4 = /* @__PURE__ */ BigInt(1);
  var _2n2 = /* @__PURE__ */ BigInt(2);
  var _3n2 = /* @__PURE__ */ BigInt(3);
  var _4n3 = /* @__PURE__ */ BigInt(4);
  var os2ip = bytesToNumberBE;
  function i2osp(value, length) {
    asafenumber(value);
    asafenumber(length);
    if (length < 0 || length > 4)
      throw new Error("invalid I2OSP length: " + length);
    if (value < 0 || value > 2 ** (8 * length) - 1)
      throw new Error("invalid I2OSP input: " + value);
    const res = Array.from({ length }).fill(0);
    for (let i = length - 1; i >= 0; i--) {
      res[i] = value & 255;
      value >>>= 8;
    }
    return new Uint8Array(res);
  }
  function strxor(a, b) {
    const arr = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i++) {
      arr[i] = a[i] ^ b[i];
    }
    return arr;
  }
  function normDST(DST) {
    if (!isBytes2(DST) && typeof DST !== "string")
      throw new Error("DST must be Uint8Array or ascii string");
    const dst = typeof DST === "string" ? asciiToBytes(DST) : DST;
    if (dst.length === 0)
      throw new Error("DST must be non-empty");
    return dst;
  }
  function expand_message_xmd(msg, DST, lenInBytes, H) {
    abytes2(msg);
    asafenumber(lenInBytes);
    if (typeof H !== "function")
      throw new Error("expand_message_xmd: expected hash function");
    asafenumber(H.outputLen, "hash.outputLen");
    asafenumber(H.blockLen, "hash.blockLen");
    DST = normDST(DST);
    if (DST.length > 255)
      DST = H(concatBytes2(asciiToBytes("H2C-OVERSIZE-DST-"), DST));
    const { outputLen: b_in_bytes, blockLen: r_in_bytes } = H;
    const ell = Math.ceil(lenInBytes / b_in_bytes);
    if (lenInBytes > 65535 || ell > 255)
      throw new Error("expand_message_xmd: invalid lenInBytes");
    const DST_prime = concatBytes2(DST, i2osp(DST.length, 1));
    const Z_pad = new Uint8Array(r_in_bytes);
    const l_i_b_str = i2osp(lenInBytes, 2);
    const b = new Array(ell);
    const b_0 = H(concatBytes2(Z_pad, msg, l_i_b_str, i2osp(0, 1), DST_prime));
    b[0] = H(concatBytes2(b_0, i2osp(1, 1), DST_prime));
    for (let i = 1; i < ell; i++) {
      const args = [strxor(b_0, b[i - 1]), i2osp(i + 1, 1), DST_prime];
      b[i] = H(concatBytes2(...args));
    }
    const pseudo_random_bytes = concatBytes2(...b);
    return pseudo_random_bytes.slice(0, lenInBytes);
  }
  function expand_message_xof(msg, DST, lenInBytes, k, H) {
    abytes2(msg);
    asafenumber(lenInBytes);
    asafenumber(k, "k");
    if (k < 0)
      throw new Error("expand_message_xof: invalid k");
    if (typeof H !== "function")
      throw new Error("expand_message_xof: expected XOF function");
    if (typeof H.create !== "function")
      throw new Error("expand_message_xof: expected XOF create");
    DST = normDST(DST);
    if (lenInBytes < 0 || lenInBytes > 65535)
      throw new Error("expand_message_xof: invalid lenInBytes");
    if (DST.length > 255) {
      const dkLen = Math.ceil(2 * k / 8);
      DST = H.create({ dkLen }).update(asciiToBytes("H2C-OVERSIZE-DST-")).update(DST).digest();
    }
    if (DST.length > 255)
      throw new Error("expand_message_xof: invalid DST");
    return H.create({ dkLen: lenInBytes }).update(msg).update(i2osp(lenInBytes, 2)).update(DST).update(i2osp(DST.length, 1)).digest();
  }
  function hash_to_field(msg, count, options) {
    validateObject(options, {
      p: "bigint",
      m: "number",
      k: "number",
      hash: "function"
    });
    const { p, k, m, hash, expand, DST } = options;
    asafenumber(hash.outputLen, "valid hash");
    abytes2(msg);
    asafenumber(count);
    asafenumber(m, "m");
    asafenumber(k, "k");
    if (p <= BigInt(1))
      throw new Error("hash_to_field: expected valid field characteristic");
    if (count < 1)
      throw new Error("hash_to_field: expected count >= 1");
    if (m < 1)
      throw new Error("hash_to_field: expected m >= 1");
    if (k < 0)
      throw new Error("hash_to_field: invalid k");
    const log2p = p.toString(2).length;
    const L = Math.ceil((log2p + k) / 8);
    const len_in_bytes = count * m * L;
    let prb;
    if (expand === "xmd") {
      prb = expand_message_xmd(msg, DST, len_in_bytes, hash);
    } else if (expand === "xof") {
      prb = expand_message_xof(msg, DST, len_in_bytes, k, hash);
    } else if (expand === "_internal_pass") {
      prb = msg;
    } else {
      throw new Error('expand must be "xmd" or "xof"');
    }
    const u = new Array(count);
    for (let i = 0; i < count; i++) {
      const e = new Array(m);
      for (let j = 0; j < m; j++) {
        const elm_offset = L * (j + i * m);
        const tv = prb.subarray(elm_offset, elm_offset + L);
        e[j] = mod(os2ip(tv), p);
      }
      u[i] = e;
    }
    return u;
  }
  function isogenyMap(field, map) {
    validateField(field);
    aarray(map, "map");
    const coeff = map.map((i, row) => {
      aarray(i, "map[" + row + "]");
      if (i.length < 1)
        throw new Error("isogenyMap: expected non-empty coefficients");
      return Array.from(i).reverse();
    });
    return (x, y) => {
      const [xn, xd, yn, yd] = coeff.map((val) => val.reduce((acc, i) => field.add(field.mul(acc, x), i)));
      const isZero = field.is0(xd) || field.is0(yd);
      const [xd_inv, yd_inv] = FpInvertBatch(field, [xd, yd], true);
      x = field.mul(xn, xd_inv);
      y = field.mul(y, field.mul(yn, yd_inv));
      return isZero ? { x: field.ZERO, y: field.ZERO } : { x, y };
    };
  }
  var _DST_scalar = "HashToScalar-";
  function createHasher2(Point, mapToCurve, defaults) {
    if (typeof mapToCurve !== "function")
      throw new Error("mapToCurve() must be defined");
    validateObject(defaults);
    const snapshot = (src) => Object.freeze({
      ...src,
      DST: isBytes2(src.DST) ? copyBytes(src.DST) : src.DST,
      ...src.encodeDST === void 0 ? {} : { encodeDST: isBytes2(src.encodeDST) ? copyBytes(src.encodeDST) : src.encodeDST }
    });
    const safeDefaults = snapshot(defaults);
    const dstOverride = (options) => options && options.DST !== void 0 ? { DST: options.DST } : void 0;
    function map(num) {
      return Point.fromAffine(mapToCurve(num));
    }
    function clear(initial) {
      const P = initial.clearCofactor();
      if (P.equals(Point.ZERO))
        return Point.ZERO;
      P.assertValidity();
      return P;
    }
    return Object.freeze({
      get defaults() {
        return snapshot(safeDefaults);
      },
      Point,
      hashToCurve(msg, options) {
        const opts = Object.assign({}, safeDefaults, dstOverride(options));
        const u = hash_to_field(msg, 2, opts);
        const u0 = map(u[0]);
        const u1 = map(u[1]);
        return clear(u0.add(u1));
      },
      encodeToCurve(msg, options) {
        const optsDst = safeDefaults.encodeDST === void 0 ? {} : { DST: safeDefaults.encodeDST };
        const opts = Object.assign({}, safeDefaults, optsDst, dstOverride(options));
        const u = hash_to_field(msg, 1, opts);
        const u0 = map(u[0]);
        return clear(u0);
      },
      /** See {@link H2CHasher} */
      mapToCurve(scalars) {
        if (safeDefaults.m === 1) {
          if (typeof scalars !== "bigint")
            throw new Error("expected bigint (m=1)");
          return clear(map([scalars]));
        }
        if (!Array.isArray(scalars))
          throw new Error("expected array of bigints");
        if (scalars.length !== safeDefaults.m)
          throw new Error(`expected array of ${safeDefaults.m} bigints`);
        for (const i of scalars)
          if (typeof i !== "bigint")
            throw new Error("expected array of bigints");
        return clear(map(scalars));
      },
      // hash_to_scalar can produce 0: https://www.rfc-editor.org/errata/eid8393
      // RFC 9380, draft-irtf-cfrg-bbs-signatures-08. Default scalar DST is the shared generic
      // `HashToScalar-` prefix above unless the caller overrides it per invocation.
      hashToScalar(msg, options) {
        const N = Point.Fn.ORDER;
        const opts = Object.assign({}, safeDefaults, { DST: _DST_scalar }, dstOverride(options), {
          p: N,
          m: 1
        });
        return hash_to_field(msg, 1, opts)[0][0];
      }
    });
  }
  function SWUFpSqrtRatio(Fp4, Z) {
    const F = validateField(Fp4);
    const q = F.ORDER;
    let l = _0n4;
    for (let o = q - _1n4; o % _2n2 === _0n4; o /= _2n2)
      l += _1n4;
    const c1 = l;
    const _2n_pow_c1_1 = _2n2 << c1 - _1n4 - _1n4;
    const _2n_pow_c1 = _2n_pow_c1_1 * _2n2;
    const c2 = (q - _1n4) / _2n_pow_c1;
    const c3 = (c2 - _1n4) / _2n2;
    const c4 = _2n_pow_c1 - _1n4;
    const c5 = _2n_pow_c1_1;
    const c6 = F.pow(Z, c2);
    const c7 = F.pow(Z, (c2 + _1n4) / _2n2);
    let sqrtRatio = (u, v) => {
      let tv1 = c6;
      let tv2 = F.pow(v, c4);
      let tv3 = F.sqr(tv2);
      tv3 = F.mul(tv3, v);
      let tv5 = F.mul(u, tv3);
      tv5 = F.pow(tv5, c3);
      tv5 = F.mul(tv5, tv2);
      tv2 = F.mul(tv5, v);
      tv3 = F.mul(tv5, u);
      let tv4 = F.mul(tv3, tv2);
      tv5 = F.pow(tv4, c5);
      let isQR = F.eql(tv5, F.ONE);
      tv2 = F.mul(tv3, c7);
      tv5 = F.mul(tv4, tv1);
      tv3 = F.cmov(tv2, tv3, isQR);
      tv4 = F.cmov(tv5, tv4, isQR);
      for (let i = c1; i > _1n4; i--) {
        let tv52 = i - _2n2;
        tv52 = _2n2 << tv52 - _1n4;
        let tvv5 = F.pow(tv4, tv52);
        const e1 = F.eql(tvv5, F.ONE);
        tv2 = F.mul(tv3, tv1);
        tv1 = F.mul(tv1, tv1);
        tvv5 = F.mul(tv4, tv1);
        tv3 = F.cmov(tv2, tv3, e1);
        tv4 = F.cmov(tvv5, tv4, e1);
      }
      return { isValid: !F.is0(v) && (isQR || F.is0(u)), value: tv3 };
    };
    if (F.ORDER % _4n3 === _3n2) {
      const c12 = (F.ORDER - _3n2) / _4n3;
      const c22 = F.sqrt(F.neg(Z));
      sqrtRatio = (u, v) => {
        let tv1 = F.sqr(v);
        const tv2 = F.mul(u, v);
        tv1 = F.mul(tv1, tv2);
        let y1 = F.pow(tv1, c12);
        y1 = F.mul(y1, tv2);
        const y2 = F.mul(y1, c22);
        const tv3 = F.mul(F.sqr(y1), v);
        const isQR = F.eql(tv3, u);
        let y = F.cmov(y2, y1, isQR);
        return { isValid: !F.is0(v) && isQR, value: y };
      };
    }
    return sqrtRatio;
  }
  function mapToCurveSimpleSWU(Fp4, opts) {
    const F = validateField(Fp4);
    validateObject(opts, {}, {}, "opts");
    const { A, B, Z } = opts;
    if (!F.isValidNot0(A) || !F.isValidNot0(B) || !F.isValid(Z))
      throw new Error("mapToCurveSimpleSWU: invalid opts");
    if (F.eql(Z, F.neg(F.ONE)) || FpIsSquare(F, Z))
      throw new Error("mapToCurveSimpleSWU: invalid opts");
    const x = F.mul(B, F.inv(F.mul(Z, A)));
    const gx = F.add(F.add(F.mul(F.sqr(x), x), F.mul(A, x)), B);
    if (!FpIsSquare(F, gx))
      throw new Error("mapToCurveSimpleSWU: invalid opts");
    const sqrtRatio = SWUFpSqrtRatio(F, Z);
    if (!F.isOdd)
      throw new Error("Field does not have .isOdd()");
    return (u) => {
      let tv1, tv2, tv3, tv4, tv5, tv6, x2, y;
      tv1 = F.sqr(u);
      tv1 = F.mul(tv1, Z);
      tv2 = F.sqr(tv1);
      tv2 = F.add(tv2, tv1);
      tv3 = F.add(tv2, F.ONE);
      tv3 = F.mul(tv3, B);
      tv4 = F.cmov(Z, F.neg(tv2), !F.eql(tv2, F.ZERO));
      tv4 = F.mul(tv4, A);
      tv2 = F.sqr(tv3);
      tv6 = F.sqr(tv4);
      tv5 = F.mul(tv6, A);
      tv2 = F.add(tv2, tv5);
      tv2 = F.mul(tv2, tv3);
      tv6 = F.mul(tv6, tv4);
      tv5 = F.mul(tv6, B);
      tv2 = F.add(tv2, tv5);
      x2 = F.mul(tv1, tv3);
      const { isValid, value } = sqrtRatio(tv2, tv6);
      y = F.mul(tv1, u);
      y = F.mul(y, value);
      x2 = F.cmov(x2, tv3, isValid);
      y = F.cmov(y, value, isValid);
      const e1 = F.isOdd(u) === F.isOdd(y);
      y = F.cmov(F.neg(y), y, e1);
      const tv4_inv = FpInvertBatch(F, [tv4], true)[0];
      x2 = F.mul(x2, tv4_inv);
      return { x: x2, y };
    };
  }

  // node_modules/@noble/curves/abstract/weierstrass.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var divNearest = (num, den) => (num + (num >= 0 ? den : -den) / _2n3) / den;
  function _splitEndoScalar(k, basis, n) {
    aInRange("scalar", k, _0n5, n);
    const [[a1, b1], [a2, b2]] = basis;
    const c1 = divNearest(b2 * k, n);
    const c2 = divNearest(-b1 * k, n);
    let k1 = k - c1 * a1 - c2 * a2;
    let k2 = -c1 * b1 - c2 * b2;
    const k1neg = k1 < _0n5;
    const k2neg = k2 < _0n5;
    if (k1neg)
      k1 = -k1;
    if (k2neg)
      k2 = -k2;
    const MAX_NUM = bitMask(Math.ceil(bitLen(n) / 2)) + _1n5;
    if (k1 < _0n5 || k1 >= MAX_NUM || k2 < _0n5 || k2 >= MAX_NUM) {
      throw new Error("splitScalar (endomorphism): failed for k");
    }
    return { k1neg, k1, k2neg, k2 };
  }
  var _0n5 = /* @__PURE__ */ BigInt(0);
  var _1n5 = /* @__PURE__ */ BigInt(1);
  var _2n3 = /* @__PURE__ */ BigInt(2);
  var _3n3 = /* @__PURE__ */ BigInt(3);
  var _4n4 = /* @__PURE__ */ BigInt(4);
  function weierstrass(params, extraOpts = {}) {
    const validated = createCurveFields("weierstrass", params, extraOpts);
    const Fp4 = validated.Fp;
    const Fn = validated.Fn;
    let CURVE = validated.CURVE;
    const { h: cofactor, n: CURVE_ORDER } = CURVE;
    validateObject(extraOpts, {}, {
      allowInfinityPoint: "boolean",
      clearCofactor: "function",
      isTorsionFree: "function",
      fromBytes: "function",
      toBytes: "function",
      endo: "object",
      randomBytes: "function"
    });
    const { endo: endoOpts, allowInfinityPoint, clearCofactor, isTorsionFree, fromBytes, toBytes } = extraOpts;
    const randomBytes3 = extraOpts.randomBytes === void 0 ? randomBytes2 : extraOpts.randomBytes;
    if (endoOpts) {
      if (!Fp4.is0(CURVE.a) || typeof endoOpts.beta !== "bigint" || !Array.isArray(endoOpts.basises)) {
        throw new Error('invalid endo: expected "beta": bigint and "basises": array');
      }
    }
    const endo = endoOpts ? {
      beta: endoOpts.beta,
      basises: endoOpts.basises.map((basis) => [...basis])
    } : void 0;
    const lengths = getWLengths(Fp4, Fn);
    function assertCompressionIsSupported() {
      if (!Fp4.isOdd)
        throw new Error("compression is not supported: Field does not have .isOdd()");
    }
    function pointToBytes(_c, point, isCompressed) {
      if (point.is0()) {
        if (!allowInfinityPoint)
          throw new Error("bad point: ZERO");
        return Uint8Array.of(0);
      }
      const { x, y } = point.toAffine();
      const bx = Fp4.toBytes(x);
      abool(isCompressed, "isCompressed");
      if (isCompressed) {
        assertCompressionIsSupported();
        const hasEvenY = !Fp4.isOdd(y);
        return concatBytes2(pprefix(hasEvenY), bx);
      } else {
        return concatBytes2(Uint8Array.of(4), bx, Fp4.toBytes(y));
      }
    }
    function pointFromBytes(bytes) {
      abytes2(bytes, void 0, "Point");
      const { publicKey: comp, publicKeyUncompressed: uncomp } = lengths;
      const length = bytes.length;
      const head = bytes[0];
      const tail = bytes.subarray(1);
      if (allowInfinityPoint && length === 1 && head === 0)
        return { x: Fp4.ZERO, y: Fp4.ZERO };
      if (length === comp && (head === 2 || head === 3)) {
        const x = Fp4.fromBytes(tail);
        if (!Fp4.isValid(x))
          throw new Error("bad point: is not on curve, wrong x");
        const y2 = weierstrassEquation(x);
        let y;
        try {
          y = Fp4.sqrt(y2);
        } catch (sqrtError) {
          const err = sqrtError instanceof Error ? ": " + sqrtError.message : "";
          throw new Error("bad point: is not on curve, sqrt error" + err);
        }
        assertCompressionIsSupported();
        const evenY = Fp4.isOdd(y);
        const evenH = (head & 1) === 1;
        if (evenH !== evenY)
          y = Fp4.neg(y);
        return { x, y };
      } else if (length === uncomp && head === 4) {
        const L = Fp4.BYTES;
        const x = Fp4.fromBytes(tail.subarray(0, L));
        const y = Fp4.fromBytes(tail.subarray(L, L * 2));
        if (!isValidXY(x, y))
          throw new Error("bad point: is not on curve");
        return { x, y };
      } else {
        throw new Error(`bad point: got length ${length}, expected compressed=${comp} or uncompressed=${uncomp}`);
      }
    }
    const encodePoint = toBytes === void 0 ? pointToBytes : toBytes;
    const decodePoint = fromBytes === void 0 ? pointFromBytes : fromBytes;
    const b3 = Fp4.mul(CURVE.b, _3n3);
    const mulA = Fp4.is0(CURVE.a) ? (_) => Fp4.ZERO : (x) => Fp4.mul(CURVE.a, x);
    function weierstrassEquation(x) {
      const x2 = Fp4.sqr(x);
      const x3 = Fp4.mul(x2, x);
      return Fp4.add(Fp4.add(x3, Fp4.mul(x, CURVE.a)), CURVE.b);
    }
    function isValidXY(x, y) {
      const left = Fp4.sqr(y);
      const right = weierstrassEquation(x);
      return Fp4.eql(left, right);
    }
    if (!isValidXY(CURVE.Gx, CURVE.Gy))
      throw new Error("bad curve params: generator point");
    const _4a3 = Fp4.mul(Fp4.pow(CURVE.a, _3n3), _4n4);
    const _27b2 = Fp4.mul(Fp4.sqr(CURVE.b), BigInt(27));
    if (Fp4.is0(Fp4.add(_4a3, _27b2)))
      throw new Error("bad curve params: a or b");
    function acoord(title, n, banZero = false) {
      if (!Fp4.isValid(n) || banZero && Fp4.is0(n))
        throw new Error(`bad point coordinate ${title}`);
      return typeof n === "object" && n !== null ? Fp4.create(n) : n;
    }
    function aprjpoint(other) {
      if (!(other instanceof Point))
        throw new Error("Weierstrass Point expected");
    }
    function splitEndoScalarN(k) {
      if (!endo || !endo.basises)
        throw new Error("no endo");
      return _splitEndoScalar(k, endo.basises, Fn.ORDER);
    }
    function pushWnafPair(points, scalars, p, k) {
      if (!Fn.isValid(k))
        throw new RangeError("invalid scalar: out of range");
      if (endo) {
        const { k1neg, k1, k2neg, k2 } = splitEndoScalarN(k);
        const psi = new Point(Fp4.mul(p.X, endo.beta), p.Y, p.Z);
        points.push(k1neg ? p.negate() : p, k2neg ? psi.negate() : psi);
        scalars.push(k1, k2);
      } else {
        points.push(p);
        scalars.push(k);
      }
    }
    const validityCache = /* @__PURE__ */ new WeakSet();
    const _Point = class _Point {
      /** Does NOT validate if the point is valid. Use `.assertValidity()`. */
      constructor(X, Y, Z) {
        __publicField(this, "X");
        __publicField(this, "Y");
        __publicField(this, "Z");
        this.X = acoord("x", X);
        this.Y = acoord("y", Y, true);
        this.Z = acoord("z", Z);
        Object.freeze(this);
      }
      static CURVE() {
        return CURVE;
      }
      /** Does NOT validate if the point is valid. Use `.assertValidity()`. */
      static fromAffine(p) {
        const { x, y } = p || {};
        if (!p || !Fp4.isValid(x) || !Fp4.isValid(y))
          throw new Error("invalid affine point");
        if (p instanceof _Point)
          throw new Error("projective point not allowed");
        if (Fp4.is0(x) && Fp4.is0(y))
          return _Point.ZERO;
        return new _Point(x, y, Fp4.ONE);
      }
      static fromBytes(bytes) {
        const P = _Point.fromAffine(decodePoint(abytes2(bytes, void 0, "point")));
        P.assertValidity();
        return P;
      }
      static fromHex(hex2) {
        return _Point.fromBytes(hexToBytes2(hex2));
      }
      get x() {
        return this.toAffine().x;
      }
      get y() {
        return this.toAffine().y;
      }
      /**
       * @param isLazy - true will defer table computation until the first multiplication
       */
      precompute(windowSize = 6, isLazy = true) {
        wnaf.setWindowSize(this, windowSize);
        if (!isLazy)
          this.multiply(_3n3);
        return this;
      }
      // TODO: return `this`
      /** A point on curve is valid if it conforms to equation. */
      assertValidity() {
        const p = this;
        if (p.is0()) {
          if (allowInfinityPoint && Fp4.is0(p.X) && Fp4.eql(p.Y, Fp4.ONE) && Fp4.is0(p.Z))
            return;
          throw new Error("bad point: ZERO");
        }
        if (validityCache.has(p))
          return;
        const { x, y } = p.toAffine();
        if (!Fp4.isValid(x) || !Fp4.isValid(y))
          throw new Error("bad point: x or y not field elements");
        if (!isValidXY(x, y))
          throw new Error("bad point: equation left != right");
        if (!p.isTorsionFree())
          throw new Error("bad point: not in prime-order subgroup");
        validityCache.add(p);
      }
      hasEvenY() {
        const { y } = this.toAffine();
        if (!Fp4.isOdd)
          throw new Error("Field doesn't support isOdd");
        return !Fp4.isOdd(y);
      }
      /** Compare one point to another. */
      equals(other) {
        aprjpoint(other);
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const { X: X2, Y: Y2, Z: Z2 } = other;
        const U1 = Fp4.eql(Fp4.mul(X1, Z2), Fp4.mul(X2, Z1));
        const U2 = Fp4.eql(Fp4.mul(Y1, Z2), Fp4.mul(Y2, Z1));
        return U1 && U2;
      }
      /** Flips point to one corresponding to (x, -y) in Affine coordinates. */
      negate() {
        return new _Point(this.X, Fp4.neg(this.Y), this.Z);
      }
      // Renes-Costello-Batina exception-free doubling formula.
      // There is 30% faster Jacobian formula, but it is not complete.
      // https://eprint.iacr.org/2015/1060, algorithm 3
      // Cost: 8M + 3S + 3*a + 2*b3 + 15add.
      double() {
        const { X: X1, Y: Y1, Z: Z1 } = this;
        let X3 = Fp4.ZERO, Y3 = Fp4.ZERO, Z3 = Fp4.ZERO;
        let t0 = Fp4.mul(X1, X1);
        let t1 = Fp4.mul(Y1, Y1);
        let t2 = Fp4.mul(Z1, Z1);
        let t3 = Fp4.mul(X1, Y1);
        t3 = Fp4.add(t3, t3);
        Z3 = Fp4.mul(X1, Z1);
        Z3 = Fp4.add(Z3, Z3);
        X3 = mulA(Z3);
        Y3 = Fp4.mul(b3, t2);
        Y3 = Fp4.add(X3, Y3);
        X3 = Fp4.sub(t1, Y3);
        Y3 = Fp4.add(t1, Y3);
        Y3 = Fp4.mul(X3, Y3);
        X3 = Fp4.mul(t3, X3);
        Z3 = Fp4.mul(b3, Z3);
        t2 = mulA(t2);
        t3 = Fp4.sub(t0, t2);
        t3 = mulA(t3);
        t3 = Fp4.add(t3, Z3);
        Z3 = Fp4.add(t0, t0);
        t0 = Fp4.add(Z3, t0);
        t0 = Fp4.add(t0, t2);
        t0 = Fp4.mul(t0, t3);
        Y3 = Fp4.add(Y3, t0);
        t2 = Fp4.mul(Y1, Z1);
        t2 = Fp4.add(t2, t2);
        t0 = Fp4.mul(t2, t3);
        X3 = Fp4.sub(X3, t0);
        Z3 = Fp4.mul(t2, t1);
        Z3 = Fp4.add(Z3, Z3);
        Z3 = Fp4.add(Z3, Z3);
        return new _Point(X3, Y3, Z3);
      }
      // Renes-Costello-Batina exception-free addition formula.
      // There is 30% faster Jacobian formula, but it is not complete.
      // https://eprint.iacr.org/2015/1060, algorithm 1
      // Cost: 12M + 0S + 3*a + 3*b3 + 23add.
      add(other) {
        aprjpoint(other);
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const { X: X2, Y: Y2, Z: Z2 } = other;
        let X3 = Fp4.ZERO, Y3 = Fp4.ZERO, Z3 = Fp4.ZERO;
        let t0 = Fp4.mul(X1, X2);
        let t1 = Fp4.mul(Y1, Y2);
        let t2 = Fp4.mul(Z1, Z2);
        let t3 = Fp4.add(X1, Y1);
        let t4 = Fp4.add(X2, Y2);
        t3 = Fp4.mul(t3, t4);
        t4 = Fp4.add(t0, t1);
        t3 = Fp4.sub(t3, t4);
        t4 = Fp4.add(X1, Z1);
        let t5 = Fp4.add(X2, Z2);
        t4 = Fp4.mul(t4, t5);
        t5 = Fp4.add(t0, t2);
        t4 = Fp4.sub(t4, t5);
        t5 = Fp4.add(Y1, Z1);
        X3 = Fp4.add(Y2, Z2);
        t5 = Fp4.mul(t5, X3);
        X3 = Fp4.add(t1, t2);
        t5 = Fp4.sub(t5, X3);
        Z3 = mulA(t4);
        X3 = Fp4.mul(b3, t2);
        Z3 = Fp4.add(X3, Z3);
        X3 = Fp4.sub(t1, Z3);
        Z3 = Fp4.add(t1, Z3);
        Y3 = Fp4.mul(X3, Z3);
        t1 = Fp4.add(t0, t0);
        t1 = Fp4.add(t1, t0);
        t2 = mulA(t2);
        t4 = Fp4.mul(b3, t4);
        t1 = Fp4.add(t1, t2);
        t2 = Fp4.sub(t0, t2);
        t2 = mulA(t2);
        t4 = Fp4.add(t4, t2);
        t0 = Fp4.mul(t1, t4);
        Y3 = Fp4.add(Y3, t0);
        t0 = Fp4.mul(t5, t4);
        X3 = Fp4.mul(t3, X3);
        X3 = Fp4.sub(X3, t0);
        t0 = Fp4.mul(t3, t1);
        Z3 = Fp4.mul(t5, Z3);
        Z3 = Fp4.add(Z3, t0);
        return new _Point(X3, Y3, Z3);
      }
      subtract(other) {
        aprjpoint(other);
        return this.add(other.negate());
      }
      is0() {
        return this.equals(_Point.ZERO);
      }
      /**
       * Constant time multiplication.
       * Uses precomputed tables (signed fixed-window wNAF) when available.
       * Uses scalar blinding and avoids endomorphism splitting in the secret-scalar path.
       * @param scalar - by which the point would be multiplied
       * @returns New point
       */
      multiply(scalar) {
        if (!Fn.isValidNot0(scalar))
          throw new RangeError("invalid scalar: out of range");
        const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
        return normalize([p, f])[0];
      }
      /**
       * Non-constant-time multiplication. Uses width-4 wNAF with GLV endomorphism splitting
       * when available (two half-width scalars sharing one halved doubling chain).
       * It's faster, but should only be used when you don't care about
       * an exposed secret key e.g. sig verification, which works over *public* keys.
       */
      multiplyUnsafe(scalar) {
        const p = this;
        const sc = scalar;
        if (!Fn.isValid(sc))
          throw new RangeError("invalid scalar: out of range");
        if (sc === _0n5 || p.is0())
          return _Point.ZERO;
        if (sc === _1n5)
          return p;
        if (wnaf.hasWindowSize(this))
          return wnaf.mulUnsafe(p, sc, normalize);
        const points = [];
        const scalars = [];
        pushWnafPair(points, scalars, p, sc);
        return mulAddUnsafe(_Point, points, scalars);
      }
      /**
       * Non-constant-time double-scalar multiplication `a⋅this + b⋅other` (Strauss–Shamir).
       * Both walks share one doubling chain via {@link mulAddUnsafe}, and GLV endomorphism
       * (when available) halves the chain again by splitting each scalar into two half-width
       * parts. Used by ECDSA verification and public-key recovery for `R = u1⋅G + u2⋅P`.
       * Only for public scalars.
       */
      mulAddUnsafe(a, other, b) {
        aprjpoint(other);
        const points = [];
        const scalars = [];
        pushWnafPair(points, scalars, this, a);
        pushWnafPair(points, scalars, other, b);
        return mulAddUnsafe(_Point, points, scalars);
      }
      /**
       * Converts Projective point to affine (x, y) coordinates.
       * (X, Y, Z) ∋ (x=X/Z, y=Y/Z).
       * @param invertedZ - Z^-1 (inverted zero) - optional, precomputation is useful for invertBatch
       */
      toAffine(invertedZ) {
        const p = this;
        let iz = invertedZ;
        if (iz != null && !Fp4.isValid(iz))
          throw new RangeError('"invertedZ" expected valid field element');
        const { X, Y, Z } = p;
        if (Fp4.eql(Z, Fp4.ONE))
          return { x: X, y: Y };
        const is0 = p.is0();
        if (iz == null)
          iz = is0 ? Fp4.ONE : Fp4.inv(Z);
        const x = Fp4.mul(X, iz);
        const y = Fp4.mul(Y, iz);
        const zz = Fp4.mul(Z, iz);
        if (is0)
          return { x: Fp4.ZERO, y: Fp4.ZERO };
        if (!Fp4.eql(zz, Fp4.ONE))
          throw new Error("invZ was invalid");
        return { x, y };
      }
      /**
       * Checks whether Point is free of torsion elements (is in prime subgroup).
       * Always torsion-free for cofactor=1 curves.
       */
      isTorsionFree() {
        if (cofactor === _1n5)
          return true;
        if (isTorsionFree)
          return isTorsionFree(_Point, this);
        return wnaf.mulUnsafe(this, CURVE_ORDER).is0();
      }
      clearCofactor() {
        if (cofactor === _1n5)
          return this;
        if (clearCofactor)
          return clearCofactor(_Point, this);
        return this.multiplyUnsafe(cofactor);
      }
      isSmallOrder() {
        if (cofactor === _1n5)
          return this.is0();
        return this.clearCofactor().is0();
      }
      toBytes(isCompressed = true) {
        abool(isCompressed, "isCompressed");
        this.assertValidity();
        return encodePoint(_Point, this, isCompressed);
      }
      toHex(isCompressed = true) {
        return bytesToHex2(this.toBytes(isCompressed));
      }
      toString() {
        return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
      }
    };
    __publicField(_Point, "BASE", new _Point(CURVE.Gx, CURVE.Gy, Fp4.ONE));
    __publicField(_Point, "ZERO", new _Point(Fp4.ZERO, Fp4.ONE, Fp4.ZERO));
    __publicField(_Point, "Fp", Fp4);
    __publicField(_Point, "Fn", Fn);
    let Point = _Point;
    const normalize = (points) => normalizeZ(Point, points);
    const wnaf = new ScalarMultiplier(Point, randomBytes3);
    if (wnaf.bits >= 6)
      Point.BASE.precompute(6);
    Object.freeze(Point.prototype);
    Object.freeze(Point);
    return Point;
  }
  function pprefix(hasEvenY) {
    return Uint8Array.of(hasEvenY ? 2 : 3);
  }
  function getWLengths(Fp4, Fn) {
    return {
      secretKey: Fn.BYTES,
      publicKey: 1 + Fp4.BYTES,
      publicKeyUncompressed: 1 + 2 * Fp4.BYTES,
      publicKeyHasPrefix: true,
      // Raw compact `(r || s)` signature width; DER and recovered signatures use
      // different lengths outside this helper.
      signature: 2 * Fn.BYTES
    };
  }

  // node_modules/@noble/curves/abstract/bls.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n6 = BigInt(0);
  var _1n6 = BigInt(1);
  var _2n4 = BigInt(2);
  var _3n4 = BigInt(3);
  function NAfDecomposition(a) {
    const res = [];
    for (; a > _1n6; a >>= _1n6) {
      if ((a & _1n6) === _0n6)
        res.unshift(0);
      else if ((a & _3n4) === _3n4) {
        res.unshift(-1);
        a += _1n6;
      } else
        res.unshift(1);
    }
    return res;
  }
  function aNonEmpty(arr) {
    if (!Array.isArray(arr) || arr.length === 0)
      throw new Error("expected non-empty array");
  }
  function createBlsPairing(fields2, G1, G2, params) {
    validateObject(fields2, { Fp: "object", Fr: "object", Fp2: "object", Fp12: "object" }, { Fp6: "object" }, "fields");
    if (typeof G1 !== "function")
      throw new TypeError('"G1_Point" expected point constructor, got type=' + typeof G1);
    if (typeof G2 !== "function")
      throw new TypeError('"G2_Point" expected point constructor, got type=' + typeof G2);
    validateObject(params, { ateLoopSize: "bigint", xNegative: "boolean", twistType: "string" }, { randomBytes: "function", postPrecompute: "function" }, "params");
    const { Fp: Fp4, Fr, Fp2: Fp22, Fp12: Fp122 } = fields2;
    const { twistType, ateLoopSize, xNegative, postPrecompute } = params;
    const fp22 = (c0, c1) => ({ c0, c1 });
    const fp2f = ({ c0, c1 }) => Object.freeze({ c0, c1 });
    const add2 = (a, b) => fp22(Fp4.add(a.c0, b.c0), Fp4.add(a.c1, b.c1));
    const sub2 = (a, b) => fp22(Fp4.sub(a.c0, b.c0), Fp4.sub(a.c1, b.c1));
    const mul2 = (a, b) => {
      const t0 = Fp4.mul(a.c0, b.c0);
      const t1 = Fp4.mul(a.c1, b.c1);
      return fp22(Fp4.sub(t0, t1), Fp4.sub(Fp4.mul(Fp4.add(a.c0, a.c1), Fp4.add(b.c0, b.c1)), Fp4.add(t0, t1)));
    };
    const mul2ByFp = (a, rhs) => fp22(Fp4.mul(a.c0, rhs), Fp4.mul(a.c1, rhs));
    const mul2ByNonresidue = (a) => Fp22.mulByNonresidue(a);
    const mul014ByLine = ({ c0: f0, c1: f1 }, o0, l1, l4, Px, Py) => {
      const o1 = mul2ByFp(l1, Px);
      const o4 = mul2ByFp(l4, Py);
      const { c0: a0, c1: a1, c2: a2 } = f0;
      const { c0: b0, c1: b1, c2: b2 } = f1;
      const t0_0 = mul2(a0, o0);
      const t0_1 = mul2(a1, o1);
      const t0_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(a1, a2), o1), t0_1)), t0_0);
      const t0_c1 = sub2(sub2(mul2(add2(o0, o1), add2(a0, a1)), t0_0), t0_1);
      const t0_c2 = add2(sub2(mul2(add2(a0, a2), o0), t0_0), t0_1);
      const t1_c0 = mul2ByNonresidue(mul2(b2, o4));
      const t1_c1 = mul2(b0, o4);
      const t1_c2 = mul2(b1, o4);
      const s0 = add2(a0, b0);
      const s1 = add2(a1, b1);
      const s2 = add2(a2, b2);
      const o14 = add2(o1, o4);
      const t2_0 = mul2(s0, o0);
      const t2_1 = mul2(s1, o14);
      const t2_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(s1, s2), o14), t2_1)), t2_0);
      const t2_c1 = sub2(sub2(mul2(add2(o0, o14), add2(s0, s1)), t2_0), t2_1);
      const t2_c2 = add2(sub2(mul2(add2(s0, s2), o0), t2_0), t2_1);
      return Object.freeze({
        c0: Object.freeze({
          c0: fp2f(add2(mul2ByNonresidue(t1_c2), t0_c0)),
          c1: fp2f(add2(t1_c0, t0_c1)),
          c2: fp2f(add2(t1_c1, t0_c2))
        }),
        c1: Object.freeze({
          c0: fp2f(sub2(sub2(t2_c0, t0_c0), t1_c0)),
          c1: fp2f(sub2(sub2(t2_c1, t0_c1), t1_c1)),
          c2: fp2f(sub2(sub2(t2_c2, t0_c2), t1_c2))
        })
      });
    };
    const mul034ByLine = ({ c0: f0, c1: f1 }, l0, l3, o4, Px, Py) => {
      const o0 = mul2ByFp(l0, Py);
      const o3 = mul2ByFp(l3, Px);
      const { c0: a0, c1: a1, c2: a2 } = f0;
      const { c0: b0, c1: b1, c2: b2 } = f1;
      const a_c0 = mul2(a0, o0);
      const a_c1 = mul2(a1, o0);
      const a_c2 = mul2(a2, o0);
      const b0m = mul2(b0, o3);
      const b1m = mul2(b1, o4);
      const b_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(b1, b2), o4), b1m)), b0m);
      const b_c1 = sub2(sub2(mul2(add2(o3, o4), add2(b0, b1)), b0m), b1m);
      const b_c2 = add2(sub2(mul2(add2(b0, b2), o3), b0m), b1m);
      const s0 = add2(a0, b0);
      const s1 = add2(a1, b1);
      const s2 = add2(a2, b2);
      const o03 = add2(o0, o3);
      const e0m = mul2(s0, o03);
      const e1m = mul2(s1, o4);
      const e_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(s1, s2), o4), e1m)), e0m);
      const e_c1 = sub2(sub2(mul2(add2(o03, o4), add2(s0, s1)), e0m), e1m);
      const e_c2 = add2(sub2(mul2(add2(s0, s2), o03), e0m), e1m);
      return Object.freeze({
        c0: Object.freeze({
          c0: fp2f(add2(mul2ByNonresidue(b_c2), a_c0)),
          c1: fp2f(add2(b_c0, a_c1)),
          c2: fp2f(add2(b_c1, a_c2))
        }),
        c1: Object.freeze({
          c0: fp2f(sub2(sub2(e_c0, a_c0), b_c0)),
          c1: fp2f(sub2(sub2(e_c1, a_c1), b_c1)),
          c2: fp2f(sub2(sub2(e_c2, a_c2), b_c2))
        })
      });
    };
    let lineFunction;
    if (twistType === "multiplicative") {
      lineFunction = (c0, c1, c2, f, Px, Py) => mul014ByLine(f, c0, c1, c2, Px, Py);
    } else if (twistType === "divisive") {
      lineFunction = (c0, c1, c2, f, Px, Py) => mul034ByLine(f, c2, c1, c0, Px, Py);
    } else
      throw new Error("bls: unknown twist type");
    const Fp2div2 = Fp22.div(Fp22.ONE, Fp22.mul(Fp22.ONE, _2n4));
    function pointDouble(ell, Rx, Ry, Rz) {
      const t0 = Fp22.sqr(Ry);
      const t1 = Fp22.sqr(Rz);
      const t2 = Fp22.mulByB(Fp22.mul(t1, _3n4));
      const t3 = Fp22.mul(t2, _3n4);
      const t4 = Fp22.sub(Fp22.sub(Fp22.sqr(Fp22.add(Ry, Rz)), t1), t0);
      const c0 = Fp22.sub(t2, t0);
      const c1 = Fp22.mul(Fp22.sqr(Rx), _3n4);
      const c2 = Fp22.neg(t4);
      ell.push([c0, c1, c2]);
      Rx = Fp22.mul(Fp22.mul(Fp22.mul(Fp22.sub(t0, t3), Rx), Ry), Fp2div2);
      Ry = Fp22.sub(Fp22.sqr(Fp22.mul(Fp22.add(t0, t3), Fp2div2)), Fp22.mul(Fp22.sqr(t2), _3n4));
      Rz = Fp22.mul(t0, t4);
      return { Rx, Ry, Rz };
    }
    function pointAdd(ell, Rx, Ry, Rz, Qx, Qy) {
      const t0 = Fp22.sub(Ry, Fp22.mul(Qy, Rz));
      const t1 = Fp22.sub(Rx, Fp22.mul(Qx, Rz));
      const c0 = Fp22.sub(Fp22.mul(t0, Qx), Fp22.mul(t1, Qy));
      const c1 = Fp22.neg(t0);
      const c2 = t1;
      ell.push([c0, c1, c2]);
      const t2 = Fp22.sqr(t1);
      const t3 = Fp22.mul(t2, t1);
      const t4 = Fp22.mul(t2, Rx);
      const t5 = Fp22.add(Fp22.sub(t3, Fp22.mul(t4, _2n4)), Fp22.mul(Fp22.sqr(t0), Rz));
      Rx = Fp22.mul(t1, t5);
      Ry = Fp22.sub(Fp22.mul(Fp22.sub(t4, t5), t0), Fp22.mul(t3, Ry));
      Rz = Fp22.mul(Rz, t3);
      return { Rx, Ry, Rz };
    }
    const ATE_NAF = NAfDecomposition(ateLoopSize);
    const calcPairingPrecomputes = (point) => {
      if (!(point instanceof G2))
        throw new TypeError('"point" expected G2 point, got type=' + typeof point);
      const p = point;
      const { x, y } = p.toAffine();
      const Qx = x, Qy = y, negQy = Fp22.neg(y);
      let Rx = Qx, Ry = Qy, Rz = Fp22.ONE;
      const ell = [];
      for (const bit of ATE_NAF) {
        const cur = [];
        ({ Rx, Ry, Rz } = pointDouble(cur, Rx, Ry, Rz));
        if (bit)
          ({ Rx, Ry, Rz } = pointAdd(cur, Rx, Ry, Rz, Qx, bit === -1 ? negQy : Qy));
        ell.push(cur);
      }
      if (postPrecompute) {
        const last = ell[ell.length - 1];
        postPrecompute(Rx, Ry, Rz, Qx, Qy, pointAdd.bind(null, last));
      }
      return ell;
    };
    function millerLoopBatch(pairs, withFinalExponent = false) {
      aarray(pairs, "pairs", (pair, title) => {
        aarray(pair, title);
        if (pair.length !== 3)
          throw new TypeError(`"${title}" expected precompute tuple`);
        aarray(pair[0], title + "[0]");
      });
      let f12 = Fp122.ONE;
      if (pairs.length) {
        const ellLen = pairs[0][0].length;
        for (let i = 0; i < ellLen; i++) {
          if (i !== 0)
            f12 = Fp122.sqr(f12);
          for (const [ell, Px, Py] of pairs) {
            for (const [c0, c1, c2] of ell[i])
              f12 = lineFunction(c0, c1, c2, f12, Px, Py);
          }
        }
      }
      if (xNegative)
        f12 = Fp122.conjugate(f12);
      return withFinalExponent ? Fp122.finalExponentiate(f12) : f12;
    }
    function pairingBatch(pairs, withFinalExponent = true) {
      aarray(pairs, "pairs");
      const res = [];
      for (let i = 0; i < pairs.length; i++) {
        const pair = pairs[i];
        validateObject(pair, { g1: "object", g2: "object" }, {}, "pairs[" + i + "]");
        const { g1: g12, g2: g22 } = pair;
        if (!(g12 instanceof G1))
          throw new TypeError('"pairs[' + i + '].g1" expected G1 point, got type=' + typeof g12);
        if (!(g22 instanceof G2))
          throw new TypeError('"pairs[' + i + '].g2" expected G2 point, got type=' + typeof g22);
        if (g12.is0() || g22.is0())
          throw new Error("pairing is not available for ZERO point");
        g12.assertValidity();
        g22.assertValidity();
        const Qa = g12.toAffine();
        res.push([calcPairingPrecomputes(g22), Qa.x, Qa.y]);
      }
      return millerLoopBatch(res, withFinalExponent);
    }
    function pairing(Q, P, withFinalExponent = true) {
      if (!(Q instanceof G1))
        throw new TypeError('"Q" expected G1 point, got type=' + typeof Q);
      if (!(P instanceof G2))
        throw new TypeError('"P" expected G2 point, got type=' + typeof P);
      return pairingBatch([{ g1: Q, g2: P }], withFinalExponent);
    }
    const lengths = {
      seed: getMinHashLength(Fr.ORDER)
    };
    const rand = params.randomBytes === void 0 ? randomBytes2 : params.randomBytes;
    const randomSecretKey = (seed) => {
      seed = seed === void 0 ? rand(lengths.seed) : seed;
      abytes2(seed, lengths.seed, "seed");
      return mapHashToField(seed, Fr.ORDER);
    };
    Object.freeze(lengths);
    return {
      lengths,
      Fr,
      Fp12: Fp122,
      // NOTE: we re-export Fp12 here because pairing results are Fp12!
      millerLoopBatch,
      pairing,
      pairingBatch,
      calcPairingPrecomputes,
      randomSecretKey
    };
  }
  function createBlsSig(blsPairing, PubPoint, SigPoint, isSigG1, hashToSigCurve, SignatureCoder) {
    const { Fr, Fp12: Fp122, pairingBatch, randomSecretKey, lengths } = blsPairing;
    if (!SignatureCoder) {
      SignatureCoder = {
        fromBytes: notImplemented,
        fromHex: notImplemented,
        toBytes: notImplemented,
        toHex: notImplemented
      };
    }
    const sigCoder = Object.freeze({ ...SignatureCoder });
    function normPub(point) {
      return point instanceof PubPoint ? point : PubPoint.fromBytes(point);
    }
    function normSig(point) {
      return point instanceof SigPoint ? point : sigCoder.fromBytes(point);
    }
    function amsg(m) {
      if (!(m instanceof SigPoint))
        throw new Error(`expected valid message hashed to ${!isSigG1 ? "G2" : "G1"} curve`);
      return m;
    }
    const pair = !isSigG1 ? (a, b) => ({ g1: a, g2: b }) : (a, b) => ({ g1: b, g2: a });
    return Object.freeze({
      lengths: Object.freeze({ ...lengths, secretKey: Fr.BYTES }),
      keygen(seed) {
        const secretKey = randomSecretKey(seed);
        const publicKey = this.getPublicKey(secretKey);
        return { secretKey, publicKey };
      },
      // P = pk x G
      getPublicKey(secretKey) {
        let sec;
        try {
          sec = PubPoint.Fn.fromBytes(secretKey);
        } catch (error) {
          throw new Error("invalid private key: " + typeof secretKey, { cause: error });
        }
        return PubPoint.BASE.multiply(sec);
      },
      // S = pk x H(m)
      sign(message, secretKey, unusedArg) {
        if (unusedArg != null)
          throw new Error("sign() expects 2 arguments");
        const sec = PubPoint.Fn.fromBytes(secretKey);
        amsg(message).assertValidity();
        return message.multiply(sec);
      },
      // Checks if pairing of public key & hash is equal to pairing of generator & signature.
      // e(P, H(m)) == e(G, S)
      // e(S, G) == e(H(m), P)
      verify(signature, message, publicKey, unusedArg) {
        if (unusedArg != null)
          throw new Error("verify() expects 3 arguments");
        signature = normSig(signature);
        publicKey = normPub(publicKey);
        const P = publicKey.negate();
        const G = PubPoint.BASE;
        const Hm = amsg(message);
        const S = signature;
        try {
          const exp = pairingBatch([pair(P, Hm), pair(G, S)]);
          return Fp122.eql(exp, Fp122.ONE);
        } catch {
          return false;
        }
      },
      // https://ethresear.ch/t/fast-verification-of-multiple-bls-signatures/5407
      // e(G, S) = e(G, SUM(n)(Si)) = MUL(n)(e(G, Si))
      // TODO: maybe `{message: G2Hex, publicKey: G1Hex}[]` instead?
      verifyBatch(signature, items) {
        aNonEmpty(items);
        const sig = normSig(signature);
        const nMessages = items.map((i) => amsg(i.message));
        const nPublicKeys = items.map((i) => normPub(i.publicKey));
        const messagePubKeyMap = /* @__PURE__ */ new Map();
        for (let i = 0; i < nPublicKeys.length; i++) {
          const pub = nPublicKeys[i];
          const msg = nMessages[i];
          let keys = messagePubKeyMap.get(msg);
          if (keys === void 0) {
            keys = [];
            messagePubKeyMap.set(msg, keys);
          }
          keys.push(pub);
        }
        const paired = [];
        const G = PubPoint.BASE;
        try {
          for (const [msg, keys] of messagePubKeyMap) {
            const groupPublicKey = keys.reduce((acc, msg2) => acc.add(msg2));
            paired.push(pair(groupPublicKey, msg));
          }
          paired.push(pair(G.negate(), sig));
          return Fp122.eql(pairingBatch(paired), Fp122.ONE);
        } catch {
          return false;
        }
      },
      // Adds a bunch of public key points together.
      // pk1 + pk2 + pk3 = pkA
      aggregatePublicKeys(publicKeys) {
        aNonEmpty(publicKeys);
        publicKeys = publicKeys.map((pub) => normPub(pub));
        const agg = publicKeys.reduce((sum, p) => sum.add(p), PubPoint.ZERO);
        agg.assertValidity();
        return agg;
      },
      // Adds a bunch of signature points together.
      // pk1 + pk2 + pk3 = pkA
      aggregateSignatures(signatures) {
        aNonEmpty(signatures);
        signatures = signatures.map((sig) => normSig(sig));
        const agg = signatures.reduce((sum, s) => sum.add(s), SigPoint.ZERO);
        agg.assertValidity();
        return agg;
      },
      hash(messageBytes, DST) {
        abytes2(messageBytes);
        const opts = DST === void 0 ? void 0 : { DST };
        return hashToSigCurve(messageBytes, opts);
      },
      Signature: Object.freeze({ ...sigCoder })
    });
  }
  function blsBasic(fields2, G1_Point2, G2_Point2, params) {
    const { Fp: Fp4, Fr, Fp2: Fp22, Fp6: Fp62, Fp12: Fp122 } = fields2;
    const G1 = { Point: G1_Point2 };
    const G2 = { Point: G2_Point2 };
    const pairingRes = createBlsPairing(fields2, G1_Point2, G2_Point2, params);
    const { millerLoopBatch, pairing, pairingBatch, calcPairingPrecomputes, randomSecretKey, lengths } = pairingRes;
    G1.Point.BASE.precompute(4);
    Object.freeze(G1);
    Object.freeze(G2);
    return Object.freeze({
      lengths: Object.freeze(lengths),
      millerLoopBatch,
      pairing,
      pairingBatch,
      G1,
      G2,
      fields: Object.freeze({ Fr, Fp: Fp4, Fp2: Fp22, Fp6: Fp62, Fp12: Fp122 }),
      params: Object.freeze({
        ateLoopSize: params.ateLoopSize,
        xNegative: params.xNegative,
        twistType: params.twistType,
        postPrecompute: params.postPrecompute
      }),
      utils: Object.freeze({
        randomSecretKey,
        calcPairingPrecomputes
      })
    });
  }
  function blsHashers(fields2, G1_Point2, G2_Point2, params, hasherParams) {
    const base = blsBasic(fields2, G1_Point2, G2_Point2, params);
    validateObject(hasherParams, { hasherOpts: "object", hasherOptsG1: "object", hasherOptsG2: "object" }, { mapToG1: "function", mapToG2: "function" }, "hasherParams");
    const G1Hasher = createHasher2(G1_Point2, hasherParams.mapToG1 === void 0 ? notImplemented : hasherParams.mapToG1, {
      ...hasherParams.hasherOpts,
      ...hasherParams.hasherOptsG1
    });
    const G2Hasher = createHasher2(G2_Point2, hasherParams.mapToG2 === void 0 ? notImplemented : hasherParams.mapToG2, {
      ...hasherParams.hasherOpts,
      ...hasherParams.hasherOptsG2
    });
    return Object.freeze({ ...base, G1: G1Hasher, G2: G2Hasher });
  }
  function bls(fields2, G1_Point2, G2_Point2, params, hasherParams, signatureCoders2) {
    const base = blsHashers(fields2, G1_Point2, G2_Point2, params, hasherParams);
    const pairingRes = {
      ...base,
      Fr: base.fields.Fr,
      Fp12: base.fields.Fp12,
      calcPairingPrecomputes: base.utils.calcPairingPrecomputes,
      randomSecretKey: base.utils.randomSecretKey
    };
    const longSignatures = createBlsSig(pairingRes, G1_Point2, G2_Point2, false, base.G2.hashToCurve, signatureCoders2?.LongSignature);
    const shortSignatures = createBlsSig(pairingRes, G2_Point2, G1_Point2, true, base.G1.hashToCurve, signatureCoders2?.ShortSignature);
    return Object.freeze({ ...base, longSignatures, shortSignatures });
  }

  // node_modules/@noble/curves/abstract/tower.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n7 = /* @__PURE__ */ BigInt(0);
  var _1n7 = /* @__PURE__ */ BigInt(1);
  var _2n5 = /* @__PURE__ */ BigInt(2);
  var _3n5 = /* @__PURE__ */ BigInt(3);
  var _6n = /* @__PURE__ */ BigInt(6);
  var _12n = /* @__PURE__ */ BigInt(12);
  var isObj = (value) => !!value && typeof value === "object";
  function calcFrobeniusCoefficients(Fp4, nonResidue, modulus, degree, num = 1, divisor) {
    asafenumber(num, "num");
    asafenumber(degree, "degree");
    const divisorN = divisor === void 0 ? degree : divisor;
    asafenumber(divisorN, "divisor");
    const F = Fp4;
    if (typeof modulus !== "bigint" || modulus <= _1n7)
      throw new Error("calcFrobeniusCoefficients: expected valid modulus, got " + modulus);
    if (degree <= 0)
      throw new Error("calcFrobeniusCoefficients: expected positive degree, got " + degree);
    if (num <= 0)
      throw new Error("calcFrobeniusCoefficients: expected positive row count, got " + num);
    if (divisorN <= 0)
      throw new Error("calcFrobeniusCoefficients: expected positive divisor, got " + divisorN);
    const _divisor = BigInt(divisorN);
    const towerModulus = modulus ** BigInt(degree);
    const res = [];
    for (let i = 0; i < num; i++) {
      const a = BigInt(i + 1);
      const powers = [];
      for (let j = 0, qPower = _1n7; j < degree; j++) {
        const numer = a * qPower - a;
        if (numer % _divisor)
          throw new Error("calcFrobeniusCoefficients: inexact tower exponent");
        const power = numer / _divisor % towerModulus;
        powers.push(F.pow(nonResidue, power));
        qPower *= modulus;
      }
      res.push(powers);
    }
    return res;
  }
  function psiFrobenius(Fp4, Fp22, base) {
    validateField(Fp4);
    validateField(Fp22);
    validateObject(Fp22, {
      Fp: "object",
      frobeniusMap: "function",
      fromBigTuple: "function",
      mulByB: "function",
      mulByNonresidue: "function",
      reim: "function",
      Fp4Square: "function",
      NONRESIDUE: "object"
    }, {});
    if (!isObj(base) || Array.isArray(base))
      throw new TypeError('"base" expected Fp2 element, got type=' + typeof base);
    if (!Fp22.isValid(base))
      throw new RangeError('"base" expected valid Fp2 element');
    const PSI_X = Fp22.pow(base, (Fp4.ORDER - _1n7) / _3n5);
    const PSI_Y = Fp22.pow(base, (Fp4.ORDER - _1n7) / _2n5);
    function psi(x, y) {
      const x2 = Fp22.mul(Fp22.frobeniusMap(x, 1), PSI_X);
      const y2 = Fp22.mul(Fp22.frobeniusMap(y, 1), PSI_Y);
      return [x2, y2];
    }
    const PSI2_X = Fp22.pow(base, (Fp4.ORDER ** _2n5 - _1n7) / _3n5);
    const PSI2_Y = Fp22.pow(base, (Fp4.ORDER ** _2n5 - _1n7) / _2n5);
    if (!Fp22.eql(PSI2_Y, Fp22.neg(Fp22.ONE)))
      throw new Error("psiFrobenius: PSI2_Y!==-1");
    function psi2(x, y) {
      return [Fp22.mul(x, PSI2_X), Fp22.neg(y)];
    }
    const mapAffine = (fn) => (c, P) => {
      if (typeof c !== "function")
        throw new TypeError('"c" expected point constructor, got type=' + typeof c);
      validatePointCons(c);
      if (!(P instanceof c))
        throw new TypeError('"P" expected Point instance, got type=' + typeof P);
      const affine = P.toAffine();
      const p = fn(affine.x, affine.y);
      return c.fromAffine({ x: p[0], y: p[1] });
    };
    const G2psi3 = mapAffine(psi);
    const G2psi22 = mapAffine(psi2);
    return { psi, psi2, G2psi: G2psi3, G2psi2: G2psi22, PSI_X, PSI_Y, PSI2_X, PSI2_Y };
  }
  var _Field2 = class {
    constructor(Fp4, opts = {}) {
      __publicField(this, "ORDER");
      __publicField(this, "BITS");
      __publicField(this, "BYTES");
      __publicField(this, "isLE");
      __publicField(this, "ZERO");
      __publicField(this, "ONE");
      __publicField(this, "Fp");
      __publicField(this, "NONRESIDUE");
      __publicField(this, "mulByB");
      __publicField(this, "Fp_NONRESIDUE");
      __publicField(this, "Fp_div2");
      const { NONRESIDUE = BigInt(-1), FP2_NONRESIDUE, Fp2mulByB } = opts;
      const ORDER = Fp4.ORDER;
      const FP2_ORDER = ORDER * ORDER;
      this.Fp = Fp4;
      this.ORDER = FP2_ORDER;
      this.BITS = bitLen(FP2_ORDER);
      this.BYTES = Math.ceil(bitLen(FP2_ORDER) / 8);
      this.isLE = Fp4.isLE;
      this.ZERO = this.create({ c0: Fp4.ZERO, c1: Fp4.ZERO });
      this.ONE = this.create({ c0: Fp4.ONE, c1: Fp4.ZERO });
      this.Fp_NONRESIDUE = Fp4.create(NONRESIDUE);
      this.Fp_div2 = Fp4.div(Fp4.ONE, _2n5);
      this.NONRESIDUE = this.create({ c0: FP2_NONRESIDUE[0], c1: FP2_NONRESIDUE[1] });
      this.mulByB = (num) => {
        const { c0, c1 } = Fp2mulByB(num);
        return Object.freeze({ c0, c1 });
      };
      Object.freeze(this);
    }
    fromBigTuple(tuple) {
      if (!Array.isArray(tuple) || tuple.length !== 2)
        throw new Error("invalid Fp2.fromBigTuple");
      const [c0, c1] = tuple;
      if (typeof c0 !== "bigint" || typeof c1 !== "bigint")
        throw new Error("invalid Fp2.fromBigTuple");
      return this.create({ c0, c1 });
    }
    create(num) {
      const { Fp: Fp4 } = this;
      const c0 = Fp4.create(num.c0);
      const c1 = Fp4.create(num.c1);
      return Object.freeze({ c0, c1 });
    }
    isValid(num) {
      if (!isObj(num))
        throw new TypeError("invalid field element: expected object, got " + typeof num);
      const { c0, c1 } = num;
      const { Fp: Fp4 } = this;
      return Fp4.isValid(c0) && Fp4.isValid(c1);
    }
    is0(num) {
      if (!isObj(num))
        return false;
      const { c0, c1 } = num;
      const { Fp: Fp4 } = this;
      return Fp4.is0(c0) && Fp4.is0(c1);
    }
    isValidNot0(num) {
      return !this.is0(num) && this.isValid(num);
    }
    eql({ c0, c1 }, { c0: r0, c1: r1 }) {
      const { Fp: Fp4 } = this;
      return Fp4.eql(c0, r0) && Fp4.eql(c1, r1);
    }
    neg({ c0, c1 }) {
      const { Fp: Fp4 } = this;
      return Object.freeze({ c0: Fp4.neg(c0), c1: Fp4.neg(c1) });
    }
    pow(num, power) {
      return FpPow(this, num, power);
    }
    invertBatch(nums) {
      return FpInvertBatch(this, nums, true);
    }
    // Normalized
    add(f1, f2) {
      const { Fp: Fp4 } = this;
      const { c0, c1 } = f1;
      const { c0: r0, c1: r1 } = f2;
      return Object.freeze({
        c0: Fp4.add(c0, r0),
        c1: Fp4.add(c1, r1)
      });
    }
    sub({ c0, c1 }, { c0: r0, c1: r1 }) {
      const { Fp: Fp4 } = this;
      return Object.freeze({
        c0: Fp4.sub(c0, r0),
        c1: Fp4.sub(c1, r1)
      });
    }
    mul({ c0, c1 }, rhs) {
      const { Fp: Fp4 } = this;
      if (typeof rhs === "bigint")
        return Object.freeze({ c0: Fp4.mul(c0, rhs), c1: Fp4.mul(c1, rhs) });
      const { c0: r0, c1: r1 } = rhs;
      let t1 = Fp4.mul(c0, r0);
      let t2 = Fp4.mul(c1, r1);
      const o0 = Fp4.sub(t1, t2);
      const o1 = Fp4.sub(Fp4.mul(Fp4.add(c0, c1), Fp4.add(r0, r1)), Fp4.add(t1, t2));
      return Object.freeze({ c0: o0, c1: o1 });
    }
    sqr({ c0, c1 }) {
      const { Fp: Fp4 } = this;
      const a = Fp4.add(c0, c1);
      const b = Fp4.sub(c0, c1);
      const c = Fp4.add(c0, c0);
      return Object.freeze({ c0: Fp4.mul(a, b), c1: Fp4.mul(c, c1) });
    }
    // NonNormalized stuff
    addN(a, b) {
      return this.add(a, b);
    }
    subN(a, b) {
      return this.sub(a, b);
    }
    mulN(a, b) {
      return this.mul(a, b);
    }
    sqrN(a) {
      return this.sqr(a);
    }
    // Why inversion for bigint inside Fp instead of Fp2? it is even used in that context?
    div(lhs, rhs) {
      const { Fp: Fp4 } = this;
      return this.mul(lhs, typeof rhs === "bigint" ? Fp4.inv(Fp4.create(rhs)) : this.inv(rhs));
    }
    inv({ c0: a, c1: b }) {
      const { Fp: Fp4 } = this;
      const factor = Fp4.inv(Fp4.create(a * a + b * b));
      return Object.freeze({ c0: Fp4.mul(factor, Fp4.create(a)), c1: Fp4.mul(factor, Fp4.create(-b)) });
    }
    sqrt(num) {
      const { Fp: Fp4 } = this;
      const Fp22 = this;
      const { c0, c1 } = num;
      if (Fp4.is0(c1)) {
        if (FpLegendre(Fp4, c0) === 1)
          return Fp22.create({ c0: Fp4.sqrt(c0), c1: Fp4.ZERO });
        else
          return Fp22.create({ c0: Fp4.ZERO, c1: Fp4.sqrt(Fp4.div(c0, this.Fp_NONRESIDUE)) });
      }
      const a = Fp4.sqrt(Fp4.sub(Fp4.sqr(c0), Fp4.mul(Fp4.sqr(c1), this.Fp_NONRESIDUE)));
      let d = Fp4.mul(Fp4.add(a, c0), this.Fp_div2);
      const legendre = FpLegendre(Fp4, d);
      if (legendre === -1)
        d = Fp4.sub(d, a);
      const a0 = Fp4.sqrt(d);
      const candidateSqrt = Fp22.create({ c0: a0, c1: Fp4.div(Fp4.mul(c1, this.Fp_div2), a0) });
      if (!Fp22.eql(Fp22.sqr(candidateSqrt), num))
        throw new Error("Cannot find square root");
      const x1 = candidateSqrt;
      const x2 = Fp22.neg(x1);
      const { re: re1, im: im1 } = Fp22.reim(x1);
      const { re: re2, im: im2 } = Fp22.reim(x2);
      if (im1 > im2 || im1 === im2 && re1 > re2)
        return x1;
      return x2;
    }
    // Same as sgn0_m_eq_2 in RFC 9380
    isOdd(x) {
      const { re: x0, im: x1 } = this.reim(x);
      const sign_0 = x0 % _2n5;
      const zero_0 = x0 === _0n7;
      const sign_1 = x1 % _2n5;
      return BigInt(sign_0 || zero_0 && sign_1) == _1n7;
    }
    // Bytes util
    fromBytes(b) {
      const { Fp: Fp4 } = this;
      abytes2(b);
      if (b.length !== this.BYTES)
        throw new Error("fromBytes invalid length=" + b.length);
      return this.create({
        c0: Fp4.fromBytes(b.subarray(0, Fp4.BYTES)),
        c1: Fp4.fromBytes(b.subarray(Fp4.BYTES))
      });
    }
    toBytes({ c0, c1 }) {
      return concatBytes2(this.Fp.toBytes(c0), this.Fp.toBytes(c1));
    }
    cmov({ c0, c1 }, { c0: r0, c1: r1 }, c) {
      const { Fp: Fp4 } = this;
      return this.create({
        c0: Fp4.cmov(c0, r0, c),
        c1: Fp4.cmov(c1, r1, c)
      });
    }
    reim({ c0, c1 }) {
      return { re: c0, im: c1 };
    }
    Fp4Square(a, b) {
      const Fp22 = this;
      const a2 = Fp22.sqr(a);
      const b2 = Fp22.sqr(b);
      return {
        first: Fp22.add(Fp22.mulByNonresidue(b2), a2),
        // b² * Nonresidue + a²
        second: Fp22.sub(Fp22.sub(Fp22.sqr(Fp22.add(a, b)), a2), b2)
        // (a + b)² - a² - b²
      };
    }
    // multiply by u + 1
    mulByNonresidue({ c0, c1 }) {
      const { Fp: Fp4, NONRESIDUE: nr } = this;
      if (nr.c0 === Fp4.ONE && nr.c1 === Fp4.ONE) {
        return Object.freeze({ c0: Fp4.sub(c0, c1), c1: Fp4.add(c0, c1) });
      }
      if (nr.c1 === Fp4.ONE) {
        return Object.freeze({
          c0: Fp4.sub(Fp4.mul(c0, nr.c0), c1),
          c1: Fp4.add(c0, Fp4.mul(c1, nr.c0))
        });
      }
      return this.mul({ c0, c1 }, nr);
    }
    frobeniusMap(num, power) {
      const { c0, c1 } = num;
      const { Fp: Fp4 } = this;
      return Object.freeze({ c0, c1: power % 2 === 0 ? c1 : Fp4.neg(c1) });
    }
  };
  var _Field6 = class {
    constructor(Fp22) {
      __publicField(this, "ORDER");
      __publicField(this, "BITS");
      __publicField(this, "BYTES");
      __publicField(this, "isLE");
      __publicField(this, "ZERO");
      __publicField(this, "ONE");
      __publicField(this, "Fp2");
      this.Fp2 = Fp22;
      this.ORDER = Fp22.Fp.ORDER ** _6n;
      this.BITS = 3 * Fp22.BITS;
      this.BYTES = 3 * Fp22.BYTES;
      this.isLE = Fp22.isLE;
      this.ZERO = this.create({ c0: Fp22.ZERO, c1: Fp22.ZERO, c2: Fp22.ZERO });
      this.ONE = this.create({ c0: Fp22.ONE, c1: Fp22.ZERO, c2: Fp22.ZERO });
      Object.freeze(this);
    }
    // Most callers never touch Frobenius maps, so keep the sextic tables lazy:
    // eagerly deriving them dominates `bls12-381.js` / `bn254.js` import time.
    get FROBENIUS_COEFFICIENTS_1() {
      const frob2 = _FROBENIUS_COEFFICIENTS_6.get(this);
      if (frob2)
        return frob2[0];
      const { Fp2: Fp22 } = this;
      const { Fp: Fp4 } = Fp22;
      const rows = calcFrobeniusCoefficients(Fp22, Fp22.NONRESIDUE, Fp4.ORDER, 6, 2, 3);
      const cache = [Object.freeze(rows[0]), Object.freeze(rows[1])];
      _FROBENIUS_COEFFICIENTS_6.set(this, cache);
      return cache[0];
    }
    get FROBENIUS_COEFFICIENTS_2() {
      const frob2 = _FROBENIUS_COEFFICIENTS_6.get(this);
      if (frob2)
        return frob2[1];
      void this.FROBENIUS_COEFFICIENTS_1;
      return _FROBENIUS_COEFFICIENTS_6.get(this)[1];
    }
    add({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }) {
      const { Fp2: Fp22 } = this;
      return Object.freeze({
        c0: Fp22.add(c0, r0),
        c1: Fp22.add(c1, r1),
        c2: Fp22.add(c2, r2)
      });
    }
    sub({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }) {
      const { Fp2: Fp22 } = this;
      return Object.freeze({
        c0: Fp22.sub(c0, r0),
        c1: Fp22.sub(c1, r1),
        c2: Fp22.sub(c2, r2)
      });
    }
    mul({ c0, c1, c2 }, rhs) {
      const { Fp2: Fp22 } = this;
      if (typeof rhs === "bigint") {
        return Object.freeze({
          c0: Fp22.mul(c0, rhs),
          c1: Fp22.mul(c1, rhs),
          c2: Fp22.mul(c2, rhs)
        });
      }
      const { c0: r0, c1: r1, c2: r2 } = rhs;
      const t0 = Fp22.mul(c0, r0);
      const t1 = Fp22.mul(c1, r1);
      const t2 = Fp22.mul(c2, r2);
      return Object.freeze({
        // t0 + (c1 + c2) * (r1 * r2) - (T1 + T2) * (u + 1)
        c0: Fp22.add(t0, Fp22.mulByNonresidue(Fp22.sub(Fp22.mul(Fp22.add(c1, c2), Fp22.add(r1, r2)), Fp22.add(t1, t2)))),
        // (c0 + c1) * (r0 + r1) - (T0 + T1) + T2 * (u + 1)
        c1: Fp22.add(Fp22.sub(Fp22.mul(Fp22.add(c0, c1), Fp22.add(r0, r1)), Fp22.add(t0, t1)), Fp22.mulByNonresidue(t2)),
        // T1 + (c0 + c2) * (r0 + r2) - T0 + T2
        c2: Fp22.sub(Fp22.add(t1, Fp22.mul(Fp22.add(c0, c2), Fp22.add(r0, r2))), Fp22.add(t0, t2))
      });
    }
    sqr({ c0, c1, c2 }) {
      const { Fp2: Fp22 } = this;
      let t0 = Fp22.sqr(c0);
      let t1 = Fp22.mul(Fp22.mul(c0, c1), _2n5);
      let t3 = Fp22.mul(Fp22.mul(c1, c2), _2n5);
      let t4 = Fp22.sqr(c2);
      return Object.freeze({
        c0: Fp22.add(Fp22.mulByNonresidue(t3), t0),
        // T3 * (u + 1) + T0
        c1: Fp22.add(Fp22.mulByNonresidue(t4), t1),
        // T4 * (u + 1) + T1
        // T1 + (c0 - c1 + c2)² + T3 - T0 - T4
        c2: Fp22.sub(Fp22.sub(Fp22.add(Fp22.add(t1, Fp22.sqr(Fp22.add(Fp22.sub(c0, c1), c2))), t3), t0), t4)
      });
    }
    addN(a, b) {
      return this.add(a, b);
    }
    subN(a, b) {
      return this.sub(a, b);
    }
    mulN(a, b) {
      return this.mul(a, b);
    }
    sqrN(a) {
      return this.sqr(a);
    }
    create(num) {
      const { Fp2: Fp22 } = this;
      const c0 = Fp22.create(num.c0);
      const c1 = Fp22.create(num.c1);
      const c2 = Fp22.create(num.c2);
      return Object.freeze({ c0, c1, c2 });
    }
    isValid(num) {
      if (!isObj(num))
        throw new TypeError("invalid field element: expected object, got " + typeof num);
      const { c0, c1, c2 } = num;
      const { Fp2: Fp22 } = this;
      return Fp22.isValid(c0) && Fp22.isValid(c1) && Fp22.isValid(c2);
    }
    is0(num) {
      if (!isObj(num))
        return false;
      const { c0, c1, c2 } = num;
      const { Fp2: Fp22 } = this;
      return Fp22.is0(c0) && Fp22.is0(c1) && Fp22.is0(c2);
    }
    isValidNot0(num) {
      return !this.is0(num) && this.isValid(num);
    }
    neg({ c0, c1, c2 }) {
      const { Fp2: Fp22 } = this;
      return Object.freeze({ c0: Fp22.neg(c0), c1: Fp22.neg(c1), c2: Fp22.neg(c2) });
    }
    eql({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }) {
      const { Fp2: Fp22 } = this;
      return Fp22.eql(c0, r0) && Fp22.eql(c1, r1) && Fp22.eql(c2, r2);
    }
    sqrt(_) {
      return notImplemented();
    }
    // Do we need division by bigint at all? Should be done via order:
    div(lhs, rhs) {
      const { Fp2: Fp22 } = this;
      const { Fp: Fp4 } = Fp22;
      return this.mul(lhs, typeof rhs === "bigint" ? Fp4.inv(Fp4.create(rhs)) : this.inv(rhs));
    }
    pow(num, power) {
      return FpPow(this, num, power);
    }
    invertBatch(nums) {
      return FpInvertBatch(this, nums, true);
    }
    inv({ c0, c1, c2 }) {
      const { Fp2: Fp22 } = this;
      let t0 = Fp22.sub(Fp22.sqr(c0), Fp22.mulByNonresidue(Fp22.mul(c2, c1)));
      let t1 = Fp22.sub(Fp22.mulByNonresidue(Fp22.sqr(c2)), Fp22.mul(c0, c1));
      let t2 = Fp22.sub(Fp22.sqr(c1), Fp22.mul(c0, c2));
      let t4 = Fp22.inv(Fp22.add(Fp22.mulByNonresidue(Fp22.add(Fp22.mul(c2, t1), Fp22.mul(c1, t2))), Fp22.mul(c0, t0)));
      return Object.freeze({ c0: Fp22.mul(t4, t0), c1: Fp22.mul(t4, t1), c2: Fp22.mul(t4, t2) });
    }
    // Bytes utils
    fromBytes(b) {
      const { Fp2: Fp22 } = this;
      abytes2(b);
      if (b.length !== this.BYTES)
        throw new Error("fromBytes invalid length=" + b.length);
      const B2 = Fp22.BYTES;
      return this.create({
        c0: Fp22.fromBytes(b.subarray(0, B2)),
        c1: Fp22.fromBytes(b.subarray(B2, B2 * 2)),
        c2: Fp22.fromBytes(b.subarray(2 * B2))
      });
    }
    toBytes({ c0, c1, c2 }) {
      const { Fp2: Fp22 } = this;
      return concatBytes2(Fp22.toBytes(c0), Fp22.toBytes(c1), Fp22.toBytes(c2));
    }
    cmov({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }, c) {
      const { Fp2: Fp22 } = this;
      return this.create({
        c0: Fp22.cmov(c0, r0, c),
        c1: Fp22.cmov(c1, r1, c),
        c2: Fp22.cmov(c2, r2, c)
      });
    }
    fromBigSix(tuple) {
      const { Fp2: Fp22 } = this;
      if (!Array.isArray(tuple) || tuple.length !== 6)
        throw new Error("invalid Fp6.fromBigSix");
      for (let i = 0; i < 6; i++)
        if (typeof tuple[i] !== "bigint")
          throw new Error("invalid Fp6.fromBigSix");
      const t = tuple;
      return this.create({
        c0: Fp22.fromBigTuple(t.slice(0, 2)),
        c1: Fp22.fromBigTuple(t.slice(2, 4)),
        c2: Fp22.fromBigTuple(t.slice(4, 6))
      });
    }
    frobeniusMap(num, power) {
      const { c0, c1, c2 } = num;
      if (power % 6 === 0)
        return Object.freeze({ c0, c1, c2 });
      const { Fp2: Fp22 } = this;
      return Object.freeze({
        c0: Fp22.frobeniusMap(c0, power),
        c1: Fp22.mul(Fp22.frobeniusMap(c1, power), this.FROBENIUS_COEFFICIENTS_1[power % 6]),
        c2: Fp22.mul(Fp22.frobeniusMap(c2, power), this.FROBENIUS_COEFFICIENTS_2[power % 6])
      });
    }
    mulByFp2({ c0, c1, c2 }, rhs) {
      const { Fp2: Fp22 } = this;
      return Object.freeze({
        c0: Fp22.mul(c0, rhs),
        c1: Fp22.mul(c1, rhs),
        c2: Fp22.mul(c2, rhs)
      });
    }
    mulByNonresidue({ c0, c1, c2 }) {
      const { Fp2: Fp22 } = this;
      return Object.freeze({ c0: Fp22.mulByNonresidue(c2), c1: c0, c2: c1 });
    }
    // Sparse multiplication
    mul1({ c0, c1, c2 }, b1) {
      const { Fp2: Fp22 } = this;
      return Object.freeze({
        c0: Fp22.mulByNonresidue(Fp22.mul(c2, b1)),
        c1: Fp22.mul(c0, b1),
        c2: Fp22.mul(c1, b1)
      });
    }
    // Sparse multiplication
    mul01({ c0, c1, c2 }, b0, b1) {
      const { Fp2: Fp22 } = this;
      let t0 = Fp22.mul(c0, b0);
      let t1 = Fp22.mul(c1, b1);
      return Object.freeze({
        // ((c1 + c2) * b1 - T1) * (u + 1) + T0
        c0: Fp22.add(Fp22.mulByNonresidue(Fp22.sub(Fp22.mul(Fp22.add(c1, c2), b1), t1)), t0),
        // (b0 + b1) * (c0 + c1) - T0 - T1
        c1: Fp22.sub(Fp22.sub(Fp22.mul(Fp22.add(b0, b1), Fp22.add(c0, c1)), t0), t1),
        // (c0 + c2) * b0 - T0 + T1
        c2: Fp22.add(Fp22.sub(Fp22.mul(Fp22.add(c0, c2), b0), t0), t1)
      });
    }
  };
  var _FROBENIUS_COEFFICIENTS_6 = /* @__PURE__ */ new WeakMap();
  var _Field12 = class {
    constructor(Fp62, opts) {
      __publicField(this, "ORDER");
      __publicField(this, "BITS");
      __publicField(this, "BYTES");
      __publicField(this, "isLE");
      __publicField(this, "ZERO");
      __publicField(this, "ONE");
      __publicField(this, "Fp6");
      __publicField(this, "X_LEN");
      __publicField(this, "finalExponentiate");
      const { X_LEN, Fp12finalExponentiate } = opts;
      const { Fp2: Fp22 } = Fp62;
      const { Fp: Fp4 } = Fp22;
      this.Fp6 = Fp62;
      this.ORDER = Fp4.ORDER ** _12n;
      this.BITS = 2 * Fp62.BITS;
      this.BYTES = 2 * Fp62.BYTES;
      this.isLE = Fp62.isLE;
      this.ZERO = this.create({ c0: Fp62.ZERO, c1: Fp62.ZERO });
      this.ONE = this.create({ c0: Fp62.ONE, c1: Fp62.ZERO });
      this.X_LEN = X_LEN;
      this.finalExponentiate = (num) => {
        const copy2 = ({ c0, c1 }) => Object.freeze({ c0, c1 });
        const copy6 = ({ c0, c1, c2 }) => Object.freeze({ c0: copy2(c0), c1: copy2(c1), c2: copy2(c2) });
        const res = Fp12finalExponentiate(num);
        return Object.freeze({ c0: copy6(res.c0), c1: copy6(res.c1) });
      };
      Object.freeze(this);
    }
    // Keep the degree-12 Frobenius row lazy too; after the first lookup the cached
    // array is reused exactly like the old eager table.
    get FROBENIUS_COEFFICIENTS() {
      const frob2 = _FROBENIUS_COEFFICIENTS_12.get(this);
      if (frob2)
        return frob2;
      const { Fp2: Fp22 } = this.Fp6;
      const { Fp: Fp4 } = Fp22;
      const cache = Object.freeze(calcFrobeniusCoefficients(Fp22, Fp22.NONRESIDUE, Fp4.ORDER, 12, 1, 6)[0]);
      _FROBENIUS_COEFFICIENTS_12.set(this, cache);
      return cache;
    }
    create(num) {
      const { Fp6: Fp62 } = this;
      const c0 = Fp62.create(num.c0);
      const c1 = Fp62.create(num.c1);
      return Object.freeze({ c0, c1 });
    }
    isValid(num) {
      if (!isObj(num))
        throw new TypeError("invalid field element: expected object, got " + typeof num);
      const { c0, c1 } = num;
      const { Fp6: Fp62 } = this;
      return Fp62.isValid(c0) && Fp62.isValid(c1);
    }
    is0(num) {
      if (!isObj(num))
        return false;
      const { c0, c1 } = num;
      const { Fp6: Fp62 } = this;
      return Fp62.is0(c0) && Fp62.is0(c1);
    }
    isValidNot0(num) {
      return !this.is0(num) && this.isValid(num);
    }
    neg({ c0, c1 }) {
      const { Fp6: Fp62 } = this;
      return Object.freeze({ c0: Fp62.neg(c0), c1: Fp62.neg(c1) });
    }
    eql({ c0, c1 }, { c0: r0, c1: r1 }) {
      const { Fp6: Fp62 } = this;
      return Fp62.eql(c0, r0) && Fp62.eql(c1, r1);
    }
    sqrt(_) {
      return notImplemented();
    }
    inv({ c0, c1 }) {
      const { Fp6: Fp62 } = this;
      let t = Fp62.inv(Fp62.sub(Fp62.sqr(c0), Fp62.mulByNonresidue(Fp62.sqr(c1))));
      return Object.freeze({ c0: Fp62.mul(c0, t), c1: Fp62.neg(Fp62.mul(c1, t)) });
    }
    div(lhs, rhs) {
      const { Fp6: Fp62 } = this;
      const { Fp2: Fp22 } = Fp62;
      const { Fp: Fp4 } = Fp22;
      return this.mul(lhs, typeof rhs === "bigint" ? Fp4.inv(Fp4.create(rhs)) : this.inv(rhs));
    }
    pow(num, power) {
      return FpPow(this, num, power);
    }
    invertBatch(nums) {
      return FpInvertBatch(this, nums, true);
    }
    // Normalized
    add({ c0, c1 }, { c0: r0, c1: r1 }) {
      const { Fp6: Fp62 } = this;
      return Object.freeze({
        c0: Fp62.add(c0, r0),
        c1: Fp62.add(c1, r1)
      });
    }
    sub({ c0, c1 }, { c0: r0, c1: r1 }) {
      const { Fp6: Fp62 } = this;
      return Object.freeze({
        c0: Fp62.sub(c0, r0),
        c1: Fp62.sub(c1, r1)
      });
    }
    mul({ c0, c1 }, rhs) {
      const { Fp6: Fp62 } = this;
      if (typeof rhs === "bigint")
        return Object.freeze({ c0: Fp62.mul(c0, rhs), c1: Fp62.mul(c1, rhs) });
      let { c0: r0, c1: r1 } = rhs;
      let t1 = Fp62.mul(c0, r0);
      let t2 = Fp62.mul(c1, r1);
      return Object.freeze({
        c0: Fp62.add(t1, Fp62.mulByNonresidue(t2)),
        // T1 + T2 * v
        // (c0 + c1) * (r0 + r1) - (T1 + T2)
        c1: Fp62.sub(Fp62.mul(Fp62.add(c0, c1), Fp62.add(r0, r1)), Fp62.add(t1, t2))
      });
    }
    sqr({ c0, c1 }) {
      const { Fp6: Fp62 } = this;
      let ab = Fp62.mul(c0, c1);
      return Object.freeze({
        // (c1 * v + c0) * (c0 + c1) - AB - AB * v
        c0: Fp62.sub(Fp62.sub(Fp62.mul(Fp62.add(Fp62.mulByNonresidue(c1), c0), Fp62.add(c0, c1)), ab), Fp62.mulByNonresidue(ab)),
        c1: Fp62.add(ab, ab)
      });
    }
    // NonNormalized stuff
    addN(a, b) {
      return this.add(a, b);
    }
    subN(a, b) {
      return this.sub(a, b);
    }
    mulN(a, b) {
      return this.mul(a, b);
    }
    sqrN(a) {
      return this.sqr(a);
    }
    // Bytes utils
    fromBytes(b) {
      const { Fp6: Fp62 } = this;
      abytes2(b);
      if (b.length !== this.BYTES)
        throw new Error("fromBytes invalid length=" + b.length);
      return this.create({
        c0: Fp62.fromBytes(b.subarray(0, Fp62.BYTES)),
        c1: Fp62.fromBytes(b.subarray(Fp62.BYTES))
      });
    }
    toBytes({ c0, c1 }) {
      const { Fp6: Fp62 } = this;
      return concatBytes2(Fp62.toBytes(c0), Fp62.toBytes(c1));
    }
    cmov({ c0, c1 }, { c0: r0, c1: r1 }, c) {
      const { Fp6: Fp62 } = this;
      return this.create({
        c0: Fp62.cmov(c0, r0, c),
        c1: Fp62.cmov(c1, r1, c)
      });
    }
    // Utils
    // toString() {
    //   return '' + 'Fp12(' + this.c0 + this.c1 + '* w');
    // },
    // fromTuple(c: [Fp6, Fp6]) {
    //   return new Fp12(...c);
    // }
    fromBigTwelve(tuple) {
      const { Fp6: Fp62 } = this;
      if (!Array.isArray(tuple) || tuple.length !== 12)
        throw new Error("invalid Fp12.fromBigTwelve");
      for (let i = 0; i < 12; i++)
        if (typeof tuple[i] !== "bigint")
          throw new Error("invalid Fp12.fromBigTwelve");
      const t = tuple;
      return this.create({
        c0: Fp62.fromBigSix(t.slice(0, 6)),
        c1: Fp62.fromBigSix(t.slice(6, 12))
      });
    }
    // Raises to q**i -th power
    frobeniusMap(lhs, power) {
      const p = power % 12;
      if (p === 0)
        return Object.freeze({ c0: lhs.c0, c1: lhs.c1 });
      if (p === 6)
        return this.conjugate(lhs);
      const { Fp6: Fp62 } = this;
      const { Fp2: Fp22 } = Fp62;
      const { c0, c1, c2 } = Fp62.frobeniusMap(lhs.c1, power);
      const coeff = this.FROBENIUS_COEFFICIENTS[p];
      return Object.freeze({
        c0: Fp62.frobeniusMap(lhs.c0, power),
        c1: Object.freeze({
          c0: Fp22.mul(c0, coeff),
          c1: Fp22.mul(c1, coeff),
          c2: Fp22.mul(c2, coeff)
        })
      });
    }
    mulByFp2({ c0, c1 }, rhs) {
      const { Fp6: Fp62 } = this;
      return Object.freeze({
        c0: Fp62.mulByFp2(c0, rhs),
        c1: Fp62.mulByFp2(c1, rhs)
      });
    }
    conjugate({ c0, c1 }) {
      return Object.freeze({ c0, c1: this.Fp6.neg(c1) });
    }
    // A cyclotomic group is a subgroup of Fp^n defined by
    //   GΦₙ(p) = {α ∈ Fpⁿ : α^Φₙ(p) = 1}
    // The result of any pairing is in a cyclotomic subgroup
    // https://eprint.iacr.org/2009/565.pdf
    // https://eprint.iacr.org/2010/354.pdf
    _cyclotomicSquare({ c0, c1 }) {
      const { Fp6: Fp62 } = this;
      const { Fp2: Fp22 } = Fp62;
      const { c0: c0c0, c1: c0c1, c2: c0c2 } = c0;
      const { c0: c1c0, c1: c1c1, c2: c1c2 } = c1;
      const { first: t3, second: t4 } = Fp22.Fp4Square(c0c0, c1c1);
      const { first: t5, second: t6 } = Fp22.Fp4Square(c1c0, c0c2);
      const { first: t7, second: t8 } = Fp22.Fp4Square(c0c1, c1c2);
      const t9 = Fp22.mulByNonresidue(t8);
      return Object.freeze({
        c0: Object.freeze({
          c0: Fp22.add(Fp22.mul(Fp22.sub(t3, c0c0), _2n5), t3),
          // 2 * (T3 - c0c0)  + T3
          c1: Fp22.add(Fp22.mul(Fp22.sub(t5, c0c1), _2n5), t5),
          // 2 * (T5 - c0c1)  + T5
          c2: Fp22.add(Fp22.mul(Fp22.sub(t7, c0c2), _2n5), t7)
        }),
        // 2 * (T7 - c0c2)  + T7
        c1: Object.freeze({
          c0: Fp22.add(Fp22.mul(Fp22.add(t9, c1c0), _2n5), t9),
          // 2 * (T9 + c1c0) + T9
          c1: Fp22.add(Fp22.mul(Fp22.add(t4, c1c1), _2n5), t4),
          // 2 * (T4 + c1c1) + T4
          c2: Fp22.add(Fp22.mul(Fp22.add(t6, c1c2), _2n5), t6)
        })
      });
    }
    // https://eprint.iacr.org/2009/565.pdf
    _cyclotomicExp(num, n) {
      aInRange("cyclotomic exponent", n, _0n7, _1n7 << BigInt(this.X_LEN));
      if (n === _0n7)
        return this.ONE;
      let z = num;
      for (let i = bitLen(n) - 2; i >= 0; i--) {
        z = this._cyclotomicSquare(z);
        if (bitGet(n, i))
          z = this.mul(z, num);
      }
      return z;
    }
  };
  var _FROBENIUS_COEFFICIENTS_12 = /* @__PURE__ */ new WeakMap();
  function tower12(opts) {
    validateObject(opts, {
      ORDER: "bigint",
      X_LEN: "number",
      FP2_NONRESIDUE: "object",
      Fp2mulByB: "function",
      Fp12finalExponentiate: "function"
    }, { NONRESIDUE: "bigint" });
    asafenumber(opts.X_LEN, "X_LEN");
    if (opts.X_LEN < 1)
      throw new Error("invalid X_LEN");
    const nonresidue = opts.FP2_NONRESIDUE;
    if (!Array.isArray(nonresidue) || nonresidue.length !== 2)
      throw new Error("invalid FP2_NONRESIDUE");
    if (typeof nonresidue[0] !== "bigint" || typeof nonresidue[1] !== "bigint")
      throw new Error("invalid FP2_NONRESIDUE");
    const Fp4 = Field(opts.ORDER);
    const Fp22 = new _Field2(Fp4, opts);
    const Fp62 = new _Field6(Fp22);
    const Fp122 = new _Field12(Fp62, opts);
    return { Fp: Fp4, Fp2: Fp22, Fp6: Fp62, Fp12: Fp122 };
  }

  // node_modules/@noble/curves/bls12-381.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n8 = BigInt(0);
  var _1n8 = BigInt(1);
  var _2n6 = BigInt(2);
  var _3n6 = BigInt(3);
  var _4n5 = BigInt(4);
  var BLS_X = BigInt("0xd201000000010000");
  var BLS_X_LEN = bitLen(BLS_X);
  var bls12_381_CURVE_G1 = {
    p: BigInt("0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"),
    n: BigInt("0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"),
    h: BigInt("0x396c8c005555e1568c00aaab0000aaab"),
    a: _0n8,
    b: _4n5,
    Gx: BigInt("0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
    Gy: BigInt("0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1")
  };
  var bls12_381_Fr = Field(bls12_381_CURVE_G1.n, {
    modFromBytes: true
  });
  function bls12FromCompressed(g0, g12, { g2: g22, g3, g4, g5 }) {
    return { c0: { c0: g0, c1: g4, c2: g3 }, c1: { c0: g22, c1: g12, c2: g5 } };
  }
  function bls12Compress({ c0, c1 }) {
    return { g2: c1.c0, g3: c0.c2, g4: c0.c1, g5: c1.c2 };
  }
  function bls12CyclotomicSquareCompressed({ g2: g22, g3, g4, g5 }) {
    const { first: h23c0, second: h23c1 } = Fp2.Fp4Square(g4, g5);
    const { first: h45c0, second: h45c1 } = Fp2.Fp4Square(g22, g3);
    const d2 = Fp2.add(g22, g22);
    const d3 = Fp2.add(g3, g3);
    const d4 = Fp2.add(g4, g4);
    const d5 = Fp2.add(g5, g5);
    return {
      g2: Fp2.add(Fp2.mul(Fp2.mulByNonresidue(h23c1), _3n6), d2),
      g3: Fp2.sub(Fp2.mul(h23c0, _3n6), d3),
      g4: Fp2.sub(Fp2.mul(h45c0, _3n6), d4),
      g5: Fp2.add(Fp2.mul(h45c1, _3n6), d5)
    };
  }
  function bls12RecoverG1Ratio({ g2: g22, g3, g4, g5 }) {
    if (Fp2.is0(g22))
      return { num: Fp2.mul(Fp2.mul(g4, g5), _2n6), den: g3 };
    return {
      num: Fp2.add(Fp2.sub(Fp2.mul(Fp2.sqr(g4), _3n6), Fp2.mul(g3, _2n6)), Fp2.mulByNonresidue(Fp2.sqr(g5))),
      den: Fp2.mul(g22, _4n5)
    };
  }
  function bls12RecoverG0(g12, { g2: g22, g3, g4, g5 }) {
    const g3g4 = Fp2.mul(g3, g4);
    const t = Fp2.add(Fp2.sub(Fp2.mul(Fp2.sub(Fp2.sqr(g12), g3g4), _2n6), g3g4), Fp2.mul(g22, g5));
    return Fp2.add(Fp2.mulByNonresidue(t), Fp2.ONE);
  }
  function bls12CyclotomicExpCompressed(num, squarings) {
    const gs = [];
    let g = bls12Compress(num);
    for (const count of squarings) {
      for (let i = 0; i < count; i++)
        g = bls12CyclotomicSquareCompressed(g);
      gs.push(g);
    }
    const isOne = gs.map(({ g2: g22, g3 }) => Fp2.is0(g22) && Fp2.is0(g3));
    const ratios = gs.map(bls12RecoverG1Ratio);
    const invDens = Fp2.invertBatch(ratios.map(({ den }) => den));
    const elems = gs.map((compressed, i) => {
      if (isOne[i])
        return Fp12.ONE;
      const g12 = Fp2.mul(ratios[i].num, invDens[i]);
      return bls12FromCompressed(bls12RecoverG0(g12, compressed), g12, compressed);
    });
    return { result: Fp12.mul(Fp12.mul(elems[0], elems[1]), elems[2]), last: elems[2] };
  }
  function bls12CyclotomicExpX(num) {
    const { result, last } = bls12CyclotomicExpCompressed(num, [16, 32, 9]);
    let r = result;
    let s = last;
    for (let i = 0; i < 3; i++)
      s = Fp12._cyclotomicSquare(s);
    r = Fp12.mul(r, s);
    for (let i = 0; i < 2; i++)
      s = Fp12._cyclotomicSquare(s);
    r = Fp12.mul(r, s);
    s = Fp12._cyclotomicSquare(s);
    return Fp12.mul(r, s);
  }
  var { Fp, Fp2, Fp6, Fp12 } = tower12({
    ORDER: bls12_381_CURVE_G1.p,
    X_LEN: BLS_X_LEN,
    // Finite extension field over irreducible polynominal.
    // Fp(u) / (u² - β) where β = -1
    // Public `Fp2.NONRESIDUE` below is the sextic-tower value `(1, 1) = u + 1`;
    // the quadratic non-residue for the base Fp2 construction is still `-1`.
    FP2_NONRESIDUE: [_1n8, _1n8],
    Fp2mulByB: ({ c0, c1 }) => {
      const t0 = Fp.mul(c0, _4n5);
      const t1 = Fp.mul(c1, _4n5);
      return { c0: Fp.sub(t0, t1), c1: Fp.add(t0, t1) };
    },
    Fp12finalExponentiate: (num) => {
      const powMinusX = (num2) => Fp12.conjugate(bls12CyclotomicExpX(num2));
      const t0 = Fp12.div(Fp12.frobeniusMap(num, 6), num);
      const t1 = Fp12.mul(Fp12.frobeniusMap(t0, 2), t0);
      const t2 = powMinusX(t1);
      const t3 = Fp12.mul(Fp12.conjugate(Fp12._cyclotomicSquare(t1)), t2);
      const t4 = powMinusX(t3);
      const t5 = powMinusX(t4);
      const t6 = Fp12.mul(powMinusX(t5), Fp12._cyclotomicSquare(t2));
      const t7 = powMinusX(t6);
      const t2_t5_pow_q2 = Fp12.frobeniusMap(Fp12.mul(t2, t5), 2);
      const t4_t1_pow_q3 = Fp12.frobeniusMap(Fp12.mul(t4, t1), 3);
      const t6_t1c_pow_q1 = Fp12.frobeniusMap(Fp12.mul(t6, Fp12.conjugate(t1)), 1);
      const t7_t3c_t1 = Fp12.mul(Fp12.mul(t7, Fp12.conjugate(t3)), t1);
      return Fp12.mul(Fp12.mul(Fp12.mul(t2_t5_pow_q2, t4_t1_pow_q3), t6_t1c_pow_q1), t7_t3c_t1);
    }
  });
  var frob;
  var getFrob = () => frob || (frob = psiFrobenius(Fp, Fp2, Fp2.div(Fp2.ONE, Fp2.NONRESIDUE)));
  var G2psi = (c, P) => {
    const fn = getFrob().G2psi;
    G2psi = fn;
    return fn(c, P);
  };
  var G2psi2 = (c, P) => {
    const fn = getFrob().G2psi2;
    G2psi2 = fn;
    return fn(c, P);
  };
  var hasher_opts = Object.freeze({
    DST: "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_",
    encodeDST: "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_",
    p: Fp.ORDER,
    m: 2,
    k: 128,
    expand: "xmd",
    hash: sha256
  });
  var bls12_381_CURVE_G2 = {
    p: Fp2.ORDER,
    n: bls12_381_CURVE_G1.n,
    h: BigInt("0x5d543a95414e7f1091d50792876a202cd91de4547085abaa68a205b2e5a7ddfa628f1cb4d9e82ef21537e293a6691ae1616ec6e786f0c70cf1c38e31c7238e5"),
    a: Fp2.ZERO,
    b: Fp2.fromBigTuple([_4n5, _4n5]),
    Gx: Fp2.fromBigTuple([
      BigInt("0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
      BigInt("0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")
    ]),
    Gy: Fp2.fromBigTuple([
      BigInt("0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
      BigInt("0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")
    ])
  };
  var sortBit = (parts, p) => {
    for (const part of parts) {
      if (part !== _0n8)
        return Boolean(part * _2n6 / p);
    }
    return false;
  };
  var fp2 = {
    // Generic tower bytes use `c0 || c1`, but the BLS12-381 G2 point/signature wire encoding uses
    // `c1 || c0`, so keep this local wrapper instead of changing generic field serialization.
    encode({ c0, c1 }) {
      const { BYTES: L } = Fp;
      return concatBytes2(numberToBytesBE(c1, L), numberToBytesBE(c0, L));
    },
    decode(bytes) {
      const { BYTES: L } = Fp;
      return Fp2.create({
        c0: decodeFp(bytes.subarray(L)),
        c1: decodeFp(bytes.subarray(0, L))
      });
    }
  };
  var BaseFp = Fp;
  function decodeFp(bytes) {
    return Fp.fromBytes(bytes);
  }
  var coder = (name, Fp4, b, encode, decode, yparts) => {
    const F = Fp4;
    const enc = encode;
    const dec = decode;
    const W = F.BYTES;
    return (allowUncompressed) => ({
      encode(point, compressed = true) {
        if (!compressed && !allowUncompressed)
          throw new Error("invalid signature: expected compressed encoding");
        const infinity = point.is0();
        const { x, y } = point.toAffine();
        const bytes = compressed ? enc(x) : concatBytes2(enc(x), enc(y));
        let sort;
        if (compressed && !infinity)
          sort = sortBit(yparts(y), BaseFp.ORDER);
        return setMask(bytes, { compressed, infinity, sort });
      },
      decode(bytes) {
        const raw = allowUncompressed ? abytes2(bytes, void 0, "point") : abytes2(bytes, W, "signature");
        const { compressed, infinity, sort, value } = parseMask(raw);
        if (!allowUncompressed && !compressed)
          throw new Error("invalid signature: expected compressed encoding");
        const len = compressed ? W : 2 * W;
        if (value.length !== len)
          throw new Error(`invalid ${name} point: expected ${len} bytes`);
        if (infinity) {
          for (const b2 of value) {
            if (b2)
              throw new Error(`invalid ${name} point: non-canonical zero`);
          }
          return { x: F.ZERO, y: F.ZERO };
        }
        const x = dec(compressed ? value : value.subarray(0, W));
        let y;
        if (compressed) {
          y = F.sqrt(F.add(F.pow(x, _3n6), b));
          if (!y)
            throw new Error(`invalid ${name} point: compressed`);
          if (sortBit(yparts(y), BaseFp.ORDER) !== sort)
            y = F.neg(y);
        } else {
          y = dec(value.subarray(W));
        }
        if (!compressed && F.is0(x) && F.is0(y))
          throw new Error(`invalid ${name} point: uncompressed`);
        return { x, y };
      }
    });
  };
  function validateMask({ compressed, infinity, sort }) {
    if (!compressed && !infinity && sort || // 0010_0000 = 0x20
    !compressed && infinity && sort || // 0110_0000 = 0x60
    compressed && infinity && sort)
      throw new Error("invalid encoding flag");
  }
  function parseMask(bytes) {
    bytes = copyBytes(bytes);
    const mask = bytes[0] & 224;
    const compressed = !!(mask >> 7 & 1);
    const infinity = !!(mask >> 6 & 1);
    const sort = !!(mask >> 5 & 1);
    validateMask({ compressed, infinity, sort });
    bytes[0] &= 31;
    return { compressed, infinity, sort, value: bytes };
  }
  function setMask(bytes, mask) {
    if (bytes[0] & 224)
      throw new Error("setMask: non-empty mask");
    validateMask({ compressed: !!mask.compressed, infinity: !!mask.infinity, sort: !!mask.sort });
    if (mask.compressed)
      bytes[0] |= 128;
    if (mask.infinity)
      bytes[0] |= 64;
    if (mask.sort)
      bytes[0] |= 32;
    return bytes;
  }
  var g1coder = coder("G1", Fp, Fp.create(bls12_381_CURVE_G1.b), (x) => numberToBytesBE(x, Fp.BYTES), decodeFp, (y) => [y]);
  var g1 = { point: g1coder(true), sig: g1coder(false) };
  var signatureG1ToBytes = (point) => {
    point.assertValidity();
    return g1.sig.encode(point);
  };
  function signatureG1FromBytes(bytes) {
    const Point = bls12_381.G1.Point;
    const point = Point.fromAffine(g1.sig.decode(bytes));
    point.assertValidity();
    return point;
  }
  var g2coder = coder("G2", Fp2, bls12_381_CURVE_G2.b, fp2.encode, fp2.decode, (y) => [
    y.c1,
    y.c0
  ]);
  var g2 = { point: g2coder(true), sig: g2coder(false) };
  var signatureG2ToBytes = (point) => {
    point.assertValidity();
    return g2.sig.encode(point);
  };
  function signatureG2FromBytes(bytes) {
    const Point = bls12_381.G2.Point;
    const point = Point.fromAffine(g2.sig.decode(bytes));
    point.assertValidity();
    return point;
  }
  var signatureCoders = {
    ShortSignature: {
      fromBytes(bytes) {
        return signatureG1FromBytes(abytes2(bytes));
      },
      fromHex(hex2) {
        return signatureG1FromBytes(hexToBytes2(hex2));
      },
      toBytes(point) {
        return signatureG1ToBytes(point);
      },
      // Historical alias: BLS signatures have a single compressed byte format here.
      toRawBytes(point) {
        return signatureG1ToBytes(point);
      },
      toHex(point) {
        return bytesToHex2(signatureG1ToBytes(point));
      }
    },
    LongSignature: {
      fromBytes(bytes) {
        return signatureG2FromBytes(abytes2(bytes));
      },
      fromHex(hex2) {
        return signatureG2FromBytes(hexToBytes2(hex2));
      },
      toBytes(point) {
        return signatureG2ToBytes(point);
      },
      // Historical alias: BLS signatures have a single compressed byte format here.
      toRawBytes(point) {
        return signatureG2ToBytes(point);
      },
      toHex(point) {
        return bytesToHex2(signatureG2ToBytes(point));
      }
    }
  };
  var fields = {
    Fp,
    Fp2,
    Fp6,
    Fp12,
    Fr: bls12_381_Fr
  };
  var G1_Point = weierstrass(bls12_381_CURVE_G1, {
    // Public point APIs still accept infinity, even though the Zcash proof
    // encoding rules cited above only define nonzero point encodings.
    allowInfinityPoint: true,
    Fn: bls12_381_Fr,
    fromBytes: g1.point.decode,
    toBytes: (_c, point, isComp) => g1.point.encode(point, isComp),
    // Checks is the point resides in prime-order subgroup.
    // point.isTorsionFree() should return true for valid points
    // It returns false for shitty points.
    // https://eprint.iacr.org/2021/1130.pdf
    isTorsionFree: (c, point) => {
      const beta = BigInt("0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");
      const phi = new c(Fp.mul(point.X, beta), point.Y, point.Z);
      const xP = point.multiplyUnsafe(BLS_X).negate();
      const u2P = xP.multiplyUnsafe(BLS_X);
      return u2P.equals(phi);
    },
    // Clear cofactor of G1
    // https://eprint.iacr.org/2019/403
    clearCofactor: (_c, point) => {
      return point.multiplyUnsafe(BLS_X).add(point);
    }
  });
  var G2_Point = weierstrass(bls12_381_CURVE_G2, {
    Fp: Fp2,
    // Public point APIs still accept infinity, even though the Zcash proof
    // encoding rules cited above only define nonzero point encodings.
    allowInfinityPoint: true,
    Fn: bls12_381_Fr,
    fromBytes: g2.point.decode,
    toBytes: (_c, point, isComp) => g2.point.encode(point, isComp),
    // https://eprint.iacr.org/2021/1130.pdf
    // Older version: https://eprint.iacr.org/2019/814.pdf
    isTorsionFree: (c, P) => {
      return P.multiplyUnsafe(BLS_X).negate().equals(G2psi(c, P));
    },
    // clear_cofactor_bls12381_g2 from RFC 9380.
    // https://eprint.iacr.org/2017/419.pdf
    // prettier-ignore
    clearCofactor: (c, P) => {
      const x = BLS_X;
      let t1 = P.multiplyUnsafe(x).negate();
      let t2 = G2psi(c, P);
      let t3 = P.double();
      t3 = G2psi2(c, t3);
      t3 = t3.subtract(t2);
      t2 = t1.add(t2);
      t2 = t2.multiplyUnsafe(x).negate();
      t3 = t3.add(t2);
      t3 = t3.subtract(t1);
      const Q = t3.subtract(P);
      return Q;
    }
  });
  var bls12_hasher_opts = {
    mapToG1,
    mapToG2,
    hasherOpts: hasher_opts,
    // RFC 9380 Appendix J defines distinct G1/G2 RO and NU suite IDs, and
    // draft-irtf-cfrg-bls-signature-06 §4.2.1 gives separate G1/G2 `_NUL_` DSTs.
    // Keep G1 encode-to-curve on the G1 domain instead of inheriting G2's `encodeDST`.
    hasherOptsG1: {
      ...hasher_opts,
      m: 1,
      DST: "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_",
      encodeDST: "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
    },
    hasherOptsG2: { ...hasher_opts }
  };
  var bls12_params = {
    ateLoopSize: BLS_X,
    // The BLS parameter x for BLS12-381
    xNegative: true,
    twistType: "multiplicative",
    randomBytes: randomBytes2
  };
  var bls12_381 = bls(fields, G1_Point, G2_Point, bls12_params, bls12_hasher_opts, signatureCoders);
  var isogenyMapG2 = isogenyMap(Fp2, [
    // xNum
    [
      [
        "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
        "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"
      ],
      [
        "0x0",
        "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"
      ],
      [
        "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
        "0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"
      ],
      [
        "0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
        "0x0"
      ]
    ],
    // xDen
    [
      [
        "0x0",
        "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"
      ],
      [
        "0xc",
        "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"
      ],
      ["0x1", "0x0"]
      // LAST 1
    ],
    // yNum
    [
      [
        "0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
        "0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"
      ],
      [
        "0x0",
        "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"
      ],
      [
        "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
        "0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"
      ],
      [
        "0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
        "0x0"
      ]
    ],
    // yDen
    [
      [
        "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
        "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"
      ],
      [
        "0x0",
        "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"
      ],
      [
        "0x12",
        "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"
      ],
      ["0x1", "0x0"]
      // LAST 1
    ]
  ].map((i) => i.map((pair) => Fp2.fromBigTuple(pair.map(BigInt)))));
  var isogenyMapG1 = isogenyMap(Fp, [
    // xNum
    [
      "0x11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
      "0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
      "0xd54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
      "0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
      "0xe99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9",
      "0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
      "0xd6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
      "0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
      "0x80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
      "0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
      "0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
      "0x6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229"
    ],
    // xDen
    [
      "0x8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
      "0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
      "0xb2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
      "0x3425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
      "0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
      "0xe7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
      "0x772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
      "0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
      "0xa10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641",
      "0x95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a",
      "0x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"
      // LAST 1
    ],
    // yNum
    [
      "0x90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
      "0x134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
      "0xcc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6",
      "0x1f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
      "0x8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
      "0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
      "0x4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
      "0x987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29",
      "0x9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
      "0xe1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
      "0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132",
      "0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
      "0xb182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
      "0x245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
      "0x5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
      "0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604"
    ],
    // yDen
    [
      "0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
      "0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
      "0x58df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
      "0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416",
      "0xbe0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
      "0x8d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
      "0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
      "0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9",
      "0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
      "0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
      "0x4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
      "0xaccbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
      "0xad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
      "0x2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7",
      "0xe0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f",
      "0x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"
      // LAST 1
    ]
  ].map((i) => i.map((j) => BigInt(j))));
  var G1_SWU;
  var G2_SWU;
  var getG1_SWU = () => G1_SWU || (G1_SWU = mapToCurveSimpleSWU(Fp, {
    A: Fp.create(BigInt("0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d")),
    B: Fp.create(BigInt("0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0")),
    Z: Fp.create(BigInt(11))
  }));
  var getG2_SWU = () => G2_SWU || (G2_SWU = mapToCurveSimpleSWU(Fp2, {
    // SWU map for the RFC 9380 §8.8.2 pre-isogeny G2 curve E':
    // y² = x³ + 240i * x + 1012 + 1012i
    A: Fp2.create({ c0: Fp.create(_0n8), c1: Fp.create(BigInt(240)) }),
    // A' = 240 * I
    B: Fp2.create({ c0: Fp.create(BigInt(1012)), c1: Fp.create(BigInt(1012)) }),
    // B' = 1012 * (1 + I)
    Z: Fp2.create({ c0: Fp.create(BigInt(-2)), c1: Fp.create(BigInt(-1)) })
    // Z: -(2 + I)
  }));
  function mapToG1(scalars) {
    const { x, y } = getG1_SWU()(Fp.create(scalars[0]));
    return isogenyMapG1(x, y);
  }
  function mapToG2(scalars) {
    const { x, y } = getG2_SWU()(Fp2.fromBigTuple(scalars));
    return isogenyMapG2(x, y);
  }

  // src/beacon.js
  var BeaconError = class extends Error {
  };
  var CHAINED = "pedersen-bls-chained";
  var CHAINS = [
    {
      hash: "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
      name: "quicknet",
      scheme: "bls-unchained-g1-rfc9380",
      period: 3,
      genesis: 1692803367,
      publicKey: "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
    },
    {
      hash: "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce",
      name: "default",
      scheme: CHAINED,
      period: 30,
      genesis: 1595431050,
      publicKey: "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31"
    }
  ];
  var SOURCE_LABELS = {
    drand: "drand \u516C\u5171\u968F\u673A\u4FE1\u6807\uFF08League of Entropy\uFF09",
    lottery: "\u5F69\u7968\u5F00\u5956\u7ED3\u679C",
    local: "\u672C\u5730\u968F\u673A\u6570\uFF08\u4EC5\u7528\u4E8E\u6F14\u793A\u548C\u6D4B\u8BD5\uFF0C\u4E0D\u5177\u516C\u4FE1\u529B\uFF09"
  };
  var DST_G2 = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";
  var DST_G1 = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
  function chain(ref) {
    const found = CHAINS.find((c) => c.hash === ref || c.name === ref);
    if (!found) throw new BeaconError(`\u672A\u77E5\u7684drand\u94FE\u201C${ref}\u201D\uFF08\u652F\u6301\uFF1A${CHAINS.map((c) => c.name).join("\u3001")}\uFF09`);
    return found;
  }
  function hexBytes(value, what, size) {
    if (typeof value !== "string" || !/^(?:[0-9a-f]{2})+$/.test(value)) throw new BeaconError(`${what}\u5E94\u4E3A\u5C0F\u5199\u5341\u516D\u8FDB\u5236\u6587\u5B57`);
    const raw = unhex(value);
    if (size != null && raw.length !== size) throw new BeaconError(`${what}\u5E94\u4E3A${size}\u5B57\u8282\uFF0C\u5B9E\u9645${raw.length}\u5B57\u8282`);
    return raw;
  }
  function blsValid(c, round, signature, previous) {
    try {
      if (c.scheme === CHAINED) {
        const msg2 = sha2562(previous, be(round, 8));
        return bls12_381.longSignatures.verify(signature, bls12_381.longSignatures.hash(msg2, DST_G2), unhex(c.publicKey));
      }
      const msg = sha2562(be(round, 8));
      return bls12_381.shortSignatures.verify(signature, bls12_381.shortSignatures.hash(msg, DST_G1), unhex(c.publicKey));
    } catch (e) {
      return false;
    }
  }
  function verifyDrand(ref, data) {
    const c = chain(ref);
    const round = data.round;
    if (typeof round !== "number" || !Number.isSafeInteger(round) || round < 1) throw new BeaconError("drand\u8F6E\u6B21\u5E94\u4E3A\u6B63\u6574\u6570");
    const signature = hexBytes(data.signature, "drand\u7B7E\u540D", c.scheme === CHAINED ? 96 : 48);
    let previous = new Uint8Array(0);
    if (c.scheme === CHAINED) previous = hexBytes(data.previous_signature, "drand\u4E0A\u4E00\u8F6E\u7B7E\u540D", 96);
    else if (data.previous_signature) throw new BeaconError(`drand\u94FE${c.name}\u7684\u8F6E\u6B21\u4E0D\u542B\u4E0A\u4E00\u8F6E\u7B7E\u540D`);
    const randomness = hex(sha2562(signature));
    if (data.randomness != null && data.randomness !== randomness) {
      throw new BeaconError("drand\u968F\u673A\u6570\u4E0E\u7B7E\u540D\u4E0D\u7B26\uFF08\u968F\u673A\u6570\u5E94\u4E3A\u7B7E\u540D\u7684SHA-256\uFF09");
    }
    if (!blsValid(c, round, signature, previous)) {
      throw new BeaconError(`drand\u7B2C${round}\u8F6E\u7684\u7B7E\u540D\u672A\u901A\u8FC7\u94FE${c.name}\u516C\u94A5\u7684\u9A8C\u8BC1\uFF08\u7B7E\u540D\u3001\u8F6E\u6B21\u6216\u94FE\u88AB\u6539\u52A8\uFF09`);
    }
    const out = { source: "drand", chain: c.hash, round, signature: hex(signature), randomness };
    if (c.scheme === CHAINED) out.previous_signature = hex(previous);
    return out;
  }
  function isoUtc(unix) {
    return new Date(unix * 1e3).toISOString().replace(/\.000Z$/, "");
  }
  function parseNumbers(value) {
    const parts = typeof value === "string" ? value.trim().split(/[\s,，、]+/) : Array.from(value);
    const numbers = parts.map((p) => String(p).trim()).filter((p) => p);
    if (!numbers.length || !numbers.every((n) => /^\d{1,3}$/.test(n))) throw new BeaconError("\u5F00\u5956\u53F7\u7801\u5E94\u4E3A\u4EE5\u7A7A\u683C\u6216\u9017\u53F7\u5206\u9694\u7684\u6570\u5B57");
    return numbers;
  }
  function lotteryValue(id, drawNo, numbers) {
    const nums = parseNumbers(numbers);
    const text = `${id}
${drawNo}
${nums.join(",")}`;
    return { source: "lottery", id, draw_no: drawNo, numbers: nums, randomness: hex(sha2562(utf8(text))) };
  }
  function checkValue(promise, value, frozenAt) {
    const source = promise.source;
    if (value.source !== source) throw new BeaconError(`\u968F\u673A\u6570\u6765\u6E90\u5E94\u4E3A${SOURCE_LABELS[source] || source}`);
    if (source === "drand") {
      const c = chain(promise.chain);
      if (value.chain !== c.hash) throw new BeaconError(`drand\u94FE\u4E0D\u7B26\uFF1A\u51BB\u7ED3\u65F6\u7EA6\u5B9A\u7684\u662F${c.name}\uFF08${c.hash.slice(0, 12)}\u2026\uFF09`);
      if (value.round !== promise.round) {
        throw new BeaconError(`drand\u8F6E\u6B21\u4E0D\u7B26\uFF1A\u51BB\u7ED3\u65F6\u7EA6\u5B9A\u7B2C${promise.round}\u8F6E\uFF0C\u63D0\u4F9B\u7684\u662F\u7B2C${value.round === void 0 ? "None" : value.round}\u8F6E`);
      }
      if (isoUtc(c.genesis + (promise.round - 1) * c.period) <= frozenAt) {
        throw new BeaconError(`drand\u7B2C${promise.round}\u8F6E\u5728\u51BB\u7ED3\uFF08${frozenAt}\uFF09\u65F6\u5DF2\u7ECF\u516C\u5E03\uFF0C\u4E0D\u80FD\u4F5C\u4E3A\u672C\u6B21\u62BD\u53D6\u7684\u968F\u673A\u6570`);
      }
      const checked = verifyDrand(c.hash, value);
      const extra = Object.keys(value).some((k) => !(k in checked));
      const same2 = Object.keys(checked).every((k) => k in value && canonicalJson(value[k]) === canonicalJson(checked[k]));
      if (!same2 || extra) throw new BeaconError("drand\u8F6E\u6B21\u6570\u636E\u4E0E\u9A8C\u8BC1\u7ED3\u679C\u4E0D\u4E00\u81F4");
      return unhex(checked.randomness);
    }
    if (source === "lottery") {
      if (value.id !== promise.id || value.draw_no !== promise.draw_no) {
        throw new BeaconError(`\u5F69\u7968\u671F\u53F7\u4E0D\u7B26\uFF1A\u51BB\u7ED3\u65F6\u7EA6\u5B9A${promise.name || promise.id}\u7B2C${promise.draw_no}\u671F`);
      }
      if (String(promise.draw_time || "") <= frozenAt) {
        throw new BeaconError("\u7EA6\u5B9A\u7684\u5F69\u7968\u5F00\u5956\u65F6\u95F4\u4E0D\u665A\u4E8E\u51BB\u7ED3\u65F6\u95F4\uFF0C\u4E0D\u80FD\u4F5C\u4E3A\u672C\u6B21\u62BD\u53D6\u7684\u968F\u673A\u6570");
      }
      const expect = lotteryValue(promise.id, promise.draw_no, value.numbers || []);
      if (canonicalJson(expect) !== canonicalJson(value)) throw new BeaconError("\u5F69\u7968\u968F\u673A\u6570\u4E0E\u5F00\u5956\u53F7\u7801\u4E0D\u7B26");
      return unhex(expect.randomness);
    }
    if (source === "local") return hexBytes(value.randomness, "\u672C\u5730\u968F\u673A\u6570", 32);
    throw new BeaconError(`\u672A\u77E5\u7684\u968F\u673A\u6570\u6765\u6E90\u201C${source}\u201D`);
  }

  // src/rng.js
  var TWO64 = 1n << 64n;
  function streamKey(seed, snapshotHashHex) {
    return sha2562(utf8("suicha-draw/1\0key\0"), seed, unhex(snapshotHashHex));
  }
  function deriveKey(seed, beaconRandomness2, snapshotHashHex) {
    const h = unhex(snapshotHashHex);
    if (seed.length !== 32 || beaconRandomness2.length !== 32 || h.length !== 32) {
      throw new Error("\u968F\u673A\u79CD\u5B50\u3001\u516C\u5171\u968F\u673A\u6570\u548C\u5FEB\u7167\u54C8\u5E0C\u90FD\u5E94\u4E3A32\u5B57\u8282");
    }
    return sha2562(utf8("suicha-draw/2\0key\0"), seed, beaconRandomness2, h);
  }
  function drawKey(seed, beaconRandomness2, snapshotHashHex) {
    return beaconRandomness2 == null ? streamKey(seed, snapshotHashHex) : deriveKey(seed, beaconRandomness2, snapshotHashHex);
  }
  var Stream = class {
    constructor(key, label) {
      const raw = utf8(label);
      this.prefix = concat(utf8("suicha-draw/1\0stream\0"), key, be(raw.length, 4), raw);
      this.counter = 0;
      this.words = [];
    }
    next() {
      if (!this.words.length) {
        const block = sha2562(this.prefix, be(this.counter, 8));
        this.counter += 1;
        for (let i = 0; i < 4; i++) {
          let v = 0n;
          for (let j = 0; j < 8; j++) v = v << 8n | BigInt(block[8 * i + j]);
          this.words.push(v);
        }
      }
      return this.words.shift();
    }
    randbelow(n) {
      if (n <= 1) {
        if (n === 1) return 0;
        throw new Error("randbelow: n must be positive");
      }
      const big = BigInt(n);
      const limit = TWO64 - TWO64 % big;
      for (; ; ) {
        const v = this.next();
        if (v < limit) return Number(v % big);
      }
    }
  };
  function partialShuffle(items, k, stream) {
    const work = items.slice();
    const n = work.length;
    for (let i = 0; i < k; i++) {
      const j = i + stream.randbelow(n - i);
      [work[i], work[j]] = [work[j], work[i]];
    }
    return work.slice(0, k);
  }

  // src/select.js
  var D = "suicha-draw/2\0";
  function salt(secret, uscc) {
    return sha2562(utf8(D + "salt\0"), secret, utf8(uscc));
  }
  function pseudonym(saltBytes, uscc) {
    return sha2562(utf8(D + "pseudonym\0"), saltBytes, utf8(uscc));
  }
  function ticket(key, pseudonymBytes) {
    return sha2562(utf8(D + "ticket\0"), key, pseudonymBytes);
  }
  function orderTag(key, uscc) {
    return sha2562(utf8(D + "order\0"), key, utf8(uscc));
  }
  function select(key, members, k) {
    if (k < 0 || k > members.length) throw new Error(`cannot take ${k} of ${members.length}`);
    if (k === 0) return [];
    const base = sha256.create().update(concat(utf8(D + "ticket\0"), key));
    const keyed = members.map((p) => [base.clone().update(p).digest(), p]);
    keyed.sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]));
    return keyed.slice(0, k).map((x) => x[1]);
  }
  function visitOrder(key, usccs) {
    const keyed = usccs.map((u) => [orderTag(key, u), u]);
    keyed.sort((a, b) => compareBytes(a[0], b[0]) || compareText(a[1], b[1]));
    return keyed.map((x) => x[1]);
  }
  var RATIO = /^(?:(0|[1-9][0-9]*)(?:\.([0-9]*[1-9]))?|([1-9][0-9]*)\/([1-9][0-9]*))$/;
  function parseRatio(text) {
    const m = typeof text === "string" ? RATIO.exec(text) : null;
    if (!m) throw new Error(`\u6BD4\u4F8B\u201C${text}\u201D\u4E0D\u662F\u89C4\u8303\u5199\u6CD5`);
    let num;
    let den;
    if (m[3]) {
      num = BigInt(m[3]);
      den = BigInt(m[4]);
    } else {
      const frac = m[2] || "";
      num = BigInt(m[1] + frac);
      den = 10n ** BigInt(frac.length);
    }
    if (!(num > 0n && num <= den)) throw new Error(`\u6BD4\u4F8B\u201C${text}\u201D\u5E94\u5927\u4E8E0\u4E14\u4E0D\u8D85\u8FC71`);
    return [num, den];
  }
  function ceilRatio(text, n) {
    const [num, den] = parseRatio(text);
    const x = num * BigInt(n);
    return Number((x + den - 1n) / den);
  }
  function strata(snapshot) {
    const ratio = snapshot.task.ratio;
    const values = snapshot.enterprises.values;
    const n = values[0].length;
    if (Object.hasOwn(ratio, "*")) {
      if (Object.keys(ratio).length !== 1) throw new Error("\u62BD\u67E5\u6BD4\u4F8B\u4E0D\u80FD\u540C\u65F6\u8BBE\u5B9A\u7EDF\u4E00\u6BD4\u4F8B\u548C\u5206\u7C7B\u6BD4\u4F8B");
      return [["*", [...Array(n).keys()]]];
    }
    const by = /* @__PURE__ */ new Map();
    values[2].forEach((cls, i) => {
      if (!by.has(cls)) by.set(cls, []);
      by.get(cls).push(i);
    });
    for (const [cls, members] of by) {
      if (!Object.hasOwn(ratio, cls)) {
        if (cls === "") throw new Error(`\u68C0\u67E5\u5BF9\u8C61${values[0][members[0]]}\u7F3A\u5C11\u4FE1\u7528\u98CE\u9669\u5206\u7C7B`);
        throw new Error(`\u4FE1\u7528\u98CE\u9669\u5206\u7C7B\u4E3A${cls}\u7684\u68C0\u67E5\u5BF9\u8C61\u6709${members.length}\u6237\uFF0C\u4F46\u672A\u8BBE\u5B9A\u8BE5\u7C7B\u62BD\u67E5\u6BD4\u4F8B`);
      }
    }
    for (const cls of Object.keys(ratio)) if (!by.has(cls)) by.set(cls, []);
    return [...by.entries()].sort((a, b) => compareText(a[0], b[0]));
  }
  function pseudonyms(snapshot) {
    const secret = unhex(snapshot.privacy.pseudonym_secret);
    if (secret.length !== 32) throw new Error("\u5316\u540D\u5BC6\u94A5\u5E94\u4E3A32\u5B57\u8282");
    return snapshot.enterprises.values[0].map((u) => pseudonym(salt(secret, u), u));
  }
  function drawTargets(snapshot, key) {
    const uscc = snapshot.enterprises.values[0];
    const names = pseudonyms(snapshot);
    const position = new Map(names.map((p, i) => [hex(p), i]));
    const info = {};
    const drawn = [];
    for (const [cls, members] of strata(snapshot)) {
      const ratio = snapshot.task.ratio[cls];
      const k = ceilRatio(ratio, members.length);
      for (const p of select(key, members.map((i) => names[i]), k)) drawn.push(position.get(hex(p)));
      info[cls] = { eligible: members.length, ratio, drawn: k };
    }
    const byUscc = new Map(drawn.map((i) => [uscc[i], i]));
    const order = visitOrder(key, [...byUscc.keys()]).map((u) => byUscc.get(u));
    return [info, order, names];
  }

  // src/public.js
  function publicPool(snapshot, snapshotHashHex, commitmentHex) {
    const names = pseudonyms(snapshot);
    const out = strata(snapshot).map(([cls, members]) => ({
      stratum: cls,
      ratio: snapshot.task.ratio[cls],
      size: members.length,
      pseudonyms: members.map((i) => hex(names[i])).sort(compareText)
    }));
    return {
      format: "suicha-public-pool/1",
      algorithm: "suicha-draw/2",
      task_no: snapshot.task.task_no,
      snapshot_hash: snapshotHashHex,
      commitment: commitmentHex,
      strata: out
    };
  }
  var PUBLIC_DRAW_FORMATS = ["suicha-public-draw/1", "suicha-public-draw/2"];
  var PUBLIC_DRAW_FORMAT = PUBLIC_DRAW_FORMATS[1];
  function utcZ(text) {
    return !text || text.endsWith("Z") ? text : `${text}Z`;
  }
  function recordTime(text) {
    return typeof text === "string" && text.endsWith("Z") ? text.slice(0, -1) : text;
  }
  function freezeTimes(freeze, change) {
    const out = { ...freeze };
    if ("frozen_at" in out) out.frozen_at = change(out.frozen_at);
    const b = out.beacon;
    if (b && typeof b === "object" && !Array.isArray(b) && b.draw_time) out.beacon = { ...b, draw_time: change(b.draw_time) };
    return out;
  }
  function publicFreeze(freeze, fmt = PUBLIC_DRAW_FORMAT) {
    return fmt === PUBLIC_DRAW_FORMATS[0] ? { ...freeze } : freezeTimes(freeze, utcZ);
  }
  function recordFreeze(freeze) {
    return freezeTimes(freeze, recordTime);
  }
  function publicDraw(record, poolBytes, fmt = PUBLIC_DRAW_FORMAT) {
    const snapshot = record.snapshot;
    const result = record.result;
    const names = pseudonyms(snapshot);
    const values = snapshot.enterprises.values;
    const byUscc = new Map(values[0].map((u, i) => [u, i]));
    const officers = new Map(snapshot.inspectors.map((o) => [o.cert_no, o.name]));
    const drawnPositions = new Set(result.visits.map((v) => byUscc.get(v.uscc)));
    const outStrata = strata(snapshot).map(([cls, members]) => ({
      stratum: cls,
      size: members.length,
      drawn: result.strata[cls].drawn,
      selected: members.filter((i) => drawnPositions.has(i)).map((i) => hex(names[i])).sort(compareText)
    }));
    const drawn = result.visits.map((v) => ({
      uscc: v.uscc,
      name: values[1][byUscc.get(v.uscc)],
      inspectors: v.inspectors.map((c) => ({ cert_no: c, name: officers.has(c) ? officers.get(c) : "" })),
      leader: v.leader,
      experts: v.experts.slice(),
      items: v.items.slice()
    })).sort((a, b) => compareText(a.uscc, b.uscc));
    return {
      format: fmt,
      algorithm: record.algorithm,
      task_no: snapshot.task.task_no,
      seed: record.seed,
      commitment: record.commitment,
      snapshot_hash: record.pool_hash,
      freeze: publicFreeze(record.freeze, fmt),
      beacon: record.beacon,
      public_pool_sha256: hex(sha2562(poolBytes)),
      strata: outStrata,
      visit_order: result.visits.map((v) => v.uscc),
      drawn
    };
  }
  function expectedPublic(record, fmt = PUBLIC_DRAW_FORMAT) {
    const pool = utf8(canonicalJson(publicPool(record.snapshot, record.pool_hash, record.commitment)));
    const draw = utf8(canonicalJson(publicDraw(record, pool, fmt)));
    return [pool, draw];
  }
  function receiptCode(saltHex) {
    return saltHex.toLowerCase().match(/.{1,8}/g).join(" ");
  }
  function parseReceiptCode(text) {
    const raw = String(text).replace(/\s+/g, "").toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(raw)) throw new Error("\u56DE\u6267\u7801\u5E94\u4E3A64\u4F4D\u5341\u516D\u8FDB\u5236\u6570\u5B57\uFF08\u53EF\u6309\u6BCF8\u4F4D\u5206\u7EC4\uFF09");
    return raw;
  }

  // src/check.js
  var Mismatch = class extends Error {
  };
  function need(cond, message) {
    if (!cond) throw new Mismatch(message);
  }
  function hex64(value, what) {
    need(isHex64(value), `${what}\u5E94\u4E3A64\u4F4D\u5C0F\u5199\u5341\u516D\u8FDB\u5236`);
    return unhex(value);
  }
  function parse(bytes, what) {
    let doc;
    try {
      doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (e) {
      throw new Mismatch(`${what}\u65E0\u6CD5\u89E3\u6790`);
    }
    need(doc && typeof doc === "object" && !Array.isArray(doc), `${what}\u4E0D\u662F\u4E00\u4E2AJSON\u5BF9\u8C61`);
    return doc;
  }
  function ratioK(ratio, size) {
    try {
      return ceilRatio(ratio, size);
    } catch (e) {
      throw new Mismatch(e.message);
    }
  }
  function poolStrata(pool) {
    need(pool.format === "suicha-public-pool/1", `\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6\u683C\u5F0F\u201C${pool.format}\u201D\u65E0\u6CD5\u8BC6\u522B`);
    const seen = /* @__PURE__ */ new Set();
    const out = /* @__PURE__ */ new Map();
    for (const s of pool.strata) {
      const label = s.stratum;
      const names = s.pseudonyms;
      need(!out.has(label), `\u516C\u5F00\u5BF9\u8C61\u6C60\u4E2D\u5206\u5C42\u201C${label}\u201D\u91CD\u590D`);
      for (const p of names) hex64(p, `\u5206\u5C42\u201C${label}\u201D\u7684\u5316\u540D`);
      for (let i = 1; i < names.length; i++) {
        need(compareText(names[i - 1], names[i]) <= 0, `\u516C\u5F00\u5BF9\u8C61\u6C60\u5206\u5C42\u201C${label}\u201D\u7684\u5316\u540D\u672A\u6309\u5347\u5E8F\u6392\u5217`);
      }
      need(
        Number.isInteger(s.size) && names.length === s.size,
        `\u516C\u5F00\u5BF9\u8C61\u6C60\u5206\u5C42\u201C${label}\u201D\u516C\u5E03${s.size}\u6237\uFF0C\u5B9E\u6709\u5316\u540D${names.length}\u4E2A`
      );
      const before = seen.size;
      names.forEach((p) => seen.add(p));
      need(seen.size === before + names.length, `\u516C\u5F00\u5BF9\u8C61\u6C60\u4E2D\u6709\u91CD\u590D\u7684\u5316\u540D\uFF08\u5206\u5C42\u201C${label}\u201D\uFF09`);
      out.set(label, s);
    }
    return out;
  }
  function beaconRandomness(draw) {
    const freeze = draw.freeze;
    const beacon = draw.beacon;
    const isObj2 = (v) => v && typeof v === "object" && !Array.isArray(v);
    need(isObj2(freeze) && isObj2(beacon), "\u7F3A\u5C11\u51BB\u7ED3\u4FE1\u606F\u6216\u516C\u5171\u968F\u673A\u6570");
    try {
      const plain2 = recordFreeze(freeze);
      return checkValue(plain2.beacon, beacon, plain2.frozen_at);
    } catch (e) {
      if (e instanceof BeaconError) throw new Mismatch(`\u516C\u5171\u968F\u673A\u6570\u672A\u901A\u8FC7\u6838\u9A8C\uFF1A${e.message}`);
      throw e;
    }
  }
  function keyOf(draw) {
    const seed = hex64(draw.seed, "\u968F\u673A\u79CD\u5B50");
    hex64(draw.snapshot_hash, "\u5FEB\u7167\u54C8\u5E0C");
    return deriveKey(seed, beaconRandomness(draw), draw.snapshot_hash);
  }
  function checkAll(poolBytes, drawBytes, published) {
    const done = [];
    const pool = parse(poolBytes, "\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6");
    const draw = parse(drawBytes, "\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6");
    need(PUBLIC_DRAW_FORMATS.includes(draw.format), `\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6\u683C\u5F0F\u201C${draw.format}\u201D\u65E0\u6CD5\u8BC6\u522B`);
    need(draw.algorithm === "suicha-draw/2" && pool.algorithm === "suicha-draw/2", "\u7B97\u6CD5\u7248\u672C\u5E94\u4E3Asuicha-draw/2");
    const strata2 = poolStrata(pool);
    done.push("\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6\u683C\u5F0F\u6B63\u786E\u3001\u5316\u540D\u65E0\u91CD\u590D");
    need(
      hex(sha2562(poolBytes)) === draw.public_pool_sha256,
      "\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6\u7684SHA-256\u4E0E\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6\u8BB0\u8F7D\u7684\u4E0D\u7B26\uFF08\u5BF9\u8C61\u6C60\u6587\u4EF6\u88AB\u6539\u52A8\uFF09"
    );
    for (const [field, label] of [["snapshot_hash", "\u5FEB\u7167\u54C8\u5E0C"], ["commitment", "\u79CD\u5B50\u627F\u8BFA\u503C"], ["task_no", "\u4EFB\u52A1\u7F16\u53F7"]]) {
      need(pool[field] === draw[field], `\u4E24\u4E2A\u6587\u4EF6\u7684${label}\u4E0D\u4E00\u81F4`);
      if (published && field in published) {
        need(published[field] === draw[field], `${label}\u4E0E\u51BB\u7ED3\u65F6\u516C\u5E03\u7684\u4E0D\u7B26\uFF08\u516C\u5E03\uFF1A${published[field]}\uFF09`);
      }
    }
    done.push("\u4E24\u4E2A\u6587\u4EF6\u76F8\u4E92\u5BF9\u5E94\uFF0C\u5FEB\u7167\u54C8\u5E0C\u4E0E\u79CD\u5B50\u627F\u8BFA\u503C\u4E0E\u51BB\u7ED3\u65F6\u516C\u5E03\u7684\u4E00\u81F4");
    const seed = hex64(draw.seed, "\u968F\u673A\u79CD\u5B50");
    need(hex(sha2562(seed)) === draw.commitment, "SHA-256(\u968F\u673A\u79CD\u5B50)\u4E0E\u79CD\u5B50\u627F\u8BFA\u503C\u4E0D\u7B26");
    done.push("SHA-256(\u968F\u673A\u79CD\u5B50) = \u79CD\u5B50\u627F\u8BFA\u503C");
    if (published && "freeze" in published) {
      need(canonicalJson(published.freeze) === canonicalJson(draw.freeze), "\u51BB\u7ED3\u65F6\u7EA6\u5B9A\u7684\u968F\u673A\u6E90\u4E0E\u516C\u5E03\u7684\u4E0D\u7B26");
    }
    const key = keyOf(draw);
    const source = draw.beacon.source;
    done.push("\u516C\u5171\u968F\u673A\u6570\u4E0E\u51BB\u7ED3\u65F6\u7EA6\u5B9A\u7684\u968F\u673A\u6E90\u76F8\u7B26" + (source === "drand" ? "\uFF08drand\u7B7E\u540D\u5DF2\u7528\u94FE\u516C\u94A5\u9A8C\u8BC1\uFF09" : source === "local" ? "\uFF08\u672C\u5730\u968F\u673A\u6570\uFF0C\u4EC5\u7528\u4E8E\u6F14\u793A\u548C\u6D4B\u8BD5\uFF0C\u4E0D\u5177\u516C\u4FE1\u529B\uFF09" : "\uFF08\u8BF7\u4E0E\u5F69\u7968\u5B98\u65B9\u516C\u544A\u7684\u5F00\u5956\u53F7\u7801\u6838\u5BF9\uFF09"));
    done.push("\u7531\u968F\u673A\u79CD\u5B50\u3001\u516C\u5171\u968F\u673A\u6570\u548C\u5FEB\u7167\u54C8\u5E0C\u7B97\u51FA\u62BD\u53D6\u5BC6\u94A5");
    const drawn = new Map(draw.strata.map((s) => [s.stratum, s]));
    need(canonical([...drawn.keys()]) === canonical([...strata2.keys()]), "\u62BD\u53D6\u7ED3\u679C\u7684\u5206\u5C42\u4E0E\u516C\u5F00\u5BF9\u8C61\u6C60\u7684\u5206\u5C42\u4E0D\u4E00\u81F4");
    let total = 0;
    for (const [label, s] of strata2) {
      const k = ratioK(s.ratio, s.size);
      const d = drawn.get(label);
      need(
        d.size === s.size && d.drawn === k && Number.isInteger(d.drawn),
        `\u5206\u5C42\u201C${label}\u201D\uFF1A${s.size}\u6237\u6309\u6BD4\u4F8B${s.ratio}\u5E94\u62BD${k}\u6237\uFF0C\u8BB0\u8F7D\u4E3A${d.drawn}\u6237`
      );
      const expect = select(key, s.pseudonyms.map(unhex), k).map(hex).sort(compareText);
      if (canonical(d.selected) !== canonical(expect)) {
        const a = new Set(d.selected);
        const b = new Set(expect);
        const wrong = [...a].filter((x) => !b.has(x)).concat([...b].filter((x) => !a.has(x))).sort(compareText);
        throw new Mismatch(wrong.length ? `\u5206\u5C42\u201C${label}\u201D\u62BD\u4E2D\u7684\u5316\u540D\u4E0E\u91CD\u65B0\u8BA1\u7B97\u7684\u4E0D\u7B26\uFF08\u5982${wrong[0].slice(0, 16)}\u2026\uFF09` : `\u5206\u5C42\u201C${label}\u201D\u62BD\u4E2D\u7684\u5316\u540D\u6392\u5217\u4E0D\u7B26`);
      }
      total += k;
    }
    done.push("\u6BCF\u4E00\u5206\u5C42\u6309\u6BD4\u4F8B\u62BD\u53D6\u7684\u6237\u6570\u548C\u62BD\u4E2D\u7684\u5316\u540D\u4E0E\u91CD\u65B0\u8BA1\u7B97\u7684\u4E00\u81F4");
    const usccs = draw.drawn.map((d) => d.uscc);
    need(usccs.length === total, `\u516C\u5F00\u540D\u5355\u6709${usccs.length}\u6237\uFF0C\u6309\u5404\u5206\u5C42\u5E94\u62BD${total}\u6237`);
    const sorted = [...new Set(usccs)].sort(compareText);
    need(canonical(usccs) === canonical(sorted), "\u516C\u5F00\u540D\u5355\u672A\u6309\u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801\u5347\u5E8F\u6392\u5217\u6216\u6709\u91CD\u590D");
    need(canonical(draw.visit_order) === canonical(visitOrder(key, usccs)), "\u68C0\u67E5\u987A\u5E8F\u4E0E\u7531\u62BD\u53D6\u5BC6\u94A5\u91CD\u65B0\u8BA1\u7B97\u7684\u987A\u5E8F\u4E0D\u7B26");
    done.push("\u516C\u5F00\u540D\u5355\u6237\u6570\u76F8\u7B26\uFF0C\u68C0\u67E5\u987A\u5E8F\u53EA\u7531\u62BD\u53D6\u5BC6\u94A5\u548C\u4FE1\u7528\u4EE3\u7801\u51B3\u5B9A");
    return done;
  }
  function canonical(list) {
    return JSON.stringify(list);
  }
  function wrap(fn) {
    try {
      const details = fn();
      return { ok: true, message: "\u4E00\u81F4", details };
    } catch (e) {
      if (e instanceof Mismatch) return { ok: false, message: `\u4E0D\u4E00\u81F4\uFF1A${e.message}`, details: [] };
      return { ok: false, message: "\u4E0D\u4E00\u81F4\uFF1A\u6587\u4EF6\u7ED3\u6784\u65E0\u6548", details: [] };
    }
  }
  function checkPublic(poolBytes, drawBytes, published = null) {
    return wrap(() => checkAll(poolBytes, drawBytes, published));
  }
  function checkReceipt(receipt, poolBytes, drawBytes) {
    return wrap(() => {
      need(receipt.format === "suicha-draw-receipt/1", "\u56DE\u6267\u683C\u5F0F\u65E0\u6CD5\u8BC6\u522B");
      const pool = parse(poolBytes, "\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6");
      const draw = parse(drawBytes, "\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6");
      need(receipt.snapshot_hash === pool.snapshot_hash, "\u56DE\u6267\u6240\u5C5E\u7684\u5FEB\u7167\u54C8\u5E0C\u4E0E\u516C\u5F00\u5BF9\u8C61\u6C60\u7684\u4E0D\u7B26\uFF08\u56DE\u6267\u4E0D\u5C5E\u4E8E\u672C\u6B21\u62BD\u53D6\uFF09");
      const mine = hex(pseudonym(hex64(receipt.salt, "\u56DE\u6267\u7801"), receipt.uscc));
      const hits = [];
      for (const s of pool.strata) for (const p of s.pseudonyms) if (p === mine) hits.push(s);
      need(hits.length === 1, `\u672C\u5355\u4F4D\u7684\u5316\u540D\u5728\u516C\u5F00\u5BF9\u8C61\u6C60\u4E2D\u51FA\u73B0${hits.length}\u6B21\uFF08\u5E94\u6070\u597D1\u6B21\uFF09`);
      const stratum = hits[0];
      const k = ratioK(stratum.ratio, stratum.size);
      const chosen = new Set(select(keyOf(draw), stratum.pseudonyms.map(unhex), k).map(hex));
      const should = chosen.has(mine);
      const listed = draw.drawn.some((d) => d.uscc === receipt.uscc);
      need(should === listed, "\u6309\u62BD\u53D6\u89C4\u5219\u672C\u5355\u4F4D" + (should ? "\u5E94\u88AB\u62BD\u4E2D\uFF0C\u4F46\u4E0D\u5728\u516C\u5F00\u540D\u5355\u4E2D" : "\u4E0D\u5E94\u88AB\u62BD\u4E2D\uFF0C\u5374\u5728\u516C\u5F00\u540D\u5355\u4E2D"));
      return ["\u672C\u5355\u4F4D\u5728\u5BF9\u8C61\u6C60\u4E2D\u6070\u597D\u51FA\u73B0\u4E00\u6B21\uFF1B\u6309\u62BD\u53D6\u89C4\u5219" + (should ? "\u5E94\u88AB\u62BD\u4E2D\uFF0C\u516C\u5F00\u540D\u5355\u4E2D\u6709\u672C\u5355\u4F4D" : "\u4E0D\u5E94\u88AB\u62BD\u4E2D\uFF0C\u516C\u5F00\u540D\u5355\u4E2D\u6CA1\u6709\u672C\u5355\u4F4D")];
    });
  }

  // src/snapshot.js
  var POOL_COLUMNS = ["uscc", "name", "credit_class", "industry", "street", "needs_expert"];
  var SNAPSHOT_FORMATS = ["suicha-snapshot/1", "suicha-snapshot/2"];
  function checkPool(pool) {
    if (canonicalJson(pool.columns) !== canonicalJson(POOL_COLUMNS)) {
      throw new Error("\u68C0\u67E5\u5BF9\u8C61\u5E93\u7684\u5217\u4E0D\u7B26");
    }
    const values = pool.values;
    if (!Array.isArray(values) || values.length !== POOL_COLUMNS.length) {
      throw new Error("\u68C0\u67E5\u5BF9\u8C61\u5E93\u7684\u5217\u6570\u4E0D\u7B26");
    }
    const n = values[0].length;
    values.forEach((col, c) => {
      if (!Array.isArray(col) || col.length !== n) throw new Error(`\u68C0\u67E5\u5BF9\u8C61\u5E93\u201C${POOL_COLUMNS[c]}\u201D\u5217\u957F\u5EA6\u4E0D\u7B26`);
      for (const v of col) {
        const ok = c === 5 ? typeof v === "boolean" : typeof v === "string";
        if (!ok) throw new Error(`\u68C0\u67E5\u5BF9\u8C61\u5E93\u201C${POOL_COLUMNS[c]}\u201D\u5217\u7C7B\u578B\u4E0D\u7B26`);
        if (c !== 5 && v.includes("\0")) throw new Error(`\u68C0\u67E5\u5BF9\u8C61\u5E93\u201C${POOL_COLUMNS[c]}\u201D\u5217\u542B\u6709\u975E\u6CD5\u5B57\u7B26\uFF08NUL\uFF09`);
      }
    });
    for (let i = 1; i < n; i++) {
      if (compareText(values[0][i - 1], values[0][i]) >= 0) {
        throw new Error("\u68C0\u67E5\u5BF9\u8C61\u5E93\u672A\u6309\u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801\u4E25\u683C\u5347\u5E8F\u6392\u5217\uFF08\u6216\u6709\u91CD\u590D\uFF09");
      }
    }
    return n;
  }
  function encodePool(pool) {
    const n = checkPool(pool);
    const parts = [];
    pool.values.forEach((col, c) => {
      const data = c === 5 ? concat(utf8("b"), Uint8Array.from(col.map((v) => v ? 1 : 0))) : concat(utf8("s"), utf8(col.join("\0")));
      parts.push(be(n, 8), be(data.length, 8), data);
    });
    return concat(...parts);
  }
  function snapshotHash(snapshot) {
    if (!SNAPSHOT_FORMATS.includes(snapshot.format)) throw new Error(`\u4E0D\u652F\u6301\u7684\u5FEB\u7167\u683C\u5F0F\uFF1A${snapshot.format}`);
    const head = {};
    for (const k of Object.keys(snapshot)) if (k !== "enterprises") head[k] = snapshot[k];
    const ent = {};
    for (const k of Object.keys(snapshot.enterprises)) if (k !== "values") ent[k] = snapshot.enterprises[k];
    head.enterprises = ent;
    const raw = utf8(canonicalJson(head));
    return hex(sha2562(utf8(snapshot.format + "\n"), be(raw.length, 8), raw, encodePool(snapshot.enterprises)));
  }

  // src/teams.js
  var BARRED = Infinity;
  function leastLoaded(cands, count, taken, load, stream) {
    const takenSet = new Set(taken);
    const loads = cands.map((i) => takenSet.has(i) ? BARRED : load[i]);
    const out = [];
    for (let s = 0; s < count; s++) {
      const low = Math.min(...loads);
      const ties = [];
      loads.forEach((l, j2) => {
        if (l === low) ties.push(j2);
      });
      const j = ties[stream.randbelow(ties.length)];
      const pick = cands[j];
      load[pick] += 1;
      loads[j] = BARRED;
      out.push(pick);
    }
    return out;
  }
  var DrawFailure = class extends Error {
  };
  function cmpText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function completable(cells, street, bureau, departments, slots) {
    const total = cells.reduce((a, c) => a + c[2], 0);
    if (!departments.length) {
      const haveS = cells.filter((c) => c[0] === "s").reduce((a, c) => a + c[2], 0);
      const haveB = cells.filter((c) => c[0] === "b").reduce((a, c) => a + c[2], 0);
      return haveS >= street && haveB >= bureau && street + bureau <= slots && total >= slots;
    }
    if (slots < departments.length) return false;
    const dept = departments.slice().sort(cmpText)[0];
    for (let k = 0; k < cells.length; k++) {
      const [p, d, n] = cells[k];
      if (d === dept && n) {
        const rest = cells.slice();
        rest[k] = [p, d, n - 1];
        if (completable(
          rest,
          Math.max(0, street - (p === "s" ? 1 : 0)),
          Math.max(0, bureau - (p === "b" ? 1 : 0)),
          departments.filter((x) => x !== dept),
          slots - 1
        )) return true;
      }
    }
    return false;
  }
  function cellsOf(officers, streetC, bureauC, anyone, exclude) {
    const inStreet = new Set(streetC);
    const inBureau = new Set(bureauC);
    const counts = /* @__PURE__ */ new Map();
    for (const i of anyone) {
      if (exclude.has(i)) continue;
      const pool = inStreet.has(i) ? "s" : inBureau.has(i) ? "b" : "o";
      const key = JSON.stringify([pool, officers[i].department]);
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    return [...counts.entries()].map(([k, n]) => [...JSON.parse(k), n]).sort((a, b) => cmpText(a[0], b[0]) || cmpText(a[1], b[1]) || a[2] - b[2]);
  }
  var TeamBuilder = class {
    constructor(snapshot) {
      const task = snapshot.task;
      const rules = snapshot.rules;
      this.rules = rules;
      this.teamSize = task.team_size;
      this.needStreet = rules.composition.street_pool;
      this.needBureau = rules.composition.bureau_pool;
      if (this.needStreet + this.needBureau > this.teamSize) {
        throw new DrawFailure("\u7EC4\u961F\u89C4\u5219\u8981\u6C42\u7684\u4EBA\u6570\u8D85\u8FC7\u6BCF\u6237\u68C0\u67E5\u4EBA\u6570\uFF08\u89C4\u5219\uFF1A\u7EC4\u961F\u89C4\u5219\uFF09");
      }
      this.departments = (task.departments || []).slice().sort(cmpText);
      this.officers = snapshot.inspectors;
      const end = task.window_end;
      this.base = [];
      this.officers.forEach((o, i) => {
        if (o.cert_no && !o.auxiliary && o.duty === "on_duty" && o.cert_expiry && o.cert_expiry >= end) {
          this.base.push(i);
        }
      });
      const index = /* @__PURE__ */ new Map();
      this.officers.forEach((o, i) => {
        if (o.cert_no) index.set(o.cert_no, i);
      });
      this.barred = /* @__PURE__ */ new Map();
      const bar = (u, i) => {
        if (!this.barred.has(u)) this.barred.set(u, /* @__PURE__ */ new Set());
        this.barred.get(u).add(i);
      };
      this.officers.forEach((o, i) => o.conflicts.forEach((u) => bar(u, i)));
      if (rules.recuse_previous) {
        for (const [u, certs] of Object.entries(snapshot.enterprises.previous_inspectors)) {
          for (const c of certs) if (index.has(c)) bar(u, index.get(c));
        }
      }
      this.load = this.officers.map(() => 0);
      this.experts = snapshot.experts;
      this.specialtyMap = snapshot.specialty_map || {};
      this.expertLoad = this.experts.map(() => 0);
    }
    candidates(industry, street) {
      let pool = this.base;
      const o = this.officers;
      if (this.rules.field_match) pool = pool.filter((i) => o[i].fields.includes(industry));
      if (this.rules.recuse_own_street && street) pool = pool.filter((i) => o[i].street !== street);
      const streetC = pool.filter((i) => street && o[i].street === street);
      const bureauC = pool.filter((i) => !o[i].street);
      return [streetC, bureauC, pool];
    }
    staff(uscc, industry, street, stream) {
      let [streetC, bureauC, anyone] = this.candidates(industry, street);
      const barred = this.barred.get(uscc);
      if (barred) {
        streetC = streetC.filter((i) => !barred.has(i));
        bureauC = bureauC.filter((i) => !barred.has(i));
        anyone = anyone.filter((i) => !barred.has(i));
      }
      if (streetC.length < this.needStreet || bureauC.length < this.needBureau || anyone.length < this.teamSize) {
        throw new DrawFailure(`\u65E0\u6CD5\u4E3A\u68C0\u67E5\u5BF9\u8C61${uscc}\u7EC4\u6210\u68C0\u67E5\u7EC4`);
      }
      if (this.departments.length && !completable(
        cellsOf(this.officers, streetC, bureauC, anyone, /* @__PURE__ */ new Set()),
        this.needStreet,
        this.needBureau,
        this.departments,
        this.teamSize
      )) {
        throw new DrawFailure(`\u65E0\u6CD5\u4E3A\u68C0\u67E5\u5BF9\u8C61${uscc}\u7EC4\u6210\u68C0\u67E5\u7EC4\uFF08\u89C4\u5219\uFF1A\u8054\u5408\u68C0\u67E5\uFF08\u5404\u90E8\u95E8\u81F3\u5C111\u4EBA\uFF09\uFF09`);
      }
      let team = [];
      let needStreet = this.needStreet;
      let needBureau = this.needBureau;
      if (this.departments.length) {
        team = this.departmentSlots(streetC, bureauC, anyone, stream);
        const inStreet = new Set(streetC);
        const inBureau = new Set(bureauC);
        needStreet = Math.max(0, needStreet - team.filter((i) => inStreet.has(i)).length);
        needBureau = Math.max(0, needBureau - team.filter((i) => inBureau.has(i)).length);
        streetC = streetC.filter((i) => !team.includes(i));
        bureauC = bureauC.filter((i) => !team.includes(i));
      }
      if (needStreet) team = team.concat(leastLoaded(streetC, needStreet, team, this.load, stream));
      if (needBureau) team = team.concat(leastLoaded(bureauC, needBureau, [], this.load, stream));
      if (team.length < this.teamSize) {
        team = team.concat(leastLoaded(anyone, this.teamSize - team.length, team, this.load, stream));
      }
      team.sort((a, b) => a - b);
      const leader = team[stream.randbelow(team.length)];
      return [team.map((i) => this.officers[i].cert_no), this.officers[leader].cert_no];
    }
    // One officer per required department, in department order, each the least
    // loaded of those after whom the team can still be completed.
    departmentSlots(streetC, bureauC, anyone, stream) {
      const o = this.officers;
      const team = [];
      let missing = this.departments.slice();
      for (const dept of this.departments) {
        const fits = [];
        for (const i of anyone) {
          if (team.includes(i) || o[i].department !== dept) continue;
          const taken = team.concat([i]);
          const cells = cellsOf(o, streetC, bureauC, anyone, new Set(taken));
          const streetLeft = Math.max(0, this.needStreet - taken.filter((j) => streetC.includes(j)).length);
          const bureauLeft = Math.max(0, this.needBureau - taken.filter((j) => bureauC.includes(j)).length);
          if (completable(cells, streetLeft, bureauLeft, missing.filter((d) => d !== dept), this.teamSize - taken.length)) {
            fits.push(i);
          }
        }
        team.push(...leastLoaded(fits, 1, [], this.load, stream));
        missing = missing.filter((d) => d !== dept);
      }
      return team;
    }
    covers(specialties, industry) {
      return specialties.includes(industry) || specialties.some((s) => Object.hasOwn(this.specialtyMap, s) && this.specialtyMap[s].includes(industry));
    }
    drawExperts(uscc, industry, count, stream) {
      let cands = [...this.experts.keys()];
      if (this.rules.expert_specialty_match) {
        cands = cands.filter((i) => this.covers(this.experts[i].specialties, industry));
      }
      cands = cands.filter((i) => !this.experts[i].conflicts.includes(uscc));
      if (cands.length < count) throw new DrawFailure(`\u65E0\u6CD5\u4E3A\u68C0\u67E5\u5BF9\u8C61${uscc}\u62BD\u53D6\u4E13\u5BB6\uFF08\u89C4\u5219\uFF1A\u4E13\u5BB6\u5E93\uFF09`);
      const chosen = leastLoaded(cands, count, [], this.expertLoad, stream);
      return chosen.sort((a, b) => a - b).map((i) => this.experts[i].id);
    }
  };
  var ItemPicker = class {
    constructor(snapshot) {
      this.items = snapshot.items.list;
      this.generalCount = snapshot.task.general_items;
    }
    pick(uscc, industry, stream) {
      const fits = this.items.filter((it) => !it.industries.length || it.industries.includes(industry));
      const keyItems = fits.filter((it) => it.category === "key").map((it) => it.no);
      const general = fits.filter((it) => it.category === "general").map((it) => it.no);
      if (!keyItems.length && !general.length) {
        throw new DrawFailure(`\u68C0\u67E5\u5BF9\u8C61${uscc}\uFF1A\u4E8B\u9879\u6E05\u5355\u4E2D\u6CA1\u6709\u9002\u7528\u7684\u68C0\u67E5\u4E8B\u9879\uFF08\u89C4\u5219\uFF1A\u968F\u673A\u62BD\u67E5\u4E8B\u9879\u6E05\u5355\uFF09`);
      }
      const k = this.generalCount;
      const n = general.length;
      if (k >= n) return keyItems.concat(general);
      const work = [...Array(n).keys()];
      for (let i = 0; i < k; i++) {
        const j = i + stream.randbelow(n - i);
        [work[i], work[j]] = [work[j], work[i]];
      }
      const chosen = work.slice(0, k).sort((a, b) => a - b);
      return keyItems.concat(chosen.map((i) => general[i]));
    }
  };

  // src/engine.js
  function runDraw(snapshot, seed, beaconRandomness2, poolHash) {
    if (snapshot.format !== "suicha-snapshot/2") throw new Error(`\u672C\u5B9E\u73B0\u53EA\u590D\u7B97suicha-snapshot/2\u5FEB\u7167\uFF0C\u6536\u5230${snapshot.format}`);
    const hash = poolHash || snapshotHash(snapshot);
    const key = drawKey(seed, beaconRandomness2, hash);
    const [strata2, order] = drawTargets(snapshot, key);
    const [uscc, , , industry, street, needsExpert] = snapshot.enterprises.values;
    const task = snapshot.task;
    const staff = new TeamBuilder(snapshot);
    const items = new ItemPicker(snapshot);
    const visits = order.map((i) => {
      const u = uscc[i];
      const stream = new Stream(key, "visit:" + u);
      const [inspectors, leader] = staff.staff(u, industry[i], street[i], stream);
      const picked = items.pick(u, industry[i], stream);
      let experts = [];
      if (task.experts_required || needsExpert[i]) {
        experts = staff.drawExperts(u, industry[i], task.experts_per_visit, stream);
      }
      const visit = { uscc: u, inspectors, leader, experts, items: picked };
      const hosts = snapshot.rules.host_departments;
      visit.host_department = Object.hasOwn(hosts, industry[i]) && hosts[industry[i]] || task.department;
      return visit;
    });
    return {
      pool_size: uscc.length,
      excluded: snapshot.excluded.map((e) => ({ uscc: e.uscc, reason: e.reason })),
      strata: strata2,
      visits
    };
  }
  var LABELS = {
    uscc: "\u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801",
    inspectors: "\u6267\u6CD5\u4EBA\u5458",
    leader: "\u7EC4\u957F",
    experts: "\u4E13\u5BB6",
    items: "\u68C0\u67E5\u4E8B\u9879",
    pool_size: "\u53EF\u62BD\u53D6\u5BF9\u8C61\u6570",
    excluded: "\u6392\u9664\u5BF9\u8C61",
    strata: "\u5206\u5C42\u62BD\u53D6\u6570",
    visits: "\u68C0\u67E5\u5BF9\u8C61",
    eligible: "\u53EF\u62BD\u53D6\u6570",
    drawn: "\u62BD\u53D6\u6570",
    ratio: "\u6BD4\u4F8B",
    reason: "\u6392\u9664\u539F\u56E0"
  };
  function show(v) {
    const t = canonicalJson(v);
    return t.length <= 80 ? t : t.slice(0, 77) + "\u2026";
  }
  function firstDifference(expected, actual, path = "") {
    const kind = (v) => Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
    if (kind(expected) !== kind(actual)) return `${path || "\u7ED3\u679C"}\u5E94\u4E3A${show(expected)}\uFF0C\u8BB0\u5F55\u4E3A${show(actual)}`;
    if (kind(expected) === "object") {
      const keys = [.../* @__PURE__ */ new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
      for (const k of keys) {
        const where = path ? `${path}\u7684${LABELS[k] || k}` : LABELS[k] || k;
        if (!(k in actual)) return `${where}\u7F3A\u5931`;
        if (!(k in expected)) return `${where}\u4E0D\u5E94\u5B58\u5728`;
        const d = firstDifference(expected[k], actual[k], where);
        if (d) return d;
      }
      return null;
    }
    if (kind(expected) === "array") {
      const n = Math.min(expected.length, actual.length);
      for (let i = 0; i < n; i++) {
        const a = expected[i];
        const where = a && typeof a === "object" && "uscc" in a ? path === "\u68C0\u67E5\u5BF9\u8C61" ? `\u7B2C${i + 1}\u4E2A\u68C0\u67E5\u5BF9\u8C61\uFF08${a.uscc}\uFF09` : `${path}\u7B2C${i + 1}\u9879\uFF08${a.uscc}\uFF09` : `${path}\u7B2C${i + 1}\u9879`;
        const d = firstDifference(a, actual[i], where);
        if (d) return d;
      }
      if (expected.length !== actual.length) return `${path}\u5E94\u6709${expected.length}\u9879\uFF0C\u8BB0\u5F55\u6709${actual.length}\u9879`;
      return null;
    }
    return expected === actual ? null : `${path}\u5E94\u4E3A${show(expected)}\uFF0C\u8BB0\u5F55\u4E3A${show(actual)}`;
  }
  function verifyRecord(record) {
    try {
      if (record.format !== "suicha-draw-record/2") return `\u8BB0\u5F55\u683C\u5F0F\u201C${record.format}\u201D\u4E0D\u662F\u672C\u5B9E\u73B0\u590D\u7B97\u7684suicha-draw-record/2`;
      if (record.algorithm !== "suicha-draw/2") return `\u7B97\u6CD5\u7248\u672C\u201C${record.algorithm}\u201D\u4E0E\u8BB0\u5F55\u683C\u5F0F${record.format}\uFF08suicha-draw/2\uFF09\u4E0D\u7B26`;
      if (!isHex64(record.seed)) return "\u968F\u673A\u79CD\u5B50\u5E94\u4E3A64\u4F4D\u5C0F\u5199\u5341\u516D\u8FDB\u5236";
      const seed = unhex(record.seed);
      if (hex(sha2562(seed)) !== record.commitment) return "\u968F\u673A\u79CD\u5B50\u4E0E\u79CD\u5B50\u627F\u8BFA\u503C\u4E0D\u7B26\uFF08\u79CD\u5B50\u6216\u627F\u8BFA\u503C\u88AB\u6539\u52A8\uFF09";
      let computed;
      try {
        computed = snapshotHash(record.snapshot);
      } catch (e) {
        return `\u62BD\u53D6\u5BF9\u8C61\u6C60\u65E0\u6CD5\u8BA1\u7B97\u54C8\u5E0C\uFF08\u5FEB\u7167\u5185\u5BB9\u88AB\u6539\u52A8\uFF1A${e.message}\uFF09`;
      }
      if (computed !== record.pool_hash) return "\u62BD\u53D6\u5BF9\u8C61\u6C60\u54C8\u5E0C\u4E0D\u7B26\uFF08\u5FEB\u7167\u5185\u5BB9\u88AB\u6539\u52A8\uFF09";
      let randomness;
      try {
        randomness = checkValue(record.freeze.beacon, record.beacon, record.freeze.frozen_at);
      } catch (e) {
        if (e instanceof BeaconError) return `\u516C\u5171\u968F\u673A\u6570\u672A\u901A\u8FC7\u6838\u9A8C\uFF1A${e.message}`;
        throw e;
      }
      let rerun;
      try {
        rerun = runDraw(record.snapshot, seed, randomness, computed);
      } catch (e) {
        if (e instanceof DrawFailure) return `\u91CD\u65B0\u6267\u884C\u62BD\u53D6\u5931\u8D25\uFF1A${e.message}`;
        throw e;
      }
      if (canonicalJson(rerun) === canonicalJson(record.result)) return null;
      return firstDifference(rerun, record.result) || "\u7ED3\u679C\u7684\u7F16\u7801\u4E0E\u91CD\u65B0\u6267\u884C\u7684\u7ED3\u679C\u4E0D\u540C";
    } catch (e) {
      return `\u8BB0\u5F55\u7ED3\u6784\u65E0\u6548\uFF08${e.message}\uFF09`;
    }
  }

  // node_modules/@noble/curves/abstract/edwards.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n9 = /* @__PURE__ */ BigInt(0);
  var _1n9 = /* @__PURE__ */ BigInt(1);
  var _2n7 = /* @__PURE__ */ BigInt(2);
  var _4n6 = /* @__PURE__ */ BigInt(4);
  var _8n2 = /* @__PURE__ */ BigInt(8);
  function isEdValidXY(Fp4, CURVE, x, y) {
    const x2 = Fp4.sqr(x);
    const y2 = Fp4.sqr(y);
    const left = Fp4.add(Fp4.mul(CURVE.a, x2), y2);
    const right = Fp4.add(Fp4.ONE, Fp4.mul(CURVE.d, Fp4.mul(x2, y2)));
    return Fp4.eql(left, right);
  }
  function edwards(params, extraOpts = {}) {
    validateObject(extraOpts, {}, {}, "extraOpts");
    const opts = extraOpts;
    const validated = createCurveFields("edwards", params, opts, opts.FpFnLE);
    const { Fp: Fp4, Fn } = validated;
    let CURVE = validated.CURVE;
    const { h: cofactor } = CURVE;
    if (FpLegendre(Fp4, CURVE.a) !== 1)
      throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
    if (FpLegendre(Fp4, CURVE.d) !== -1)
      throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
    validateObject(opts, {}, { uvRatio: "function", randomBytes: "function" });
    const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
    const MASK = _2n7 << BigInt(Fp4.BYTES * 8) - _1n9;
    function isOdd(n) {
      if (!Fp4.isOdd)
        throw new Error("Field does not have .isOdd()");
      return Fp4.isOdd(n);
    }
    const uvRatio2 = opts.uvRatio === void 0 ? (u, v) => {
      try {
        return { isValid: true, value: Fp4.sqrt(Fp4.div(u, v)) };
      } catch (e) {
        return { isValid: false, value: _0n9 };
      }
    } : opts.uvRatio;
    if (!isEdValidXY(Fp4, CURVE, CURVE.Gx, CURVE.Gy))
      throw new Error("bad curve params: generator point");
    const mulA = Fp4.eql(CURVE.a, Fp4.neg(Fp4.ONE)) ? (x) => Fp4.neg(x) : Fp4.eql(CURVE.a, Fp4.ONE) ? (x) => x : (x) => Fp4.mul(CURVE.a, x);
    function acoord(title, n, banZero = false) {
      const min = banZero ? _1n9 : _0n9;
      aInRange("coordinate " + title, n, min, MASK);
      return n;
    }
    function aedpoint(other) {
      if (!(other instanceof Point))
        throw new Error("EdwardsPoint expected");
    }
    const _Point = class _Point {
      constructor(X, Y, Z, T) {
        __publicField(this, "X");
        __publicField(this, "Y");
        __publicField(this, "Z");
        __publicField(this, "T");
        this.X = acoord("x", X);
        this.Y = acoord("y", Y);
        this.Z = acoord("z", Z, true);
        this.T = acoord("t", T);
        Object.freeze(this);
      }
      static CURVE() {
        return CURVE;
      }
      /**
       * Create one extended Edwards point from affine coordinates.
       * Does NOT validate that the point is on-curve or torsion-free.
       * Use `.assertValidity()` on adversarial inputs.
       */
      static fromAffine(p) {
        if (p instanceof _Point)
          throw new Error("extended point not allowed");
        const { x, y } = p || {};
        acoord("x", x);
        acoord("y", y);
        return new _Point(x, y, Fp4.ONE, Fp4.mul(x, y));
      }
      // Uses algo from RFC8032 5.1.3.
      static fromBytes(bytes, zip215 = false) {
        const len = Fp4.BYTES;
        const { a, d } = CURVE;
        bytes = copyBytes(abytes2(bytes, len, "point"));
        abool(zip215, "zip215");
        const normed = copyBytes(bytes);
        const lastByte = bytes[len - 1];
        normed[len - 1] = lastByte & ~128;
        const y = bytesToNumberLE(normed);
        const max = zip215 ? MASK : Fp4.ORDER;
        aInRange("point.y", y, _0n9, max);
        const y2 = Fp4.sqr(y);
        const u = Fp4.sub(y2, Fp4.ONE);
        const v = Fp4.sub(Fp4.mulN(d, y2), a);
        let { isValid, value: x } = uvRatio2(u, v);
        if (!isValid)
          throw new Error("bad point: invalid y coordinate");
        const isXOdd = isOdd(x);
        const isLastByteOdd = (lastByte & 128) !== 0;
        if (!zip215 && Fp4.is0(x) && isLastByteOdd)
          throw new Error("bad point: x=0 and x_0=1");
        if (isLastByteOdd !== isXOdd)
          x = Fp4.neg(x);
        return _Point.fromAffine({ x, y });
      }
      static fromHex(hex2, zip215 = false) {
        return _Point.fromBytes(hexToBytes2(hex2), zip215);
      }
      get x() {
        return this.toAffine().x;
      }
      get y() {
        return this.toAffine().y;
      }
      precompute(windowSize = 6, isLazy = true) {
        wnaf.setWindowSize(this, windowSize);
        if (!isLazy)
          this.multiply(_2n7);
        return this;
      }
      // Useful in fromAffine() - not for fromBytes(), which always created valid points.
      assertValidity() {
        const p = this;
        const { a, d } = CURVE;
        if (p.is0())
          throw new Error("bad point: ZERO");
        const { X, Y, Z, T } = p;
        const X2 = Fp4.sqr(X);
        const Y2 = Fp4.sqr(Y);
        const Z2 = Fp4.sqr(Z);
        const Z4 = Fp4.sqr(Z2);
        const aX2 = Fp4.mul(X2, a);
        const left = Fp4.mul(Fp4.add(aX2, Y2), Z2);
        const right = Fp4.add(Z4, Fp4.mul(d, Fp4.mul(X2, Y2)));
        if (!Fp4.eql(left, right))
          throw new Error("bad point: equation left != right (1)");
        const XY = Fp4.mul(X, Y);
        const ZT = Fp4.mul(Z, T);
        if (!Fp4.eql(XY, ZT))
          throw new Error("bad point: equation left != right (2)");
      }
      // Compare one point to another.
      equals(other) {
        aedpoint(other);
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const { X: X2, Y: Y2, Z: Z2 } = other;
        const X1Z2 = Fp4.mul(X1, Z2);
        const X2Z1 = Fp4.mul(X2, Z1);
        const Y1Z2 = Fp4.mul(Y1, Z2);
        const Y2Z1 = Fp4.mul(Y2, Z1);
        return Fp4.eql(X1Z2, X2Z1) && Fp4.eql(Y1Z2, Y2Z1);
      }
      is0() {
        return this.equals(_Point.ZERO);
      }
      negate() {
        return new _Point(Fp4.neg(this.X), this.Y, this.Z, Fp4.neg(this.T));
      }
      // Fast algo for doubling Extended Point.
      // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
      // Cost: 4M + 4S + 1*a + 6add + 1*2.
      double() {
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const A = Fp4.sqr(X1);
        const B = Fp4.sqr(Y1);
        const C = Fp4.mul(Fp4.sqr(Z1), _2n7);
        const D2 = mulA(A);
        const x1y1 = Fp4.addN(X1, Y1);
        const E = Fp4.sub(Fp4.subN(Fp4.sqr(x1y1), A), B);
        const G = Fp4.addN(D2, B);
        const F = Fp4.subN(G, C);
        const H = Fp4.subN(D2, B);
        const X3 = Fp4.mul(E, F);
        const Y3 = Fp4.mul(G, H);
        const T3 = Fp4.mul(E, H);
        const Z3 = Fp4.mul(F, G);
        return new _Point(X3, Y3, Z3, T3);
      }
      // Fast algo for adding 2 Extended Points.
      // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#addition-add-2008-hwcd
      // Cost: 9M + 1*a + 1*d + 7add.
      add(other) {
        aedpoint(other);
        const { d } = CURVE;
        const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
        const { X: X2, Y: Y2, Z: Z2, T: T2 } = other;
        const A = Fp4.mul(X1, X2);
        const B = Fp4.mul(Y1, Y2);
        const C = Fp4.mul(Fp4.mulN(T1, d), T2);
        const D2 = Fp4.mul(Z1, Z2);
        const E = Fp4.sub(Fp4.subN(Fp4.mulN(Fp4.addN(X1, Y1), Fp4.addN(X2, Y2)), A), B);
        const F = Fp4.subN(D2, C);
        const G = Fp4.addN(D2, C);
        const H = Fp4.sub(B, mulA(A));
        const X3 = Fp4.mul(E, F);
        const Y3 = Fp4.mul(G, H);
        const T3 = Fp4.mul(E, H);
        const Z3 = Fp4.mul(F, G);
        return new _Point(X3, Y3, Z3, T3);
      }
      subtract(other) {
        aedpoint(other);
        return this.add(other.negate());
      }
      // Constant-time multiplication.
      multiply(scalar) {
        if (!Fn.isValidNot0(scalar))
          throw new RangeError("invalid scalar: expected 1 <= sc < curve.n");
        const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
        return normalize([p, f])[0];
      }
      // Non-constant-time multiplication. Uses double-and-add algorithm.
      // It's faster, but should only be used when you don't care about
      // an exposed private key e.g. sig verification.
      // Keeps the same subgroup-scalar contract: 0 is allowed for public-scalar callers, but
      // n and larger values are rejected instead of being reduced mod n to the identity point.
      multiplyUnsafe(scalar) {
        if (!Fn.isValid(scalar))
          throw new RangeError("invalid scalar: expected 0 <= sc < curve.n");
        if (scalar === _0n9)
          return _Point.ZERO;
        if (this.is0() || scalar === _1n9)
          return this;
        return wnaf.mulUnsafe(this, scalar, normalize);
      }
      // Checks if point is of small order.
      // If you add something to small order point, you will have "dirty"
      // point with torsion component.
      // Clears cofactor and checks if the result is 0.
      isSmallOrder() {
        return this.clearCofactor().is0();
      }
      // Multiplies point by curve order and checks if the result is 0.
      // Returns `false` is the point is dirty.
      isTorsionFree() {
        return wnaf.mulUnsafe(this, CURVE.n).is0();
      }
      // Converts Extended point to default (x, y) coordinates.
      // Can accept precomputed Z^-1 - for example, from invertBatch.
      toAffine(invertedZ) {
        const p = this;
        let iz = invertedZ;
        if (iz != null && typeof iz !== "bigint")
          throw new TypeError('"invertedZ" expected bigint, got type=' + typeof iz);
        const { X, Y, Z } = p;
        const is0 = p.is0();
        if (iz == null)
          iz = is0 ? Fp4.create(_8n2) : Fp4.inv(Z);
        const x = Fp4.mul(X, iz);
        const y = Fp4.mul(Y, iz);
        const zz = Fp4.mul(Z, iz);
        if (is0)
          return { x: Fp4.ZERO, y: Fp4.ONE };
        if (!Fp4.eql(zz, Fp4.ONE))
          throw new Error("invZ was invalid");
        return { x, y };
      }
      clearCofactor() {
        if (cofactor === _1n9)
          return this;
        if (cofactor === _2n7)
          return this.double();
        if (cofactor === _4n6)
          return this.double().double();
        if (cofactor === _8n2)
          return this.double().double().double();
        return this.multiplyUnsafe(cofactor);
      }
      toBytes() {
        const { x, y } = this.toAffine();
        const bytes = Fp4.toBytes(y);
        bytes[bytes.length - 1] |= isOdd(x) ? 128 : 0;
        return bytes;
      }
      toHex() {
        return bytesToHex2(this.toBytes());
      }
      toString() {
        return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
      }
    };
    __publicField(_Point, "BASE", new _Point(CURVE.Gx, CURVE.Gy, Fp4.ONE, Fp4.mul(CURVE.Gx, CURVE.Gy)));
    __publicField(_Point, "ZERO", new _Point(Fp4.ZERO, Fp4.ONE, Fp4.ONE, Fp4.ZERO));
    __publicField(_Point, "Fp", Fp4);
    __publicField(_Point, "Fn", Fn);
    let Point = _Point;
    const normalize = (points) => normalizeZ(Point, points);
    const wnaf = new ScalarMultiplier(Point, randomBytes3);
    if (wnaf.bits >= 6)
      Point.BASE.precompute(6);
    Object.freeze(Point.prototype);
    Object.freeze(Point);
    return Point;
  }
  function eddsa(Point, cHash, eddsaOpts = {}) {
    validatePointCons(Point);
    if (typeof cHash !== "function")
      throw new Error('"hash" function param is required');
    const hash = cHash;
    const opts = eddsaOpts;
    validateObject(opts, {}, {
      adjustScalarBytes: "function",
      randomBytes: "function",
      domain: "function",
      prehash: "function",
      zip215: "boolean",
      mapToCurve: "function",
      toMontgomery: "function",
      toMontgomerySecret: "function"
    });
    const { prehash } = opts;
    const { BASE, Fp: Fp4, Fn } = Point;
    const outputLen = hash.outputLen;
    const expectedLen = 2 * Fp4.BYTES;
    if (outputLen !== void 0) {
      asafenumber(outputLen, "hash.outputLen");
      if (outputLen !== expectedLen)
        throw new Error(`hash.outputLen must be ${expectedLen}, got ${outputLen}`);
    }
    const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
    const toMontgomery2 = opts.toMontgomery;
    const toMontgomerySecret2 = opts.toMontgomerySecret;
    const adjustScalarBytes2 = opts.adjustScalarBytes === void 0 ? (bytes) => bytes : opts.adjustScalarBytes;
    const domain = opts.domain === void 0 ? (data, ctx, phflag) => {
      abool(phflag, "phflag");
      if (ctx.length || phflag)
        throw new Error("Contexts/pre-hash are not supported");
      return data;
    } : opts.domain;
    function modN_LE(hash2) {
      return Fn.create(bytesToNumberLE(hash2));
    }
    function getPrivateScalar(key) {
      const len = lengths.secretKey;
      abytes2(key, lengths.secretKey, "secretKey");
      const hashed = abytes2(hash(key), 2 * len, "hashedSecretKey");
      const head = adjustScalarBytes2(hashed.slice(0, len));
      const prefix = hashed.slice(len, 2 * len);
      const scalar = modN_LE(head);
      return { head, prefix, scalar };
    }
    function getExtendedPublicKey(secretKey) {
      const { head, prefix, scalar } = getPrivateScalar(secretKey);
      const point = BASE.multiply(scalar);
      const pointBytes = point.toBytes();
      return { head, prefix, scalar, point, pointBytes };
    }
    function getPublicKey(secretKey) {
      return getExtendedPublicKey(secretKey).pointBytes;
    }
    function hashDomainToScalar(context = Uint8Array.of(), ...msgs) {
      const msg = concatBytes2(...msgs);
      return modN_LE(hash(domain(msg, abytes2(context, void 0, "context"), !!prehash)));
    }
    function sign(msg, secretKey, options = {}) {
      validateObject(options, {}, {}, "options");
      msg = copyBytes(abytes2(msg, void 0, "message"));
      if (prehash)
        msg = prehash(msg);
      const { prefix, scalar, pointBytes } = getExtendedPublicKey(secretKey);
      const r = hashDomainToScalar(options.context, prefix, msg);
      const R = BASE.multiply(r).toBytes();
      const k = hashDomainToScalar(options.context, R, pointBytes, msg);
      const s = Fn.create(r + k * scalar);
      if (!Fn.isValid(s))
        throw new Error("sign failed: invalid s");
      const rs = concatBytes2(R, Fn.toBytes(s));
      return abytes2(rs, lengths.signature, "result");
    }
    const verifyOpts = {
      zip215: opts.zip215
    };
    function verify(sig, msg, publicKey, options = verifyOpts) {
      validateObject(options);
      const { context } = options;
      const zip215 = options.zip215 === void 0 ? !!verifyOpts.zip215 : options.zip215;
      const len = lengths.signature;
      sig = abytes2(sig, len, "signature");
      msg = abytes2(msg, void 0, "message");
      publicKey = abytes2(publicKey, lengths.publicKey, "publicKey");
      if (zip215 !== void 0)
        abool(zip215, "zip215");
      if (prehash)
        msg = prehash(msg);
      const mid = len / 2;
      const r = sig.subarray(0, mid);
      const s = bytesToNumberLE(sig.subarray(mid, len));
      let A, R, SB;
      try {
        A = Point.fromBytes(publicKey, zip215);
        R = Point.fromBytes(r, zip215);
        SB = BASE.multiplyUnsafe(s);
      } catch (error) {
        return false;
      }
      if (!zip215 && A.isSmallOrder())
        return false;
      const k = hashDomainToScalar(context, r, publicKey, msg);
      const RkA = R.add(A.multiplyUnsafe(k));
      return RkA.subtract(SB).clearCofactor().is0();
    }
    const _size = Fp4.BYTES;
    const lengths = {
      secretKey: _size,
      publicKey: _size,
      signature: 2 * _size,
      seed: _size
    };
    function randomSecretKey(seed) {
      seed = seed === void 0 ? randomBytes3(lengths.seed) : seed;
      return abytes2(seed, lengths.seed, "seed");
    }
    function isValidSecretKey(key) {
      return isBytes2(key) && key.length === lengths.secretKey;
    }
    function isValidPublicKey(key, zip215) {
      try {
        return !!Point.fromBytes(key, zip215 === void 0 ? verifyOpts.zip215 : zip215);
      } catch (error) {
        return false;
      }
    }
    const utils = {
      getExtendedPublicKey,
      randomSecretKey,
      isValidSecretKey,
      isValidPublicKey,
      /** Converts an Edwards public key to a companion Montgomery public key. */
      toMontgomery(publicKey) {
        if (toMontgomery2 === void 0)
          throw new Error("Montgomery conversion is not supported for this curve");
        return toMontgomery2(Point.fromBytes(publicKey));
      },
      toMontgomerySecret(secretKey) {
        if (toMontgomerySecret2 === void 0)
          throw new Error("Montgomery conversion is not supported for this curve");
        return toMontgomerySecret2(secretKey);
      }
    };
    Object.freeze(lengths);
    Object.freeze(utils);
    return Object.freeze({
      keygen: createKeygen(randomSecretKey, getPublicKey),
      getPublicKey,
      sign,
      verify,
      utils,
      Point,
      lengths
    });
  }

  // node_modules/@noble/curves/ed25519.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _1n10 = /* @__PURE__ */ BigInt(1);
  var _2n8 = /* @__PURE__ */ BigInt(2);
  var _5n2 = /* @__PURE__ */ BigInt(5);
  var _8n3 = /* @__PURE__ */ BigInt(8);
  var ed25519_CURVE_p = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
  var ed25519_CURVE = /* @__PURE__ */ (() => ({
    p: ed25519_CURVE_p,
    n: BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
    h: _8n3,
    a: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
    d: BigInt("0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"),
    Gx: BigInt("0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"),
    Gy: BigInt("0x6666666666666666666666666666666666666666666666666666666666666658")
  }))();
  function ed25519_pow_2_252_3(x) {
    const _10n = BigInt(10), _20n = BigInt(20), _40n = BigInt(40), _80n = BigInt(80);
    const P = ed25519_CURVE_p;
    const x2 = x * x % P;
    const b2 = x2 * x % P;
    const b4 = pow2(b2, _2n8, P) * b2 % P;
    const b5 = pow2(b4, _1n10, P) * x % P;
    const b10 = pow2(b5, _5n2, P) * b5 % P;
    const b20 = pow2(b10, _10n, P) * b10 % P;
    const b40 = pow2(b20, _20n, P) * b20 % P;
    const b80 = pow2(b40, _40n, P) * b40 % P;
    const b160 = pow2(b80, _80n, P) * b80 % P;
    const b240 = pow2(b160, _80n, P) * b80 % P;
    const b250 = pow2(b240, _10n, P) * b10 % P;
    const pow_p_5_8 = pow2(b250, _2n8, P) * x % P;
    return { pow_p_5_8, b2 };
  }
  function adjustScalarBytes(bytes) {
    bytes[0] &= 248;
    bytes[31] &= 127;
    bytes[31] |= 64;
    return bytes;
  }
  var ED25519_SQRT_M1 = /* @__PURE__ */ BigInt("19681161376707505956807079304988542015446066515923890162744021073123829784752");
  function uvRatio(u, v) {
    const P = ed25519_CURVE_p;
    const v3 = mod(v * v * v, P);
    const v7 = mod(v3 * v3 * v, P);
    const pow3 = ed25519_pow_2_252_3(u * v7).pow_p_5_8;
    let x = mod(u * v3 * pow3, P);
    const vx2 = mod(v * x * x, P);
    const root1 = x;
    const root2 = mod(x * ED25519_SQRT_M1, P);
    const useRoot1 = vx2 === u;
    const useRoot2 = vx2 === mod(-u, P);
    const noRoot = vx2 === mod(-u * ED25519_SQRT_M1, P);
    if (useRoot1)
      x = root1;
    if (useRoot2 || noRoot)
      x = root2;
    if (isNegativeLE(x, P))
      x = mod(-x, P);
    return { isValid: useRoot1 || useRoot2, value: x };
  }
  var ed25519_Point = /* @__PURE__ */ edwards(ed25519_CURVE, { uvRatio });
  var Fp3 = /* @__PURE__ */ (() => ed25519_Point.Fp)();
  function toMontgomery(point) {
    const { y } = point;
    return Fp3.toBytes(Fp3.div(_1n10 + y, _1n10 - y));
  }
  function toMontgomerySecret(secretKey) {
    const size = ed25519_Point.Fp.BYTES;
    abytes(secretKey, size);
    return adjustScalarBytes(sha512(secretKey.subarray(0, size))).subarray(0, size);
  }
  function ed(opts) {
    return eddsa(ed25519_Point, sha512, Object.assign({ adjustScalarBytes, toMontgomery, toMontgomerySecret, zip215: true }, opts));
  }
  var ed25519 = /* @__PURE__ */ ed({});

  // src/log.js
  function leafHash(entry) {
    return sha2562(concat(Uint8Array.of(0), entry));
  }
  function nodeHash(left, right) {
    return sha2562(concat(Uint8Array.of(1), left, right));
  }
  function verifyInclusion(leaf, index, size, proof, root) {
    if (!(index >= 0 && index < size)) return false;
    let fn = BigInt(index);
    let sn = BigInt(size - 1);
    let r = leaf;
    for (const p of proof) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = nodeHash(p, r);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && hex(r) === hex(root);
  }
  function verifyConsistency(first, second, proof, firstRoot, secondRoot) {
    if (!(first > 0 && first <= second)) return false;
    if (first === second) return proof.length === 0 && hex(firstRoot) === hex(secondRoot);
    const path = proof.slice();
    if ((first & first - 1) === 0) path.unshift(firstRoot);
    if (!path.length) return false;
    let fn = BigInt(first - 1);
    let sn = BigInt(second - 1);
    while ((fn & 1n) === 1n) {
      fn >>= 1n;
      sn >>= 1n;
    }
    let fr = path[0];
    let sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return hex(fr) === hex(firstRoot) && hex(sr) === hex(secondRoot) && sn === 0n;
  }
  function verifyHead(head, key) {
    if (!head) return { ok: false, message: "\u672A\u516C\u5E03\u65E5\u5FD7\u6811\u5934" };
    if (!head.signature && !key) {
      return { ok: false, unsigned: true, message: "\u65E5\u5FD7\u6811\u5934\u672A\u7B7E\u540D\uFF1A\u672C\u5C40\u672A\u914D\u7F6E\u65E5\u5FD7\u7B7E\u540D\u5BC6\u94A5\u3002\u5404\u6587\u4EF6\u662F\u5426\u5217\u5165\u65E5\u5FD7\u4ECD\u53EF\u6838\u9A8C\uFF0C\u672C\u673A\u4FDD\u5B58\u7684\u6811\u5934\u4ECD\u80FD\u53D1\u73B0\u65E5\u540E\u7684\u6539\u5199\uFF0C\u4F46\u65E0\u6CD5\u8BC1\u660E\u8BE5\u6811\u5934\u786E\u7531\u672C\u5C40\u53D1\u51FA" };
    }
    if (!head.signature) return { ok: false, message: "\u65E5\u5FD7\u6811\u5934\u672A\u7B7E\u540D\uFF0C\u4F46\u672C\u5C40\u5DF2\u516C\u5E03\u7B7E\u540D\u516C\u94A5\uFF08\u7B7E\u540D\u88AB\u53BB\u6389\uFF09" };
    if (!key) return { ok: false, message: "\u672A\u516C\u5E03\u65E5\u5FD7\u7B7E\u540D\u516C\u94A5" };
    const pub = unhex(key.public_key);
    if (hex(sha2562(pub)) !== key.key_id || head.key_id !== key.key_id) {
      return { ok: false, message: "\u65E5\u5FD7\u7B7E\u540D\u516C\u94A5\u4E0E\u6811\u5934\u7684\u5BC6\u94A5\u6807\u8BC6\u4E0D\u7B26" };
    }
    const ok = ed25519.verify(unhex(head.signature), utf8(head.signed), pub);
    if (!ok) return { ok: false, message: "\u65E5\u5FD7\u6811\u5934\u7B7E\u540D\u65E0\u6548" };
    const signed = JSON.parse(head.signed);
    if (signed.tree_size !== head.tree_size || signed.root_hash !== head.root_hash) {
      return { ok: false, message: "\u65E5\u5FD7\u6811\u5934\u5185\u5BB9\u4E0E\u7B7E\u540D\u7684\u5185\u5BB9\u4E0D\u7B26" };
    }
    return { ok: true, message: "\u65E5\u5FD7\u6811\u5934\u7B7E\u540D\u6709\u6548" };
  }
  function verifyFileInLog(fileBytes, entryText, proof, head) {
    const entry = JSON.parse(entryText);
    if (entry.sha256 !== hex(sha2562(fileBytes))) return "\u6587\u4EF6\u7684SHA-256\u4E0E\u65E5\u5FD7\u6761\u76EE\u8BB0\u8F7D\u7684\u4E0D\u7B26";
    const ok = verifyInclusion(
      leafHash(utf8(entryText)),
      entry.leaf_index,
      head.tree_size,
      proof.path.map(unhex),
      unhex(head.root_hash)
    );
    return ok ? null : "\u65E5\u5FD7\u5305\u542B\u8BC1\u660E\u65E0\u6548\uFF08\u6587\u4EF6\u4E0D\u5728\u5DF2\u7B7E\u540D\u7684\u65E5\u5FD7\u4E2D\uFF09";
  }

  // src/ui.js
  async function bytesOf(url) {
    const resp = await fetch(url, { cache: "no-store" });
    if (!resp.ok) throw new Error(`\u65E0\u6CD5\u4E0B\u8F7D${url}\uFF08${resp.status}\uFF09`);
    return new Uint8Array(await resp.arrayBuffer());
  }
  async function jsonOf(url) {
    const resp = await fetch(url, { cache: "no-store" });
    if (!resp.ok) throw new Error(`\u65E0\u6CD5\u4E0B\u8F7D${url}\uFF08${resp.status}\uFF09`);
    return resp.json();
  }
  function say(list, text, ok) {
    const li = document.createElement("li");
    li.textContent = text;
    li.className = ok === "caveat" ? "caveat" : ok ? "ok" : "bad";
    list.appendChild(li);
  }
  function drawsOf(index) {
    const byAttempt = /* @__PURE__ */ new Map();
    for (const f of index.files) {
      if (f.attempt == null) continue;
      if (!byAttempt.has(f.attempt)) byAttempt.set(f.attempt, { adjustments: [] });
      const entry = byAttempt.get(f.attempt);
      if (f.kind === "adjustment") entry.adjustments.push(f);
      else entry[f.kind] = f;
    }
    return [...byAttempt.values()].filter((f) => f.pool && f.draw && f.pool.url && f.draw.url).map((f) => ({
      id: f.draw.record_id,
      pool: f.pool,
      draw: f.draw,
      adjustments: f.adjustments.filter((a) => a.url)
    }));
  }
  async function citizen(root, lib, out, verdict) {
    const index = await jsonOf(root.dataset.index);
    const problems = [];
    const fail = (text) => {
      say(out, text, false);
      problems.push(text);
    };
    const head = index.log.head;
    const headCheck = lib.verifyHead(head, index.log.key);
    const usable = headCheck.ok || headCheck.unsigned;
    if (headCheck.ok) say(out, `${headCheck.message}\uFF08\u5171${head.tree_size}\u6761\uFF09`, true);
    else if (headCheck.unsigned) say(out, `${headCheck.message}\uFF08\u5171${head.tree_size}\u6761\uFF09`, "caveat");
    else fail(headCheck.message);
    const KEPT = "suicha-draw-log-head";
    let kept = null;
    try {
      kept = JSON.parse(window.localStorage.getItem(KEPT) || "null");
    } catch (e) {
      kept = null;
    }
    if (usable && kept && kept.key_id === head.key_id && kept.tree_size <= head.tree_size) {
      const proof = await jsonOf(`${root.dataset.log}/consistency/${kept.tree_size}/${head.tree_size}.json`);
      if (lib.verifyConsistency(
        kept.tree_size,
        head.tree_size,
        proof.path.map(lib.unhex),
        lib.unhex(kept.root_hash),
        lib.unhex(head.root_hash)
      )) {
        say(out, `\u65E5\u5FD7\u662F\u672C\u673A\u4E0A\u6B21\u6838\u9A8C\u65F6\uFF08\u5171${kept.tree_size}\u6761\uFF09\u7684\u5EF6\u7EED\uFF0C\u5DF2\u516C\u5F00\u7684\u5185\u5BB9\u672A\u88AB\u6539\u5199`, true);
      } else {
        fail(`\u65E5\u5FD7\u4E0E\u672C\u673A\u4E0A\u6B21\u6838\u9A8C\u65F6\uFF08\u5171${kept.tree_size}\u6761\uFF09\u4E0D\u4E00\u81F4\uFF1A\u5DF2\u516C\u5F00\u7684\u5185\u5BB9\u88AB\u6539\u5199`);
      }
    } else if (usable && kept && kept.key_id === head.key_id) {
      fail(`\u65E5\u5FD7\u6BD4\u672C\u673A\u4E0A\u6B21\u6838\u9A8C\u65F6\uFF08\u5171${kept.tree_size}\u6761\uFF09\u8FD8\u77ED\uFF1A\u5DF2\u516C\u5F00\u7684\u5185\u5BB9\u88AB\u5220\u9664`);
    }
    const cache = /* @__PURE__ */ new Map();
    const bytes = async (f) => {
      if (!cache.has(f.url)) cache.set(f.url, await bytesOf(f.url));
      return cache.get(f.url);
    };
    const draws = drawsOf(index);
    const withheld = index.internal_scope && index.files.some((f) => f.kind === "draw");
    if (withheld) say(out, "\u672C\u4EFB\u52A1\u5BF9\u8C61\u8303\u56F4\u542B\u5185\u90E8\u5206\u7C7B\u6761\u4EF6\uFF1A\u5BF9\u8C61\u6C60\u6587\u4EF6\u548C\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6\u4E2D\u7684\u6237\u6570\u4F1A\u66B4\u9732\u8BE5\u5206\u7C7B\u7684\u4F01\u4E1A\u6570\uFF0C\u56E0\u6B64\u53EA\u63D0\u4F9B\u7ED9\u76D1\u7763\u673A\u5173\u6838\u9A8C\uFF1B\u4E24\u6587\u4EF6\u7684\u54C8\u5E0C\u5DF2\u5217\u5165\u516C\u5F00\u65E5\u5FD7", "caveat");
    else if (!draws.length) say(out, "\u672C\u4EFB\u52A1\u5C1A\u65E0\u5DF2\u516C\u5F00\u7684\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6\uFF08\u672A\u62BD\u53D6\uFF0C\u6216\u6697\u67E5\u4EFB\u52A1\u68C0\u67E5\u5B8C\u6210\u524D\u4E0D\u516C\u5F00\uFF09", true);
    for (const d of draws) {
      const r = lib.checkPublic(await bytes(d.pool), await bytes(d.draw), d.draw.published || null);
      for (const line of r.details) say(out, `\u8BB0\u5F55${d.id}\uFF1A${line}`, true);
      if (!r.ok) fail(`\u8BB0\u5F55${d.id}\uFF1A${r.message.replace(/^不一致：/, "")}`);
      if (d.adjustments.length) {
        const adj = lib.checkAdjustments(await bytes(d.draw), await Promise.all(d.adjustments.map(bytes)));
        for (const line of adj.details) say(out, line, true);
        if (!adj.ok) fail(adj.message.replace(/^不一致：/, ""));
      }
    }
    for (const f of index.files) {
      if (!f.url || !head) continue;
      const label = `${{ pool: "\u5BF9\u8C61\u6C60\u6587\u4EF6", draw: "\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6", adjustment: "\u8C03\u6574\u8BF4\u660E" }[f.kind] || f.kind}\uFF08\u7B2C${f.leaf_index + 1}\u6761\uFF09`;
      const proof = await jsonOf(`${root.dataset.log}/proof/${f.leaf_index}/${head.tree_size}.json`);
      const diff = lib.verifyFileInLog(await bytes(f), f.entry, proof, head);
      if (diff) fail(`${label}\uFF1A${diff}`);
      else say(out, `${label}\u5DF2\u5217\u5165${headCheck.ok ? "\u7B7E\u540D" : ""}\u65E5\u5FD7`, true);
    }
    if (usable && !problems.length) {
      window.localStorage.setItem(KEPT, JSON.stringify({ tree_size: head.tree_size, root_hash: head.root_hash, key_id: head.key_id }));
    }
    if (problems.length) {
      verdict.textContent = `\u4E0D\u4E00\u81F4\uFF1A${problems.join("\uFF1B")}`;
      verdict.className = "bad";
    } else if (withheld) {
      verdict.textContent = "\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6\u53EA\u63D0\u4F9B\u7ED9\u76D1\u7763\u673A\u5173\u6838\u9A8C\uFF08\u89C1\u4E0B\u65B9\u8BF4\u660E\uFF09";
      verdict.className = "caveat";
    } else {
      verdict.textContent = headCheck.ok ? "\u4E00\u81F4" : "\u4E00\u81F4\uFF08\u65E5\u5FD7\u6811\u5934\u672A\u7B7E\u540D\uFF0C\u89C1\u4E0B\u65B9\u8BF4\u660E\uFF09";
      verdict.className = "ok";
    }
  }
  async function enterprise(root, lib, verdict) {
    const index = await jsonOf(root.dataset.index);
    const draws = drawsOf(index);
    if (!draws.length) throw new Error("\u672C\u4EFB\u52A1\u5C1A\u65E0\u5DF2\u516C\u5F00\u7684\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6");
    const d = draws[draws.length - 1];
    const pool = await bytesOf(d.pool.url);
    const draw = await bytesOf(d.draw.url);
    const code = lib.parseReceiptCode(root.querySelector("#receipt-code").value);
    const uscc = root.querySelector("#receipt-uscc").value.trim().toUpperCase();
    const poolDoc = JSON.parse(new TextDecoder().decode(pool));
    const receipt = { format: "suicha-draw-receipt/1", snapshot_hash: poolDoc.snapshot_hash, uscc, salt: code };
    const r = lib.checkReceipt(receipt, pool, draw);
    verdict.textContent = r.ok ? `\u4E00\u81F4\uFF1A${r.details[0]}` : r.message;
    verdict.className = r.ok ? "ok" : "bad";
  }
  async function auditor(root, lib, out, verdict) {
    const input = root.querySelector("#audit-file");
    if (!input.files.length) throw new Error("\u8BF7\u5148\u9009\u62E9\u5B8C\u6574\u8BB0\u5F55\u6587\u4EF6");
    const record = JSON.parse(await input.files[0].text());
    const index = await jsonOf(root.dataset.index);
    const d = drawsOf(index).find((x) => String(x.id) === String(record.meta && record.meta.record_id));
    const pool = d ? await bytesOf(d.pool.url) : null;
    const draw = d ? await bytesOf(d.draw.url) : null;
    const r = lib.audit(record, pool, draw);
    for (const line of r.details) say(out, line, true);
    say(out, "\u672A\u6838\u9A8C\uFF1A\u8BB0\u5F55\u4E2D\u7684\u64CD\u4F5C\u4EBA\u3001\u64CD\u4F5C\u65F6\u95F4\u548C\u539F\u56E0\u4E0D\u5728\u590D\u7B97\u8303\u56F4\u5185\uFF08\u4E0D\u53C2\u4E0E\u4EFB\u4F55\u54C8\u5E0C\u6216\u7B7E\u540D\uFF09\uFF0C\u4EE5\u672C\u5C40\u7CFB\u7EDF\u4E2D\u7684\u8BB0\u5F55\u4E3A\u51C6", "caveat");
    if (!d) say(out, "\u672C\u9875\u672A\u627E\u5230\u8BE5\u8BB0\u5F55\u7684\u516C\u5F00\u6587\u4EF6\uFF0C\u53EA\u590D\u7B97\u4E86\u5B8C\u6574\u8BB0\u5F55", false);
    verdict.textContent = r.ok && d ? "\u4E00\u81F4" : r.ok ? "\u4E00\u81F4\uFF08\u672A\u4E0E\u516C\u5F00\u6587\u4EF6\u6BD4\u5BF9\uFF09" : r.message;
    verdict.className = r.ok ? "ok" : "bad";
  }
  function mountPanel(root, lib) {
    const run = (button, work) => {
      const btn = root.querySelector(button);
      if (!btn) return;
      btn.addEventListener("click", async () => {
        const out = root.querySelector(btn.dataset.out);
        const verdict = root.querySelector(btn.dataset.verdict);
        if (out) out.textContent = "";
        verdict.textContent = "\u6B63\u5728\u672C\u673A\u8BA1\u7B97\u2026\u2026";
        verdict.className = "";
        try {
          await work(out, verdict);
        } catch (e) {
          verdict.textContent = `\u65E0\u6CD5\u6838\u9A8C\uFF1A${e.message}`;
          verdict.className = "bad";
        }
      });
    };
    run("#verify-public", (out, verdict) => citizen(root, lib, out, verdict));
    run("#verify-receipt", (out, verdict) => enterprise(root, lib, verdict));
    run("#verify-audit", (out, verdict) => auditor(root, lib, out, verdict));
    root.dataset.ready = "1";
  }

  // src/index.js
  function formatOf(drawBytes) {
    let fmt = null;
    try {
      fmt = drawBytes == null ? null : JSON.parse(new TextDecoder().decode(drawBytes)).format;
    } catch (e) {
      fmt = null;
    }
    return PUBLIC_DRAW_FORMATS.includes(fmt) ? fmt : PUBLIC_DRAW_FORMAT;
  }
  function audit(record, poolBytes, drawBytes) {
    const diff = verifyRecord(record);
    if (diff) return { ok: false, message: `\u4E0D\u4E00\u81F4\uFF1A\u5B8C\u6574\u8BB0\u5F55\u590D\u7B97\u4E0D\u7B26\uFF1A${diff}`, details: [] };
    const details = ["\u5B8C\u6574\u8BB0\u5F55\u590D\u7B97\u4E00\u81F4\uFF08\u79CD\u5B50\u627F\u8BFA\u503C\u3001\u5FEB\u7167\u54C8\u5E0C\u3001\u516C\u5171\u968F\u673A\u6570\u3001\u5206\u5C42\u62BD\u53D6\u3001\u68C0\u67E5\u7EC4\u3001\u7EC4\u957F\u3001\u4E13\u5BB6\u3001\u68C0\u67E5\u4E8B\u9879\uFF09"];
    const [pool, draw] = expectedPublic(record, formatOf(drawBytes));
    for (const [what, published, expected] of [["\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6", poolBytes, pool], ["\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6", drawBytes, draw]]) {
      if (published == null) continue;
      if (hex(sha2562(published)) !== hex(sha2562(expected))) {
        return { ok: false, message: `\u4E0D\u4E00\u81F4\uFF1A${what}\u4E0E\u5B8C\u6574\u8BB0\u5F55\u63A8\u51FA\u7684\u5185\u5BB9\u4E0D\u540C`, details };
      }
      details.push(`${what}\u4E0E\u5B8C\u6574\u8BB0\u5F55\u63A8\u51FA\u7684\u5185\u5BB9\u9010\u5B57\u8282\u76F8\u540C`);
    }
    const pub = checkPublic(pool, draw);
    if (!pub.ok) return { ok: false, message: pub.message, details };
    return { ok: true, message: "\u4E00\u81F4", details: details.concat(pub.details) };
  }
  if (typeof document !== "undefined") {
    const start = () => {
      const el = document.getElementById("draw-verify");
      if (el) mountPanel(el, { audit, checkAdjustments, checkPublic, checkReceipt, parseReceiptCode, receiptCode, unhex, verifyConsistency, verifyHead, verifyFileInLog });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  return __toCommonJS(index_exports);
})();
