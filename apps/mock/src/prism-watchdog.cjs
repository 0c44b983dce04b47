// Preloaded into the Prism process (node --require): when the process that
// started Prism dies, even by SIGKILL, the stdin pipe closes and Prism exits
// with it, so no orphan keeps a port busy.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
