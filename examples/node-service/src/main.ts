import { readConfig } from './config.js';
import { startService } from './service.js';

const service = await startService(readConfig(process.env), process.env);
console.log(
  `webhook ${service.registration.action}: ${service.registration.webhook.id}; listening on ${service.url}`,
);
