// Quiet service logs during tests unless asked for (LOG_LEVEL=info npm test).
process.env.LOG_LEVEL ??= 'silent';
