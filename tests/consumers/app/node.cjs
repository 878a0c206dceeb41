const api = require('eka-voice');
const { check } = require('./check.cjs');

check(api, process.env.EKA_SIM_URL).then((r) => console.log(JSON.stringify(r)));
