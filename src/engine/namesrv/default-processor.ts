import { writeFileSync } from 'node:fs';
import type { Logger } from '../common/logger.js';
import { encodeClusterInfo } from '../protocol/bodies/cluster-info.js';
import { decodeDataVersion, encodeDataVersion } from '../protocol/bodies/data-version.js';
import { encodeKVTable } from '../protocol/bodies/kv-table.js';
import {
  decodeLegacyRegisterBody,
  decodeRegisterBrokerBodyTable,
  type RegisterBrokerBodyOut,
} from '../protocol/bodies/register-broker-body.js';
import { encodeTopicList } from '../protocol/bodies/topic-list.js';
import { createResponse, type RemotingCommand } from '../protocol/remoting-command.js';
import { RequestCode } from '../protocol/request-code.js';
import { decodeDeleteTopicInNamesrvHeader } from '../protocol/requests/delete-topic-in-namesrv.js';
import { decodeGetRouteInfoHeader } from '../protocol/requests/get-route-info.js';
import {
  decodeGetKVListByNamespaceHeader,
  decodeKVConfigHeader,
  decodePutKVConfigHeader,
} from '../protocol/requests/kv-config.js';
import { parsePropertiesText } from '../protocol/requests/namesrv-config.js';
import { decodeQueryDataVersionHeader } from '../protocol/requests/query-data-version.js';
import { decodeRegisterBrokerHeader, maskedCrc32 } from '../protocol/requests/register-broker.js';
import { decodeGetTopicsByClusterHeader } from '../protocol/requests/topic-lists.js';
import { decodeUnregisterBrokerHeader } from '../protocol/requests/unregister-broker.js';
import { decodeWritePermHeader } from '../protocol/requests/write-perm.js';
import { ResponseCode } from '../protocol/response-code.js';
import type { Channel } from '../remoting/channel.js';
import type { RemotingServer } from '../remoting/remoting-server.js';
import type { KVConfigManager } from './kv-config-manager.js';
import {
  applyNamesrvProperties,
  configBlackList,
  type NamesrvConfig,
  namesrvConfigToProperties,
} from './namesrv-config.js';
import { RouteBodies } from './route-bodies.js';
import type { RouteInfoManager } from './route-info-manager.js';

/** Namespace whose KV entries feed `orderTopicConf` and the REGISTER_BROKER reply body. */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

/** MQVersion ordinals the name server branches on (protocol.md §1.7). */
const V3_0_11 = 37;
const V4_9_4 = 401;

const ok = (
  req: RemotingCommand,
  ext?: Record<string, string | number | boolean | undefined>,
  body?: Buffer | null,
) => createResponse(req, ResponseCode.SUCCESS, undefined, ext, body);

export interface NamesrvContext {
  config: NamesrvConfig;
  routes: RouteInfoManager;
  kv: KVConfigManager;
  log: Logger;
}

/**
 * Registers one processor per name-server request code (DefaultRequestProcessor.java). Codes not listed
 * get REQUEST_CODE_NOT_SUPPORTED from the transport instead of Java's silent timeout (protocol.md §1.5).
 */
export function registerNamesrvProcessors(server: RemotingServer, ctx: NamesrvContext): void {
  const { routes, kv, config, log } = ctx;
  const kvListBody = (ns: string): Buffer | null => {
    const table = kv.list(ns);
    return table ? encodeKVTable({ table }) : null;
  };

  server.registerProcessor(RequestCode.PUT_KV_CONFIG, (req) => {
    const h = decodePutKVConfigHeader(req);
    kv.put(h.namespace, h.key, h.value);
    log.info({ ns: h.namespace, key: h.key }, 'put kv config');
    return ok(req);
  });

  server.registerProcessor(RequestCode.GET_KV_CONFIG, (req) => {
    const h = decodeKVConfigHeader(req);
    const value = kv.get(h.namespace, h.key);
    if (value !== undefined) return ok(req, { value });
    return createResponse(
      req,
      ResponseCode.QUERY_NOT_FOUND,
      `No config item, Namespace: ${h.namespace} Key: ${h.key}`,
      {},
    );
  });

  server.registerProcessor(RequestCode.DELETE_KV_CONFIG, (req) => {
    const h = decodeKVConfigHeader(req);
    kv.delete(h.namespace, h.key);
    return ok(req);
  });

  server.registerProcessor(RequestCode.GET_KVLIST_BY_NAMESPACE, (req) => {
    const { namespace } = decodeGetKVListByNamespaceHeader(req);
    const body = kvListBody(namespace);
    if (body) return ok(req, undefined, body);
    return createResponse(req, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace}`);
  });

  server.registerProcessor(RequestCode.REGISTER_BROKER, (req, ch: Channel) => {
    const h = decodeRegisterBrokerHeader(req);
    if (h.bodyCrc32 !== 0 && maskedCrc32(req.body ?? Buffer.alloc(0)) !== h.bodyCrc32) {
      log.warn({ remote: ch.remoteAddress }, 'receive registerBroker request, crc32 not match');
      return createResponse(req, ResponseCode.SYSTEM_ERROR, 'crc32 not match', {});
    }
    let body: RegisterBrokerBodyOut;
    if (req.body && req.body.length > 0) {
      body =
        req.version >= V3_0_11
          ? decodeRegisterBrokerBodyTable(req.body, h.compressed)
          : decodeLegacyRegisterBody(req.body);
    } else {
      body = {
        topicConfigSerializeWrapper: { topicConfigTable: {}, dataVersion: { counter: 0, timestamp: 0 } },
        filterServerList: [],
      };
    }
    const isNew = !routes.brokerLiveTable.has(h.brokerAddr);
    const result = routes.registerBroker({
      clusterName: h.clusterName,
      brokerAddr: h.brokerAddr,
      brokerName: h.brokerName,
      brokerId: h.brokerId,
      haServerAddr: h.haServerAddr,
      topicConfigWrapper: body.topicConfigSerializeWrapper,
      filterServerList: req.version >= V3_0_11 ? body.filterServerList : null,
      channel: ch,
    });
    if (isNew) {
      log.info(
        {
          cluster: h.clusterName,
          broker: h.brokerName,
          id: h.brokerId,
          addr: h.brokerAddr,
          remote: ch.remoteAddress,
        },
        'new broker registered',
      );
    }
    return ok(
      req,
      { haServerAddr: result.haServerAddr, masterAddr: result.masterAddr },
      kvListBody(NAMESPACE_ORDER_TOPIC_CONFIG),
    );
  });

  server.registerProcessor(RequestCode.UNREGISTER_BROKER, (req) => {
    const h = decodeUnregisterBrokerHeader(req);
    routes.unregisterBroker(h.clusterName, h.brokerAddr, h.brokerName, h.brokerId);
    log.info({ broker: h.brokerName, addr: h.brokerAddr, id: h.brokerId }, 'unregister broker');
    return ok(req);
  });

  server.registerProcessor(RequestCode.QUERY_DATA_VERSION, (req) => {
    const h = decodeQueryDataVersionHeader(req);
    if (!req.body) throw new Error('QUERY_DATA_VERSION without a DataVersion body');
    const version = decodeDataVersion(req.body);
    const changed = routes.isBrokerTopicConfigChanged(h.brokerAddr, version);
    if (!changed) routes.updateBrokerInfoUpdateTimestamp(h.brokerAddr);
    const mine = routes.queryBrokerTopicConfig(h.brokerAddr);
    return ok(req, { changed }, mine ? encodeDataVersion(mine) : null);
  });

  const routeBodies = new RouteBodies(routes);
  server.registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
    const h = decodeGetRouteInfoHeader(req);
    const standard =
      config.routeJsonMode === 'standard' || req.version >= V4_9_4 || h.acceptStandardJsonOnly === true;
    const orderConf = config.orderMessageEnable ? kv.get(NAMESPACE_ORDER_TOPIC_CONFIG, h.topic) : undefined;
    const body = routeBodies.body(h.topic, standard, orderConf);
    if (!body) {
      return createResponse(
        req,
        ResponseCode.TOPIC_NOT_EXIST,
        `No topic route info in name server for the topic: ${h.topic}\nSee http://rocketmq.apache.org/docs/faq/ for further details.`,
      );
    }
    return ok(req, undefined, body);
  });

  server.registerProcessor(RequestCode.GET_BROKER_CLUSTER_INFO, (req) =>
    ok(req, undefined, encodeClusterInfo(routes.getAllClusterInfo())),
  );

  server.registerProcessor(RequestCode.WIPE_WRITE_PERM_OF_BROKER, (req, ch) => {
    const { brokerName } = decodeWritePermHeader(req);
    const n = routes.operateWritePermOfBroker(brokerName, RequestCode.WIPE_WRITE_PERM_OF_BROKER);
    log.info({ brokerName, client: ch.remoteAddress, topics: n }, 'wipe write perm of broker');
    return ok(req, { wipeTopicCount: n });
  });

  server.registerProcessor(RequestCode.ADD_WRITE_PERM_OF_BROKER, (req, ch) => {
    const { brokerName } = decodeWritePermHeader(req);
    const n = routes.operateWritePermOfBroker(brokerName, RequestCode.ADD_WRITE_PERM_OF_BROKER);
    log.info({ brokerName, client: ch.remoteAddress, topics: n }, 'add write perm of broker');
    return ok(req, { addTopicCount: n });
  });

  const list = (req: RemotingCommand, topicList: string[], brokerAddr?: string) =>
    ok(req, undefined, encodeTopicList({ topicList, brokerAddr }));

  server.registerProcessor(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, (req) =>
    list(req, routes.getAllTopicList()),
  );

  server.registerProcessor(RequestCode.DELETE_TOPIC_IN_NAMESRV, (req) => {
    const h = decodeDeleteTopicInNamesrvHeader(req);
    routes.deleteTopic(h.topic, h.clusterName || undefined);
    return ok(req);
  });

  server.registerProcessor(RequestCode.GET_TOPICS_BY_CLUSTER, (req) =>
    list(req, routes.getTopicsByCluster(decodeGetTopicsByClusterHeader(req).cluster)),
  );

  server.registerProcessor(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, (req) => {
    const s = routes.getSystemTopicList();
    return list(req, s.topicList, s.brokerAddr);
  });

  server.registerProcessor(RequestCode.GET_UNIT_TOPIC_LIST, (req) => list(req, routes.getUnitTopics()));
  server.registerProcessor(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, (req) =>
    list(req, routes.getHasUnitSubTopicList()),
  );
  server.registerProcessor(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, (req) =>
    list(req, routes.getHasUnitSubUnUnitTopicList()),
  );

  server.registerProcessor(RequestCode.UPDATE_NAMESRV_CONFIG, (req, ch) => {
    if (!req.body || req.body.length === 0) return ok(req);
    const props = parsePropertiesText(req.body.toString('utf8'));
    const black = configBlackList(config);
    if (Object.keys(props).some((k) => black.has(k))) {
      return createResponse(req, ResponseCode.NO_PERMISSION, 'Can not update config in black list.');
    }
    const unknown = applyNamesrvProperties(config, props);
    log.info({ client: ch.remoteAddress, props, unknown }, 'update namesrv config');
    if (config.configStorePath) {
      try {
        writeFileSync(config.configStorePath, `${namesrvConfigToProperties(config)}\n`);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'could not persist namesrv config');
      }
    }
    return ok(req);
  });

  server.registerProcessor(RequestCode.GET_NAMESRV_CONFIG, (req) =>
    ok(req, undefined, Buffer.from(namesrvConfigToProperties(config), 'utf8')),
  );
}
