// Jest in its default (CommonJS) mode, in the environment the runner names (--env); the
// expected result comes in EKA_WANT (jsdom has no fetch: the calls reject `network`).
const api = require('eka-voice');
const { check } = require('./check.cjs');

test('the check gives what the environment allows', async () => {
  expect(await check(api, process.env.EKA_SIM_URL)).toEqual(JSON.parse(process.env.EKA_WANT));
});
