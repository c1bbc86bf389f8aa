// Loaded into Prism's process with `node --import`: Prism exits as soon as the process that started
// it is gone, however it went. The parent holds the write end of Prism's stdin pipe; the kernel
// closes it when the parent dies, even by SIGKILL (which no exit hook can catch), and reading
// stdin then ends.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
