// What a test runner's reports hold, as text: every file under a folder, with the zips Playwright writes (the blob
// report, and the one its html report embeds as base64) opened, so that a secret inside one is found too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** Each report file's text by its path, a zip's entries as `path:entry`. */
export function reportTexts(dir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) read(texts, join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name)));
  }
  return texts;
}

const ZIP = Buffer.from('PK\u0003\u0004', 'latin1');
const ZIP_END = Buffer.from('PK\u0005\u0006', 'latin1');

function read(texts: Map<string, string>, name: string, bytes: Buffer): void {
  if (bytes.subarray(0, 4).equals(ZIP)) {
    for (const [entry, content] of unzip(bytes)) read(texts, `${name}:${entry}`, content);
    return;
  }
  const text = bytes.toString('utf8');
  texts.set(name, text);
  for (const [, base64] of text.matchAll(/data:application\/zip;base64,([A-Za-z0-9+/=]+)/g)) {
    read(texts, `${name}:embedded.zip`, Buffer.from(base64 ?? '', 'base64'));
  }
}

/** A zip's entries, by its central directory: stored or deflated, as Playwright writes them. */
function unzip(zip: Buffer): [string, Buffer][] {
  const end = zip.lastIndexOf(ZIP_END);
  if (end < 0) throw new Error('a zip with no end of central directory');
  const entries: [string, Buffer][] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const [nameLength, extraLength, commentLength] = [28, 30, 32].map((offset) => zip.readUInt16LE(at + offset)) as [
      number,
      number,
      number,
    ];
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`zip entry ${name}: compression method ${method}`);
    entries.push([name, method === 8 ? inflateRawSync(data) : data]);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
