#!/bin/sh
# MQ_START_CMD for ../shared/bench (the side-by-side harness): starts mq's name server and broker in the
# foreground, data under MQ_DATA_DIR (one per run). Usage, from a copy of ../shared/bench after `npm ci`:
#   MQ_NAMESRV=127.0.0.1:19877 MQ_START_CMD=/path/to/mq/bench/harness-start.sh \
#     node bin/bench.js --peers nats,redis-everysec,rocketmq --sizes 1024 --reps 3
# Optional: MQ_NAMESRV's port is the name server's (default 19877), MQ_BROKER_PORT the broker's (default
# 20911); MQ_BROKER_NODE_ARGS go to the broker's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" or
# "--trace-gc"), MQ_BROKER_CONF_EXTRA is appended to broker.conf (key=value lines), MQ_HARNESS_ROOT runs
# another checkout's bin/run.js with this script's options (a before/after pair probed alike).
MQ_ROOT=${MQ_HARNESS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
D=${MQ_DATA_DIR:-/tmp/mq-bench-data}
NS_PORT=${MQ_NAMESRV##*:}
NS_PORT=${NS_PORT:-19877}
BROKER_PORT=${MQ_BROKER_PORT:-20911}
mkdir -p "$D"
export MQ_LOG_DIR="$D/logs" MQ_PID_DIR="$D/pids"
cat > "$D/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerIP1=127.0.0.1
listenPort=$BROKER_PORT
namesrvAddr=127.0.0.1:$NS_PORT
storePathRootDir=$D/store
flushDiskType=${MQ_FLUSH_DISK_TYPE:-ASYNC_FLUSH}
${MQ_BROKER_CONF_EXTRA:-}
CONF
node "$MQ_ROOT/bin/run.js" namesrv start --port "$NS_PORT" &
# shellcheck disable=SC2086 # MQ_BROKER_NODE_ARGS is a list of node options
node ${MQ_BROKER_NODE_ARGS:-} "$MQ_ROOT/bin/run.js" broker start -c "$D/broker.conf" &
wait
