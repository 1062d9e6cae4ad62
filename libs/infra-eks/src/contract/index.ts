export * from './naming.js';
export * from './outputs.js';
