// oidc-provider ships no type declarations; the development provider uses a small part of it.
declare module 'oidc-provider';
