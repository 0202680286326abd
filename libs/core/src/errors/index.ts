export * from './oauth2.error';
export * from './error.catalogue';
export * from './to-oauth2-error';
