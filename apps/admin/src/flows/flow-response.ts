import { Response } from 'express';
import { FlowDecision } from '@hydrant/core';

/** Hydra's answers to a login/consent/logout request: the body, or 410 `{redirect_to}` when it was already handled. */
export function sendFlowAnswer(res: Response, answer: Record<string, unknown> | FlowDecision): void {
  if ('alreadyHandled' in answer) {
    res.status(answer.alreadyHandled ? 410 : 200).json({ redirect_to: answer.redirect_to });
    return;
  }
  res.status(200).json(answer);
}
