// Reads packed snapshot images with the browser's reader (hooks/assets/snapshot-image.js), each
// fed in chunks of a given size, as a network stream arrives in pieces.
//
// usage: node read_snapshot_image.mjs <jobs.json>
//
// jobs.json holds a list of {packed, chunk, out, wasm}: the packed file, the chunk size in bytes,
// where to write the image read and, optionally, the WebAssembly file whose data segments put
// the image's static data back (read in chunks of the same size, as it downloads). Stdout gets
// one JSON line: for each job, null when the image was written, or the reader's error message.
import { readFileSync, writeFileSync } from "node:fs";
import { dataSegments, readImage } from "../../hooks/assets/snapshot-image.js";

function chunked(bytes, size) {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const outcomes = [];
for (const job of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
  try {
    const segments = job.wasm ? dataSegments(chunked(new Uint8Array(readFileSync(job.wasm)), job.chunk)) : null;
    segments?.catch(() => {}); // reported by readImage, which awaits it
    writeFileSync(job.out, await readImage(chunked(new Uint8Array(readFileSync(job.packed)), job.chunk), segments));
    outcomes.push(null);
  } catch (error) {
    outcomes.push(String(error.message));
  }
}
process.stdout.write(JSON.stringify(outcomes) + "\n");
