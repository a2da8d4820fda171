// Waits until the stand-in at URL answers (up to 10 s), for workflow steps that start it in the background. Node,
// so it runs the same on every runner OS.
//   node test/stand-in/wait-ready.ts URL
const url = `${process.argv[2] ?? ''}/stand-in/stats`;
const giveUpAt = Date.now() + 10_000;
for (;;) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    // Not listening yet.
  }
  if (Date.now() > giveUpAt) {
    console.log(`::error::the stand-in at ${url} did not answer within 10 s`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
