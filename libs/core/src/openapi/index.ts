export * from './openapi-document.builder';
export * from './openapi-document.route';
export * from './path-aliases';
export * from './swagger-ui.route';
export * from './api-parameters.decorators';
export * from './swagger-decorators';
