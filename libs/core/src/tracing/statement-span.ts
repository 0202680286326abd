import { activeTracing } from './active-tracing';
import { ATTR, dbSystemName, errorType, operationOf } from './span-attributes';

/**
 * Runs one SQL statement as a CLIENT span under the active span, with the statement's text (placeholders,
 * never the parameters) as `db.query.text`. Statements outside any traced request (migrations, the
 * janitor, start-up) run without a span: alone, they would be a root trace each. `run` is called as is
 * when tracing is off, which SqlDatabase checks first, so that the untraced path allocates nothing.
 */
export async function traceStatement<T>(dialect: 'sqlite' | 'postgres', text: string, run: () => Promise<T>): Promise<T> {
  const tracing = activeTracing();
  if (!tracing) return run();
  const { tracer, api } = tracing;
  const parent = api.context.active();
  if (!api.trace.getSpan(parent)) return run();
  const operation = operationOf(text);
  const span = tracer.startSpan(
    operation,
    { kind: api.SpanKind.CLIENT, attributes: { [ATTR.dbSystemName]: dbSystemName(dialect), [ATTR.dbOperationName]: operation, [ATTR.dbQueryText]: text } },
    parent,
  );
  try {
    return await run();
  } catch (e) {
    span.setAttribute(ATTR.errorType, errorType(e));
    span.setStatus({ code: api.SpanStatusCode.ERROR });
    throw e;
  } finally {
    span.end();
  }
}
