import { HydrantConfig } from '../../config/hydrant.config';
import { publicEndpoint } from '../../config/urls';
import { DeviceChallenges } from '../../device/device-challenge';
import { DeviceRequestStore } from '../../device/device-request.store';
import { UserCodes } from '../../device/user-code';
import { Errors } from '../../errors';
import { mintFlowCredential } from '../../flows/flow-credentials';
import { withQuery } from '../../http/with-query';
import { RateLimiter } from '../../rate-limit/rate-limiter';

/** Wrong user codes one device challenge may try before it is refused (RFC 8628 §5.1: guessing). */
const GUESSES_PER_CHALLENGE = 5;

/**
 * Hydra's `acceptUserCodeRequest` (`PUT /admin/oauth2/auth/requests/device/accept?device_challenge=`): the
 * operator's device page hands over the user code its user typed. A live, unused code binds its device
 * authorization to the browser of the challenge, and the browser goes on with a single-use device
 * verifier to log in and consent. Wrong codes are counted per challenge in the database, so guessing is
 * bounded across workers and instances.
 */
export class DeviceUserCodeService {
  constructor(
    private readonly requests: DeviceRequestStore,
    private readonly challenges: DeviceChallenges,
    private readonly userCodes: UserCodes,
    private readonly limiter: RateLimiter,
    private readonly config: HydrantConfig,
  ) {}

  async accept(deviceChallenge: string | undefined, userCode: unknown): Promise<{ redirect_to: string }> {
    if (!deviceChallenge) throw Errors.invalidRequest().withHint('The "device_challenge" parameter is missing.');
    const challenge = this.challenges.verify(deviceChallenge);
    if (!challenge) throw Errors.invalidRequest().withHint('The device challenge is invalid or has expired.');
    if (typeof userCode !== 'string' || userCode.trim() === '') throw Errors.invalidRequest().withHint('The "user_code" is missing.');
    if (!(await this.limiter.consume(`device-challenge:${challenge.csrfHash}`, GUESSES_PER_CHALLENGE, this.config.ttlDeviceUserCode))) {
      throw Errors.invalidRequest().withHint('Too many user codes were tried with this device challenge; start again.');
    }
    const now = new Date();
    let request = null;
    for (const hash of this.userCodes.hashes(userCode)) request ??= await this.requests.findByUserCode(hash);
    const verifier = request ? mintFlowCredential(request.id) : null;
    const accepted =
      request !== null &&
      verifier !== null &&
      (await this.requests.transition(request.id, 'pending', 'accepted', { csrfHash: challenge.csrfHash, verifierHash: verifier.hash }, now));
    if (!accepted) throw Errors.invalidRequest().withHint('The user code is unknown, has been used, or has expired.');
    return { redirect_to: withQuery(publicEndpoint(this.config, 'oauth2/device/verify'), { client_id: request!.clientId, device_verifier: verifier!.value }) };
  }
}
