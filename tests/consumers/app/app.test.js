// Vitest (ESM, node environment).
import { expect, test } from 'vitest';
import * as api from 'eka-voice';
import { check } from './check.js';

test('a completed session and a typed 404', async () => {
  expect(await check(api, process.env.EKA_SIM_URL)).toEqual({ completed: true, notFound: true });
});
