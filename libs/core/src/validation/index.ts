export * from './validation-errors';
export * from './validate-dto';
