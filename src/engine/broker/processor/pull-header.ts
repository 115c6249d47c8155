// PULL_MESSAGE's header lives in protocol/requests (one place for client and broker); this re-export keeps
// pull-message-processor's import working until its owner points it there.
export {
  decodePullHeader,
  type PullMessageRequestHeader,
  PullSysFlag,
} from '../../protocol/requests/pull-message.js';
