// Types of `eka-voice/inline` for resolvers that do not read `exports` (TypeScript's node10).
export * from './index.js';
