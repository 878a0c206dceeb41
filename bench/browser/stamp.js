// A time stamp taken when this module evaluates (imported with distinct queries, each
// import is its own module: the stamps around another import time its evaluation).
export const t = performance.now();
