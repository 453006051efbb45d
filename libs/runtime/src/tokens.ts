export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const HEALTH_REDIS = Symbol('HEALTH_REDIS');
