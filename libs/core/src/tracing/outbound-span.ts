import { activeTracing } from './active-tracing';
import { ATTR, errorType, outboundTarget } from './span-attributes';

/**
 * Runs one outbound HTTP call (a client's jwks_uri, sector_identifier_uri or request_uri, a back-channel
 * logout, the token hook) as a CLIENT span under the active span, and hands `send` the headers to add:
 * the W3C `traceparent` of that span, so that the receiver can continue the trace. The span says the
 * method, the host, the port and the path, never the query, a header or a body; `status` is read from
 * what `send` answers, or from its error when the error carries one. Calls outside any traced request
 * run without a span and without a `traceparent`.
 */
export async function traceOutbound<T extends { status: number }>(
  method: string,
  target: string,
  send: (traceHeaders: Record<string, string>) => Promise<T>,
): Promise<T> {
  const tracing = activeTracing();
  if (!tracing) return send({});
  const { tracer, api } = tracing;
  const parent = api.context.active();
  if (!api.trace.getSpan(parent)) return send({});
  const span = tracer.startSpan(method, { kind: api.SpanKind.CLIENT, attributes: { [ATTR.httpRequestMethod]: method, ...outboundTarget(target) } }, parent);
  const headers: Record<string, string> = {};
  api.propagation.inject(api.trace.setSpan(parent, span), headers);
  try {
    const response = await send(headers);
    span.setAttribute(ATTR.httpResponseStatusCode, response.status);
    if (response.status >= 400) span.setStatus({ code: api.SpanStatusCode.ERROR });
    return response;
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === 'number') span.setAttribute(ATTR.httpResponseStatusCode, status);
    span.setAttribute(ATTR.errorType, typeof status === 'number' ? String(status) : errorType(e));
    span.setStatus({ code: api.SpanStatusCode.ERROR });
    throw e;
  } finally {
    span.end();
  }
}
