export * from './formats';
export * from './model-names';
