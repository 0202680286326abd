// The framework floor: a no-op token route in NestJS on @nestjs/platform-express, with the same body
// parsing Hydrant does and nothing else. What Hydrant costs beyond this is Hydrant's own work.
require('reflect-metadata');
const cluster = require('node:cluster');
const { Controller, Module, Post, HttpCode, Header } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const port = Number(process.env.PORT);
const workers = Number(process.env.WORKERS ?? 1);

class TokenController {
  token() {
    return { access_token: 'hy_at_noop', token_type: 'bearer', expires_in: 3600, scope: '' };
  }
}
Controller('oauth2/token')(TokenController);
const desc = Object.getOwnPropertyDescriptor(TokenController.prototype, 'token');
Post()(TokenController.prototype, 'token', desc);
HttpCode(200)(TokenController.prototype, 'token', desc);
Header('Cache-Control', 'no-store')(TokenController.prototype, 'token', desc);

class FloorModule {}
Module({ controllers: [TokenController] })(FloorModule);

async function main() {
  if (workers > 1 && cluster.isPrimary) {
    for (let i = 0; i < workers; i++) cluster.fork();
    return;
  }
  const app = await NestFactory.create(FloorModule, { logger: false, bodyParser: false });
  app.useBodyParser('urlencoded', { extended: false, limit: 524288 });
  app.useBodyParser('json', { limit: 524288 });
  await app.listen(port, '127.0.0.1');
  process.send?.('ready');
}
main();
