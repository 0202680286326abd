import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '../persistence/transaction.runner';
import { DatabaseWriteProbe } from './database-write.probe';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [
    DatabaseHealthIndicator,
    { provide: DatabaseWriteProbe, useFactory: (ds: DataSource, tx: TransactionRunner) => new DatabaseWriteProbe(ds, tx), inject: [DataSource, TransactionRunner] },
  ],
})
export class HealthModule {}
