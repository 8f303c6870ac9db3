import { summarizeProfiles } from './lib/profile.js';
for (const job of process.argv.slice(2)) await summarizeProfiles(`/tmp/s6prof/${job}`, job, (m) => console.log(m));
