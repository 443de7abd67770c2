// Reads the memory snapshot as the build packs it (hooks/snapshot_image.py): only the stretches
// between long runs of zero bytes travel, after a header saying where each goes, so the worker
// inflates half the bytes it would for the whole image. The build writes this file into
// worker.js in place of its import (no request of its own), and its check of the snapshot
// (hooks/node/snapshot.mjs) restores Python from what this reads.

const MAGIC = "AIHSNAP1";
const HEAD = 16; // magic, the image's size, the number of segments

// The image, from a stream of the packed bytes (already inflated): a zeroed image of the size
// the header gives, each segment copied into place as its bytes arrive. Throws, with the reason,
// on anything else (the worker then starts Python without the snapshot).
export async function readImage(stream) {
  const reader = stream.getReader();
  const fail = (why) => {
    throw new Error(`the Python snapshot is not in the form this worker reads (${why})`);
  };
  let head = new Uint8Array(0); // the header's bytes, until it is whole
  let image = null;
  let table = null; // offset, length, offset, length...
  let segment = 0; // index in table of the segment being filled
  let filled = 0; // bytes of it in place
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
        if (String.fromCharCode(...head.subarray(0, MAGIC.length)) !== MAGIC) fail("unknown format");
        const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
        const size = view.getUint32(8, true);
        const count = view.getUint32(12, true);
        const length = HEAD + 8 * count;
        if (head.length < length) continue;
        table = new Array(2 * count);
        let end = 0;
        for (let i = 0; i < 2 * count; i += 2) {
          const offset = view.getUint32(HEAD + 4 * i, true);
          const bytes = view.getUint32(HEAD + 4 * i + 4, true);
          if (bytes === 0 || offset < end || offset + bytes > size) fail(`segment ${i / 2} is empty, out of order or outside the image`);
          table[i] = offset;
          table[i + 1] = bytes;
          end = offset + bytes;
        }
        image = new Uint8Array(size);
        chunk = head.subarray(length);
        head = null;
      }
      while (chunk.length) {
        if (segment === table.length) fail("bytes after the last segment");
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
    if (!image || segment !== table.length) fail("it ends early");
    return image;
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  }
}
