// Preloaded into the server under test (node --import): whatever else handles them (Next installs a
// global handler that keeps the process alive), uncaught exceptions and unhandled rejections are
// printed with a marker the hostile-client suite looks for.
process.on('uncaughtException', (err) => console.error(`LABDOCK-UNCAUGHT ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => console.error(`LABDOCK-UNHANDLED ${err?.stack ?? err}`));
