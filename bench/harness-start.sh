#!/bin/sh
# MQ_START_CMD for ../shared/bench (the side-by-side harness): starts mq's name server and broker in the
# foreground, data under MQ_DATA_DIR (one per run). Usage, from a copy of ../shared/bench after `npm ci`:
#   MQ_NAMESRV=127.0.0.1:19877 MQ_START_CMD=/path/to/mq/bench/harness-start.sh \
#     node bin/bench.js --peers nats,redis-everysec,rocketmq --sizes 1024 --reps 3
MQ_ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${MQ_DATA_DIR:-/tmp/mq-bench-data}
mkdir -p "$D"
export MQ_LOG_DIR="$D/logs" MQ_PID_DIR="$D/pids"
cat > "$D/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerIP1=127.0.0.1
listenPort=20911
namesrvAddr=127.0.0.1:19877
storePathRootDir=$D/store
flushDiskType=${MQ_FLUSH_DISK_TYPE:-ASYNC_FLUSH}
CONF
node "$MQ_ROOT/bin/run.js" namesrv start --port 19877 &
node "$MQ_ROOT/bin/run.js" broker start -c "$D/broker.conf" &
wait
