// Reads the memory snapshot as the build packs it (hooks/snapshot_image.py): only the stretches
// between long runs of zero bytes travel, after a header saying where each goes, so the worker
// inflates half the bytes it would for the whole image; and Python's static data travels XORed
// with the data segments of the WebAssembly file the worker downloads anyway, which put it back.
// The build writes this file into worker.js in place of its import (no request of its own), and
// its check of the snapshot (hooks/node/snapshot.mjs) restores Python from what this reads.

const MAGIC = "AIHSNAP2";
const HEAD = 24; // magic, the image's size, the number of segments, flags, checksum
const BASED = 1; // flags: the static data is XORed with the WebAssembly file's data segments
const DATA_SECTION = 11;

const refuse = (why) => {
  throw new Error(`the Python snapshot is not in the form this worker reads (${why})`);
};

// The image, from a stream of the packed bytes (already inflated): a zeroed image of the size
// the header gives, each segment copied into place as its bytes arrive, then, for an image
// XORed with data segments, those segments (a promise: dataSegments below) XORed back. Throws,
// with the reason, on anything else (the worker then starts Python without the snapshot).
export async function readImage(stream, segments = null) {
  const reader = stream.getReader();
  let head = new Uint8Array(0); // the header's bytes, until it is whole
  let image = null;
  let table = null; // offset, length, offset, length...
  let segment = 0; // index in table of the segment being filled
  let filled = 0; // bytes of it in place
  let flags = 0;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      if (!image) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        head = joined;
        if (head.length < HEAD) continue;
        if (String.fromCharCode(...head.subarray(0, MAGIC.length)) !== MAGIC) refuse("unknown format");
        const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
        const size = view.getUint32(8, true);
        const count = view.getUint32(12, true);
        flags = view.getUint32(16, true);
        total = view.getUint32(20, true);
        const length = HEAD + 8 * count;
        if (head.length < length) continue;
        table = new Array(2 * count);
        let end = 0;
        for (let i = 0; i < 2 * count; i += 2) {
          const offset = view.getUint32(HEAD + 4 * i, true);
          const bytes = view.getUint32(HEAD + 4 * i + 4, true);
          if (bytes === 0 || offset < end || offset + bytes > size) refuse(`segment ${i / 2} is empty, out of order or outside the image`);
          table[i] = offset;
          table[i + 1] = bytes;
          end = offset + bytes;
        }
        image = new Uint8Array(size);
        chunk = head.subarray(length);
        head = null;
      }
      while (chunk.length) {
        if (segment === table.length) refuse("bytes after the last segment");
        const take = Math.min(table[segment + 1] - filled, chunk.length);
        image.set(chunk.subarray(0, take), table[segment] + filled);
        filled += take;
        chunk = chunk.subarray(take);
        if (filled === table[segment + 1]) {
          segment += 2;
          filled = 0;
        }
      }
    }
    if (!image || segment !== table.length) refuse("it ends early");
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  }
  if (flags & BASED) {
    if (!segments) refuse("it needs the WebAssembly file's data segments");
    putStaticDataBack(image, await segments, total);
  }
  return image;
}

// XORs the data segments back into the image's static data (after Pyodide's own header, whose
// second word says where memory starts), checks the checksum of the stretch they cover and
// turns Pyodide's magic number right way round again: only a fully restored image has it.
function putStaticDataBack(image, segments, total) {
  if (!segments.length) refuse("the WebAssembly file has no data segments");
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const start = view.getUint32(4, true);
  let low = Infinity;
  let high = 0;
  for (const { address, bytes } of segments) {
    low = Math.min(low, start + address);
    high = Math.max(high, start + address + bytes.length);
  }
  if (start % 4 || high > image.length) refuse("the data segments fall outside the memory image");
  for (const { address, bytes } of segments) {
    const at = start + address;
    for (let i = 0; i < bytes.length; i++) image[at + i] ^= bytes[i];
  }
  low &= ~3;
  high = Math.min(image.length, (high + 3) & ~3);
  if (checksum(image, low, high) !== total) refuse("the data segments are not the ones it was made with (checksum)");
  for (let i = 0; i < 4; i++) image[i] ^= 0xff;
}

// FNV-1a over the 32-bit little-endian words of image[low, high) (hooks/snapshot_image.py).
function checksum(image, low, high) {
  const words = new Uint32Array(image.buffer, image.byteOffset + low, (high - low) >>> 2);
  let value = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) value = Math.imul(value ^ words[i], 0x01000193) >>> 0;
  return value;
}

// The active data segments of a WebAssembly file, read from a stream of it as it downloads:
// every section but the data section (the last) is skipped as it passes. [{address, bytes}],
// or a throw for any form an Emscripten build does not write (hooks/snapshot_image.py reads
// the same ones).
export async function dataSegments(stream) {
  const input = bytesOf(stream);
  const magic = await input.take(8);
  if (String.fromCharCode(...magic) !== "\0asm\x01\0\0\0") refuse("not a WebAssembly file");
  const found = [];
  for (;;) {
    const section = await input.byte();
    if (section < 0) return found;
    const size = await input.leb();
    if (section !== DATA_SECTION) {
      await input.skip(size);
      continue;
    }
    const data = await input.take(size);
    let at = 0;
    const leb = (signed = false) => {
      let result = 0;
      let shift = 0;
      for (;;) {
        if (at >= data.length || shift > 35) refuse("the WebAssembly file ends inside a number");
        const byte = data[at++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(byte & 0x80)) return signed && byte & 0x40 ? result - 2 ** shift : result;
      }
    };
    const count = leb();
    for (let n = 0; n < count; n++) {
      const kind = leb();
      if (kind === 1) {
        const length = leb(); // passive: written by the program, not at instantiation
        at += length;
        continue;
      }
      if (kind === 2 && leb() !== 0) refuse("a data segment for a second memory");
      if (kind !== 0 && kind !== 2) refuse(`a data segment of kind ${kind}`);
      if (data[at++] !== 0x41) refuse("a data segment whose address is not a constant"); // i32.const
      const address = leb(true);
      if (data[at++] !== 0x0b) refuse("a data segment whose address is not a constant");
      const length = leb();
      found.push({ address, bytes: data.subarray(at, at + length) });
      at += length;
    }
    if (at !== data.length) refuse("the data section's size disagrees with its segments");
  }
}

// A stream's bytes, taken a few at a time across however its chunks fall.
function bytesOf(stream) {
  const reader = stream.getReader();
  let chunk = new Uint8Array(0);
  let at = 0;
  const more = async () => {
    const { done, value } = await reader.read();
    if (done) return false;
    chunk = value;
    at = 0;
    return true;
  };
  return {
    async byte() {
      while (at >= chunk.length) if (!(await more())) return -1;
      return chunk[at++];
    },
    async leb() {
      let result = 0;
      for (let shift = 0; shift <= 35; shift += 7) {
        const byte = await this.byte();
        if (byte < 0) break;
        result += (byte & 0x7f) * 2 ** shift;
        if (!(byte & 0x80)) return result;
      }
      return refuse("the WebAssembly file ends inside a number");
    },
    async skip(count) {
      while (count > 0) {
        if (at >= chunk.length && !(await more())) refuse("the WebAssembly file ends inside a section");
        const step = Math.min(count, chunk.length - at);
        at += step;
        count -= step;
      }
    },
    async take(count) {
      const out = new Uint8Array(count);
      let filled = 0;
      while (filled < count) {
        if (at >= chunk.length && !(await more())) refuse("the WebAssembly file ends inside a section");
        const step = Math.min(count - filled, chunk.length - at);
        out.set(chunk.subarray(at, at + step), filled);
        at += step;
        filled += step;
      }
      return out;
    },
  };
}
