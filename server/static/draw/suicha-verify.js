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
    Stream: () => Stream,
    audit: () => audit,
    canonicalJson: () => canonicalJson,
    ceilRatio: () => ceilRatio,
    checkPublic: () => checkPublic,
    checkReceipt: () => checkReceipt,
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
    partialShuffle: () => partialShuffle,
    pseudonym: () => pseudonym,
    publicDraw: () => publicDraw,
    publicPool: () => publicPool,
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
  function hex(bytes) {
    let s = "";
    for (const b of bytes) s += b.toString(16).padStart(2, "0");
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
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
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
  function compareText(a, b) {
    if (a === b) return 0;
    const x = Array.from(a);
    const y = Array.from(b);
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
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

  // src/rng.js
  var TWO64 = 1n << 64n;
  function streamKey(seed, snapshotHashHex) {
    return sha2562(utf8("suicha-draw/1\0key\0"), seed, unhex(snapshotHashHex));
  }
  function deriveKey(seed, beaconRandomness, snapshotHashHex) {
    const h = unhex(snapshotHashHex);
    if (seed.length !== 32 || beaconRandomness.length !== 32 || h.length !== 32) {
      throw new Error("\u968F\u673A\u79CD\u5B50\u3001\u516C\u5171\u968F\u673A\u6570\u548C\u5FEB\u7167\u54C8\u5E0C\u90FD\u5E94\u4E3A32\u5B57\u8282");
    }
    return sha2562(utf8("suicha-draw/2\0key\0"), seed, beaconRandomness, h);
  }
  function drawKey(seed, beaconRandomness, snapshotHashHex) {
    return beaconRandomness == null ? streamKey(seed, snapshotHashHex) : deriveKey(seed, beaconRandomness, snapshotHashHex);
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
    const keyed = members.map((p) => [ticket(key, p), p]);
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
    if ("*" in ratio) {
      if (Object.keys(ratio).length !== 1) throw new Error("\u62BD\u67E5\u6BD4\u4F8B\u4E0D\u80FD\u540C\u65F6\u8BBE\u5B9A\u7EDF\u4E00\u6BD4\u4F8B\u548C\u5206\u7C7B\u6BD4\u4F8B");
      return [["*", [...Array(n).keys()]]];
    }
    const by = /* @__PURE__ */ new Map();
    values[2].forEach((cls, i) => {
      if (!by.has(cls)) by.set(cls, []);
      by.get(cls).push(i);
    });
    for (const [cls, members] of by) {
      if (!(cls in ratio)) {
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
  function keyOf(draw) {
    const seed = hex64(draw.seed, "\u968F\u673A\u79CD\u5B50");
    const beacon = draw.beacon_randomness;
    const rand = beacon == null ? null : hex64(beacon, "\u516C\u5171\u968F\u673A\u6570");
    hex64(draw.snapshot_hash, "\u5FEB\u7167\u54C8\u5E0C");
    return drawKey(seed, rand, draw.snapshot_hash);
  }
  function checkAll(poolBytes, drawBytes, published) {
    const done = [];
    const pool = parse(poolBytes, "\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6");
    const draw = parse(drawBytes, "\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6");
    need(draw.format === "suicha-public-draw/1", `\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6\u683C\u5F0F\u201C${draw.format}\u201D\u65E0\u6CD5\u8BC6\u522B`);
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
    if (published && "beacon_randomness" in published) {
      need(published.beacon_randomness === draw.beacon_randomness, "\u516C\u5171\u968F\u673A\u6570\u4E0E\u516C\u5E03\u7684\u968F\u673A\u6E90\u6570\u503C\u4E0D\u7B26");
    }
    const key = keyOf(draw);
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
      let team = [];
      if (this.needStreet) team = team.concat(leastLoaded(streetC, this.needStreet, [], this.load, stream));
      if (this.needBureau) team = team.concat(leastLoaded(bureauC, this.needBureau, [], this.load, stream));
      if (team.length < this.teamSize) {
        team = team.concat(leastLoaded(anyone, this.teamSize - team.length, team, this.load, stream));
      }
      team.sort((a, b) => a - b);
      const leader = team[stream.randbelow(team.length)];
      return [team.map((i) => this.officers[i].cert_no), this.officers[leader].cert_no];
    }
    drawExperts(uscc, industry, count, stream) {
      let cands = [...this.experts.keys()];
      if (this.rules.expert_specialty_match) {
        cands = cands.filter((i) => this.experts[i].specialties.includes(industry));
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
  function runDraw(snapshot, seed, beaconRandomness, poolHash) {
    if (snapshot.format !== "suicha-snapshot/2") throw new Error(`\u672C\u5B9E\u73B0\u53EA\u590D\u7B97suicha-snapshot/2\u5FEB\u7167\uFF0C\u6536\u5230${snapshot.format}`);
    const hash = poolHash || snapshotHash(snapshot);
    const key = drawKey(seed, beaconRandomness, hash);
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
      return { uscc: u, inspectors, leader, experts, items: picked };
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
      if (record.format !== "suicha-draw-record/1") return `\u8BB0\u5F55\u683C\u5F0F\u201C${record.format}\u201D\u65E0\u6CD5\u8BC6\u522B`;
      if (record.algorithm !== "suicha-draw/2") return `\u7B97\u6CD5\u7248\u672C\u201C${record.algorithm}\u201D\u4E0D\u662F\u672C\u5B9E\u73B0\u590D\u7B97\u7684suicha-draw/2`;
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
      const beacon = record.beacon_randomness;
      if (beacon != null && !isHex64(beacon)) return "\u516C\u5171\u968F\u673A\u6570\u5E94\u4E3A64\u4F4D\u5C0F\u5199\u5341\u516D\u8FDB\u5236";
      let rerun;
      try {
        rerun = runDraw(record.snapshot, seed, beacon == null ? null : unhex(beacon), computed);
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
  var bitMask = (n) => {
    asafenumber(n, "n");
    return (_1n << BigInt(n)) - _1n;
  };
  function validateObject(object, fields = {}, optFields = {}, title = "object") {
    aobject2(object, title);
    aobject2(fields, "fields");
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
    iter(fields, false);
    iter(optFields, true);
  }

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
  function assertIsSquare(Fp2, root, n) {
    const F = Fp2;
    if (!F.eql(F.sqr(root), n))
      throw new Error("Cannot find square root");
  }
  function aoddModulus(order, fnName) {
    if ((order & _1n2) === _0n2)
      throw new Error(fnName + ": expected odd modulus, got " + order);
  }
  function sqrt3mod4(Fp2, n) {
    const F = Fp2;
    const p1div4 = (F.ORDER + _1n2) / _4n;
    const root = F.pow(n, p1div4);
    assertIsSquare(F, root, n);
    return root;
  }
  function sqrt5mod8(Fp2, n) {
    const F = Fp2;
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
    return ((Fp2, n) => {
      const F = Fp2;
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
    return function tonelliSlow(Fp2, n) {
      const F = Fp2;
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
  function FpInvertBatch(Fp2, nums, passZero = false) {
    validateField(Fp2);
    aarray(nums, "nums");
    abool(passZero, "passZero");
    const F = Fp2;
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
  function FpLegendre(Fp2, n) {
    validateField(Fp2);
    const F = Fp2;
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
      for (let window = windows - 1; window >= 0; window--) {
        if (window !== windows - 1)
          for (let d = 0; d < W; d++)
            acc = acc.double();
        const digit = Number(n >> BigInt(window * W) & mask);
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
    const Fp2 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
    const Fn = createField(CURVE.n, curveOpts.Fn, FpFnLE);
    const _b = type === "weierstrass" ? "b" : "d";
    const params = ["Gx", "Gy", "a", _b];
    for (const p of params) {
      if (!Fp2.isValid(CURVE[p]))
        throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
    }
    CURVE = Object.freeze(Object.assign({}, CURVE));
    return { CURVE, Fp: Fp2, Fn };
  }
  function createKeygen(randomSecretKey, getPublicKey) {
    return function keygen(seed) {
      const secretKey = randomSecretKey(seed);
      return { secretKey, publicKey: getPublicKey(secretKey) };
    };
  }

  // node_modules/@noble/curves/abstract/edwards.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n4 = /* @__PURE__ */ BigInt(0);
  var _1n4 = /* @__PURE__ */ BigInt(1);
  var _2n2 = /* @__PURE__ */ BigInt(2);
  var _4n3 = /* @__PURE__ */ BigInt(4);
  var _8n2 = /* @__PURE__ */ BigInt(8);
  function isEdValidXY(Fp2, CURVE, x, y) {
    const x2 = Fp2.sqr(x);
    const y2 = Fp2.sqr(y);
    const left = Fp2.add(Fp2.mul(CURVE.a, x2), y2);
    const right = Fp2.add(Fp2.ONE, Fp2.mul(CURVE.d, Fp2.mul(x2, y2)));
    return Fp2.eql(left, right);
  }
  function edwards(params, extraOpts = {}) {
    validateObject(extraOpts, {}, {}, "extraOpts");
    const opts = extraOpts;
    const validated = createCurveFields("edwards", params, opts, opts.FpFnLE);
    const { Fp: Fp2, Fn } = validated;
    let CURVE = validated.CURVE;
    const { h: cofactor } = CURVE;
    if (FpLegendre(Fp2, CURVE.a) !== 1)
      throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
    if (FpLegendre(Fp2, CURVE.d) !== -1)
      throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
    validateObject(opts, {}, { uvRatio: "function", randomBytes: "function" });
    const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
    const MASK = _2n2 << BigInt(Fp2.BYTES * 8) - _1n4;
    function isOdd(n) {
      if (!Fp2.isOdd)
        throw new Error("Field does not have .isOdd()");
      return Fp2.isOdd(n);
    }
    const uvRatio2 = opts.uvRatio === void 0 ? (u, v) => {
      try {
        return { isValid: true, value: Fp2.sqrt(Fp2.div(u, v)) };
      } catch (e) {
        return { isValid: false, value: _0n4 };
      }
    } : opts.uvRatio;
    if (!isEdValidXY(Fp2, CURVE, CURVE.Gx, CURVE.Gy))
      throw new Error("bad curve params: generator point");
    const mulA = Fp2.eql(CURVE.a, Fp2.neg(Fp2.ONE)) ? (x) => Fp2.neg(x) : Fp2.eql(CURVE.a, Fp2.ONE) ? (x) => x : (x) => Fp2.mul(CURVE.a, x);
    function acoord(title, n, banZero = false) {
      const min = banZero ? _1n4 : _0n4;
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
        return new _Point(x, y, Fp2.ONE, Fp2.mul(x, y));
      }
      // Uses algo from RFC8032 5.1.3.
      static fromBytes(bytes, zip215 = false) {
        const len = Fp2.BYTES;
        const { a, d } = CURVE;
        bytes = copyBytes(abytes2(bytes, len, "point"));
        abool(zip215, "zip215");
        const normed = copyBytes(bytes);
        const lastByte = bytes[len - 1];
        normed[len - 1] = lastByte & ~128;
        const y = bytesToNumberLE(normed);
        const max = zip215 ? MASK : Fp2.ORDER;
        aInRange("point.y", y, _0n4, max);
        const y2 = Fp2.sqr(y);
        const u = Fp2.sub(y2, Fp2.ONE);
        const v = Fp2.sub(Fp2.mulN(d, y2), a);
        let { isValid, value: x } = uvRatio2(u, v);
        if (!isValid)
          throw new Error("bad point: invalid y coordinate");
        const isXOdd = isOdd(x);
        const isLastByteOdd = (lastByte & 128) !== 0;
        if (!zip215 && Fp2.is0(x) && isLastByteOdd)
          throw new Error("bad point: x=0 and x_0=1");
        if (isLastByteOdd !== isXOdd)
          x = Fp2.neg(x);
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
          this.multiply(_2n2);
        return this;
      }
      // Useful in fromAffine() - not for fromBytes(), which always created valid points.
      assertValidity() {
        const p = this;
        const { a, d } = CURVE;
        if (p.is0())
          throw new Error("bad point: ZERO");
        const { X, Y, Z, T } = p;
        const X2 = Fp2.sqr(X);
        const Y2 = Fp2.sqr(Y);
        const Z2 = Fp2.sqr(Z);
        const Z4 = Fp2.sqr(Z2);
        const aX2 = Fp2.mul(X2, a);
        const left = Fp2.mul(Fp2.add(aX2, Y2), Z2);
        const right = Fp2.add(Z4, Fp2.mul(d, Fp2.mul(X2, Y2)));
        if (!Fp2.eql(left, right))
          throw new Error("bad point: equation left != right (1)");
        const XY = Fp2.mul(X, Y);
        const ZT = Fp2.mul(Z, T);
        if (!Fp2.eql(XY, ZT))
          throw new Error("bad point: equation left != right (2)");
      }
      // Compare one point to another.
      equals(other) {
        aedpoint(other);
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const { X: X2, Y: Y2, Z: Z2 } = other;
        const X1Z2 = Fp2.mul(X1, Z2);
        const X2Z1 = Fp2.mul(X2, Z1);
        const Y1Z2 = Fp2.mul(Y1, Z2);
        const Y2Z1 = Fp2.mul(Y2, Z1);
        return Fp2.eql(X1Z2, X2Z1) && Fp2.eql(Y1Z2, Y2Z1);
      }
      is0() {
        return this.equals(_Point.ZERO);
      }
      negate() {
        return new _Point(Fp2.neg(this.X), this.Y, this.Z, Fp2.neg(this.T));
      }
      // Fast algo for doubling Extended Point.
      // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
      // Cost: 4M + 4S + 1*a + 6add + 1*2.
      double() {
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const A = Fp2.sqr(X1);
        const B = Fp2.sqr(Y1);
        const C = Fp2.mul(Fp2.sqr(Z1), _2n2);
        const D2 = mulA(A);
        const x1y1 = Fp2.addN(X1, Y1);
        const E = Fp2.sub(Fp2.subN(Fp2.sqr(x1y1), A), B);
        const G = Fp2.addN(D2, B);
        const F = Fp2.subN(G, C);
        const H = Fp2.subN(D2, B);
        const X3 = Fp2.mul(E, F);
        const Y3 = Fp2.mul(G, H);
        const T3 = Fp2.mul(E, H);
        const Z3 = Fp2.mul(F, G);
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
        const A = Fp2.mul(X1, X2);
        const B = Fp2.mul(Y1, Y2);
        const C = Fp2.mul(Fp2.mulN(T1, d), T2);
        const D2 = Fp2.mul(Z1, Z2);
        const E = Fp2.sub(Fp2.subN(Fp2.mulN(Fp2.addN(X1, Y1), Fp2.addN(X2, Y2)), A), B);
        const F = Fp2.subN(D2, C);
        const G = Fp2.addN(D2, C);
        const H = Fp2.sub(B, mulA(A));
        const X3 = Fp2.mul(E, F);
        const Y3 = Fp2.mul(G, H);
        const T3 = Fp2.mul(E, H);
        const Z3 = Fp2.mul(F, G);
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
        if (scalar === _0n4)
          return _Point.ZERO;
        if (this.is0() || scalar === _1n4)
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
          iz = is0 ? Fp2.create(_8n2) : Fp2.inv(Z);
        const x = Fp2.mul(X, iz);
        const y = Fp2.mul(Y, iz);
        const zz = Fp2.mul(Z, iz);
        if (is0)
          return { x: Fp2.ZERO, y: Fp2.ONE };
        if (!Fp2.eql(zz, Fp2.ONE))
          throw new Error("invZ was invalid");
        return { x, y };
      }
      clearCofactor() {
        if (cofactor === _1n4)
          return this;
        if (cofactor === _2n2)
          return this.double();
        if (cofactor === _4n3)
          return this.double().double();
        if (cofactor === _8n2)
          return this.double().double().double();
        return this.multiplyUnsafe(cofactor);
      }
      toBytes() {
        const { x, y } = this.toAffine();
        const bytes = Fp2.toBytes(y);
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
    __publicField(_Point, "BASE", new _Point(CURVE.Gx, CURVE.Gy, Fp2.ONE, Fp2.mul(CURVE.Gx, CURVE.Gy)));
    __publicField(_Point, "ZERO", new _Point(Fp2.ZERO, Fp2.ONE, Fp2.ONE, Fp2.ZERO));
    __publicField(_Point, "Fp", Fp2);
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
    const { BASE, Fp: Fp2, Fn } = Point;
    const outputLen = hash.outputLen;
    const expectedLen = 2 * Fp2.BYTES;
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
    const _size = Fp2.BYTES;
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
  var _1n5 = /* @__PURE__ */ BigInt(1);
  var _2n3 = /* @__PURE__ */ BigInt(2);
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
    const b4 = pow2(b2, _2n3, P) * b2 % P;
    const b5 = pow2(b4, _1n5, P) * x % P;
    const b10 = pow2(b5, _5n2, P) * b5 % P;
    const b20 = pow2(b10, _10n, P) * b10 % P;
    const b40 = pow2(b20, _20n, P) * b20 % P;
    const b80 = pow2(b40, _40n, P) * b40 % P;
    const b160 = pow2(b80, _80n, P) * b80 % P;
    const b240 = pow2(b160, _80n, P) * b80 % P;
    const b250 = pow2(b240, _10n, P) * b10 % P;
    const pow_p_5_8 = pow2(b250, _2n3, P) * x % P;
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
  var Fp = /* @__PURE__ */ (() => ed25519_Point.Fp)();
  function toMontgomery(point) {
    const { y } = point;
    return Fp.toBytes(Fp.div(_1n5 + y, _1n5 - y));
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
  function verifyHead(head, key) {
    if (!head || !head.signature) return { ok: false, message: "\u65E5\u5FD7\u6811\u5934\u672A\u7B7E\u540D\uFF08\u672C\u5C40\u672A\u914D\u7F6E\u7B7E\u540D\u5BC6\u94A5\uFF09" };
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
  function publicDraw(record, poolBytes) {
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
      format: "suicha-public-draw/1",
      algorithm: record.algorithm,
      task_no: snapshot.task.task_no,
      seed: record.seed,
      commitment: record.commitment,
      snapshot_hash: record.pool_hash,
      beacon_randomness: record.beacon_randomness === void 0 ? null : record.beacon_randomness,
      public_pool_sha256: hex(sha2562(poolBytes)),
      strata: outStrata,
      visit_order: result.visits.map((v) => v.uscc),
      drawn
    };
  }
  function expectedPublic(record) {
    const pool = utf8(canonicalJson(publicPool(record.snapshot, record.pool_hash, record.commitment)));
    const draw = utf8(canonicalJson(publicDraw(record, pool)));
    return [pool, draw];
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
    li.className = ok ? "ok" : "bad";
    list.appendChild(li);
  }
  function drawsOf(index) {
    const byRecord = /* @__PURE__ */ new Map();
    for (const f of index.files) {
      if (!byRecord.has(f.record_id)) byRecord.set(f.record_id, {});
      byRecord.get(f.record_id)[f.kind] = f;
    }
    return [...byRecord.entries()].filter(([, f]) => f.pool && f.draw && f.pool.url && f.draw.url).map(([id, f]) => ({ id, pool: f.pool, draw: f.draw }));
  }
  async function citizen(root, lib, out, verdict) {
    const index = await jsonOf(root.dataset.index);
    const draws = drawsOf(index);
    if (!draws.length) throw new Error("\u672C\u4EFB\u52A1\u5C1A\u65E0\u53EF\u6838\u9A8C\u7684\u516C\u5F00\u62BD\u53D6\u6587\u4EF6");
    const problems = [];
    const head = index.log.head;
    const headCheck = lib.verifyHead(head, index.log.key);
    say(out, headCheck.message, headCheck.ok);
    if (!headCheck.ok) problems.push(headCheck.message);
    for (const d of draws) {
      const pool = await bytesOf(d.pool.url);
      const draw = await bytesOf(d.draw.url);
      const published = d.draw.published || null;
      const r = lib.checkPublic(pool, draw, published);
      for (const line of r.details) say(out, `\u8BB0\u5F55${d.id}\uFF1A${line}`, true);
      if (!r.ok) {
        say(out, `\u8BB0\u5F55${d.id}\uFF1A${r.message}`, false);
        problems.push(`\u8BB0\u5F55${d.id}\uFF1A${r.message.replace(/^不一致：/, "")}`);
      }
      if (head) {
        for (const [label, f, bytes] of [["\u516C\u5F00\u5BF9\u8C61\u6C60\u6587\u4EF6", d.pool, pool], ["\u516C\u5F00\u62BD\u53D6\u7ED3\u679C\u6587\u4EF6", d.draw, draw]]) {
          const proof = await jsonOf(`${root.dataset.log}/proof/${f.leaf_index}/${head.tree_size}.json`);
          const diff = lib.verifyFileInLog(bytes, f.entry, proof, head);
          if (diff) {
            say(out, `\u8BB0\u5F55${d.id}\u7684${label}\uFF1A${diff}`, false);
            problems.push(`\u8BB0\u5F55${d.id}\u7684${label}\uFF1A${diff}`);
          } else {
            say(out, `\u8BB0\u5F55${d.id}\u7684${label}\u5DF2\u5217\u5165\u7B7E\u540D\u65E5\u5FD7\uFF08\u7B2C${f.leaf_index + 1}\u6761\uFF09`, true);
          }
        }
      }
    }
    verdict.textContent = problems.length ? `\u4E0D\u4E00\u81F4\uFF1A${problems[0]}` : "\u4E00\u81F4";
    verdict.className = problems.length ? "bad" : "ok";
  }
  async function enterprise(root, lib, verdict) {
    const index = await jsonOf(root.dataset.index);
    const draws = drawsOf(index);
    if (!draws.length) throw new Error("\u672C\u4EFB\u52A1\u5C1A\u65E0\u53EF\u6838\u9A8C\u7684\u516C\u5F00\u62BD\u53D6\u6587\u4EF6");
    const d = draws[draws.length - 1];
    const pool = await bytesOf(d.pool.url);
    const draw = await bytesOf(d.draw.url);
    const code = root.querySelector("#receipt-code").value.replace(/\s+/g, "").toLowerCase();
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
  function audit(record, poolBytes, drawBytes) {
    const diff = verifyRecord(record);
    if (diff) return { ok: false, message: `\u4E0D\u4E00\u81F4\uFF1A\u5B8C\u6574\u8BB0\u5F55\u590D\u7B97\u4E0D\u7B26\uFF1A${diff}`, details: [] };
    const details = ["\u5B8C\u6574\u8BB0\u5F55\u590D\u7B97\u4E00\u81F4\uFF08\u79CD\u5B50\u627F\u8BFA\u503C\u3001\u5FEB\u7167\u54C8\u5E0C\u3001\u5206\u5C42\u62BD\u53D6\u3001\u68C0\u67E5\u7EC4\u3001\u7EC4\u957F\u3001\u4E13\u5BB6\u3001\u68C0\u67E5\u4E8B\u9879\uFF09"];
    const [pool, draw] = expectedPublic(record);
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
      if (el) mountPanel(el, { audit, checkPublic, checkReceipt, verifyHead, verifyFileInLog });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  return __toCommonJS(index_exports);
})();
