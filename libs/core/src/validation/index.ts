export * from './validation-errors';
export * from './validate-dto';
export * from './no-nul.decorator';
